"""Writing a page (the overview, the audit report, dbt's docs) from a published warehouse, opened read-only.

A warehouse path that is missing, not a DuckDB database, or a database without what the page reads is
refused in one line, as is any fault while rendering: a page never ends in a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from nav_tiltak.messages import shown
from nav_tiltak.publish import Layout, open_audit

# What each page reads (the exposures in models/exposures.yml): a warehouse without these tables is not one
# this project published.
_NEEDS = {"report": ("marts", ["main_group_by_measure_group", "dim_month", "dim_county", "dim_main_group",
                                "dim_measure_group"]),
          "audit": ("marts", ["main_group_by_measure_group", "fct_printed_cells", "dim_month"]),
          "docs": ("marts", ["main_group_by_measure_group", "fct_printed_cells", "dim_month"])}
_AUDIT_NEEDS = ("audit", ["suppressed_cell_intervals", "disclosure_summary", "second_suppressions"])


def write_page(command: str, warehouse: Path, output: Path) -> int:
    """Write the page of ``command`` from ``warehouse`` to ``output``; returns the exit status."""
    where = shown(str(warehouse), 200)
    problem = _problem(warehouse, *_NEEDS[command])
    if not problem and command == "audit":  # the audit's cells are in the publisher's database beside it
        problem = _problem(Layout.for_paths(warehouse).audit, *_AUDIT_NEEDS)
        where = shown(str(Layout.for_paths(warehouse).audit), 200) if problem else where
    if problem:
        print(f"{where}: {problem}", file=sys.stderr)
        return 1
    if command == "docs":
        from nav_tiltak.docs import write_docs
        return write_docs(warehouse, output)
    if command == "audit":
        from nav_tiltak.audit_report import render
    else:
        from nav_tiltak.overview import render
    try:
        opened = open_audit(warehouse) if command == "audit" else duckdb.connect(str(warehouse), read_only=True)
        with opened as connection:
            text = render(connection)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except duckdb.Error as error:
        print(f"{where}: DuckDB: {shown(str(error).splitlines()[0], 300)}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"{shown(str(error.filename or output), 200)}: {error.strerror or error}", file=sys.stderr)
        return 1
    except Exception as error:  # a fault of ours: still one line
        print(f"{where}: unexpected {type(error).__name__} while writing the page: {shown(str(error), 300)} "
              "(please report it)", file=sys.stderr)
        return 1
    if command == "audit":
        print(text)
    print(f"written to {shown(str(output), 300)}")
    return 0


def _problem(warehouse: Path, schema: str, tables: list[str]) -> str | None:
    """Why ``warehouse`` cannot give a page that reads ``tables`` of ``schema``, or None."""
    if not warehouse.exists():
        return "no warehouse yet; run `make build` first"
    if not warehouse.is_file():
        return "is not a file; give the path of a warehouse, such as warehouse/nav_tiltak.duckdb"
    try:
        with duckdb.connect(str(warehouse), read_only=True) as connection:
            found = {name for (name,) in connection.execute(
                "select table_name from information_schema.tables where table_schema = ?", [schema]).fetchall()}
    except duckdb.Error as error:
        return f"is not a DuckDB database this DuckDB can open ({shown(str(error).splitlines()[0], 200)})"
    if set(tables) - found:
        return f"is not a nav-tiltak warehouse (it has no {schema}.{sorted(set(tables) - found)[0]}); run `make build`"
    return None
