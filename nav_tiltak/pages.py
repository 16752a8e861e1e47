"""Writing a page (the overview, the audit report, dbt's docs) from a published warehouse, opened read-only.

A warehouse path that is missing, not a DuckDB database, or a database without what the page reads is
refused in one line, as is any fault while rendering: a page never ends in a traceback. A page replaces only
a page the project wrote (its first line is the project's signature, or it is the default page in reports/),
never a link, and never lands where it would break the project or be read as input.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from nav_tiltak import ownership
from nav_tiltak.messages import shown
from nav_tiltak.paths import DEFAULT_INPUT, PAGES, REPORTS_DIR
from nav_tiltak.publish import Layout, PathError, check_place, open_audit

# A page's first line: how a later run knows the file is the project's to replace.
SIGNATURE = "<!-- written by nav-tiltak: a page of the published warehouse -->\n"

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
    if command == "audit":
        from nav_tiltak.audit_report import render
    elif command == "report":
        from nav_tiltak.overview import render
    try:
        check_output(output, warehouse)
        if command == "docs":
            from nav_tiltak.docs import docs_page
            text = docs_page(warehouse)
            if text is None:
                return 1
        else:
            opened = open_audit(warehouse) if command == "audit" else duckdb.connect(str(warehouse), read_only=True)
            with opened as connection:
                text = render(connection)
        write_page_file(output, text)
    except PathError as error:
        print(error, file=sys.stderr)
        return 1
    except ownership.NotOurs as error:
        print(f"--output {shown(str(output), 200)}: {error.args[0]}; choose another path (nothing written)",
              file=sys.stderr)
        return 1
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


def check_output(output: Path, warehouse: Path) -> None:
    """Refuse, before anything is written, an output over the warehouse or its publisher's database, inside
    an input folder or the project's own folders, or over a file (or through a link) the project did not
    write."""
    layout = Layout.for_paths(warehouse)
    check_place("--output", output, output, [warehouse, layout.audit, DEFAULT_INPUT])
    if why := ownership.refusal(output, _is_our_page, "page"):
        raise ownership.NotOurs(why, output)


def write_page_file(output: Path, text: str) -> None:
    """Write a page (with the project's signature) in one rename, replacing only a page of the project's."""
    ownership.write_file(output, (SIGNATURE + text).encode("utf-8"), _is_our_page, "page")


def _is_our_page(path: Path) -> bool:
    """A page the project wrote: it begins with the signature, or it is one of the default pages in reports/
    (written there by earlier versions, without one)."""
    default = path.parent.resolve() == REPORTS_DIR.resolve() and path.name in PAGES.values()
    return default or ownership.starts_with(SIGNATURE.encode("utf-8"))(path)


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
