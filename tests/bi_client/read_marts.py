"""Run in the BI client's own virtual environment: open the warehouse read-only with plain DuckDB 1.1 and
with SQLAlchemy + duckdb-engine, reflect and read every mart, and print what was read as JSON."""

import json
import sys
import warnings

import duckdb
import sqlalchemy

warnings.simplefilter("ignore")  # duckdb-engine warns about features BI tools do not use
path = sys.argv[1]
result = {"duckdb_version": duckdb.__version__, "duckdb": {}, "sqlalchemy": {}}

with duckdb.connect(path, read_only=True) as connection:
    tables = [row[0] for row in connection.execute(
        "select table_name from information_schema.tables where table_schema = 'marts' order by 1").fetchall()]
    for table in tables:
        result["duckdb"][table] = connection.execute(f"select count(*) from marts.{table}").fetchone()[0]

engine = sqlalchemy.create_engine(f"duckdb:///{path}", connect_args={"read_only": True})
metadata = sqlalchemy.MetaData()
metadata.reflect(engine, schema="marts", views=True)  # fct_printed_cells is a view
with engine.connect() as connection:
    for name, table in sorted(metadata.tables.items()):
        rows = connection.execute(sqlalchemy.select(table)).fetchall()
        result["sqlalchemy"][name] = {"rows": len(rows), "columns": [c.name for c in table.columns],
                                      "comments": sum(1 for c in table.columns if c.comment)}
print(json.dumps(result))
