"""nav-tiltak: NAV's tables of participants in labour-market measures, as a DuckDB warehouse built by dbt."""
