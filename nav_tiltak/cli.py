"""The command line, ``scripts/nav-tiltak COMMAND`` (what the Makefile runs): one entry point, one command
per job, each calling the function that does it. Heavy modules are imported only by the command that
needs them, so that `build` starts without matplotlib and `report` without dbt."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from nav_tiltak.paths import (
    DEFAULT_INPUT,
    DEFAULT_PROTECTED,
    DEFAULT_WAREHOUSE,
    LOADED_SEEDS_DIR,
    RAW_SEEDS_DIR,
    REPORTS_DIR,
)

_INPUTS_HELP = "documents, or folders of *.txt documents (default: data/raw)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nav-tiltak", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    # What a build takes; `protect` builds too, and takes the same.
    building = argparse.ArgumentParser(add_help=False)
    building.add_argument("inputs", nargs="*", type=Path, default=[DEFAULT_INPUT], help=_INPUTS_HELP)
    building.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE,
                          help="the DuckDB file to publish (default: warehouse/nav_tiltak.duckdb)")
    building.add_argument("--exports", type=Path, default=None,
                          help="where to publish the marts as Parquet and CSV (default: beside the warehouse, "
                               "<name>_exports)")
    building.add_argument("--overlap-policy", choices=["fail", "latest_document"], default="fail",
                          help="when documents print the same cell with different values: fail (default), or use "
                               "the document last in file-name order")
    commands.add_parser("build", parents=[building],
                        help="load INPUT, run dbt build, publish the warehouse and its exports")

    protect = commands.add_parser("protect", parents=[building],
                                  help="build with a secondary suppression plan and its re-audit, then write the "
                                       "protected tables, a side file and a report")
    protect.add_argument("--output", type=Path, default=DEFAULT_PROTECTED,
                         help="the folder for the protected tables, the side file and the report (default: protected)")
    protect.add_argument("--width", type=int, choices=[1, 2, 3], default=3,
                         help="the narrowest interval a primary `*` may keep: 3 (default) keeps all of 0..3 "
                              "possible, 1 only forbids an exact value")
    protect.add_argument("--zero-sensitive", action="store_true",
                         help="protect a `*` the published tables pin at 0 too (default: it holds nobody)")
    protect.add_argument("--cost", choices=["participants", "cells"], default="participants",
                         help="what the plan minimises: the participants suppressed (default) or the cells")

    load = commands.add_parser("load", help="only parse INPUT into raw seeds (target/load): a check of the "
                                            "documents, without a build")
    load.add_argument("inputs", nargs="*", type=Path, default=[DEFAULT_INPUT], help=_INPUTS_HELP)
    load.add_argument("--seeds-dir", type=Path, default=LOADED_SEEDS_DIR,
                      help="where to write the raw seeds: a new or empty folder, or one `load` wrote (default: "
                           "target/load; seeds/raw holds the default warehouse's, which a build puts there)")

    pages = {"audit": ("the disclosure audit report, printed and written", "disclosure-audit.md"),
             "report": ("the overview page with charts", "overview.html"),
             "docs": ("dbt's documentation site as one page", "dbt-docs.html")}
    for name, (description, output) in pages.items():
        page = commands.add_parser(name, help=f"write {description}, from the published warehouse")
        page.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
        page.add_argument("--output", type=Path, default=REPORTS_DIR / output)

    workbooks = commands.add_parser("workbooks", help="write NAV's national figures (data/nav-national) as NAV's "
                                                      "workbooks, TILT100-TILT180 per year (the default input)")
    workbooks.add_argument("--output", type=Path, default=DEFAULT_INPUT)
    workbooks.add_argument("--county-tables", type=Path, default=None, metavar="TEXT",
                           help="instead, save a text document of county tables as a workbook in --output")

    args = parser.parse_args(argv)
    if args.command == "build":
        from nav_tiltak.build import build as run_build
        return run_build(args.inputs, args.warehouse, args.exports, args.overlap_policy)
    if args.command == "load":
        return _load(args.inputs, args.seeds_dir)
    if args.command == "protect":
        from nav_tiltak.protect import Rule
        from nav_tiltak.protected_tables import protect as run_protect
        return run_protect(args.inputs, args.warehouse, args.exports, args.overlap_policy, args.output,
                           Rule(args.width, args.zero_sensitive), args.cost)
    if args.command == "workbooks":
        from nav_tiltak import workbook_writer as generator
        if args.county_tables:
            written = [generator.county_tables_workbook(args.county_tables.read_text(encoding="utf-8"),
                                                        args.output / f"{args.county_tables.stem}.xlsx")]
        else:
            written = generator.national_workbooks(args.output)
        print(f"written {len(written)} workbook(s) to {args.output}")
        return 0
    from nav_tiltak.pages import write_page
    return write_page(args.command, args.warehouse, args.output)


def _load(inputs: list[Path], seeds_dir: Path) -> int:
    """Parse and write the raw seeds; bad input is one line, ``FILE:LINE: what is wrong``, and exit 1. The
    folder is new, empty or one `load` wrote (its marker lists the seeds), never seeds/raw."""
    from nav_tiltak import ownership
    from nav_tiltak.load import SEED_COLUMNS, load
    from nav_tiltak.messages import ParseError, shown

    if os.path.abspath(seeds_dir) == str(RAW_SEEDS_DIR):
        print(f"{shown(str(seeds_dir), 200)}: holds the default warehouse's seeds, which `make build` puts there; "
              "choose another --seeds-dir", file=sys.stderr)
        return 1
    if seeds_dir.exists() and (not seeds_dir.is_dir() or any(seeds_dir.iterdir())) \
            and not ownership.is_ours(seeds_dir, "seeds"):
        print(f"{shown(str(seeds_dir), 200)}: exists and is not a folder `load` wrote (or holds other files); "
              "choose another --seeds-dir", file=sys.stderr)
        return 1
    try:
        summary = load(inputs, seeds_dir)
        ownership.mark(seeds_dir, "seeds", list(SEED_COLUMNS))
    except ParseError as error:
        print(error, file=sys.stderr)
        return 1
    except OSError as error:
        print(f"{shown(str(error.filename or seeds_dir), 200)}: cannot write the seeds: {error.strerror}",
              file=sys.stderr)
        return 1
    for line in summary:
        print(f"loaded {shown(line, 300)}")
    print(f"raw seeds written to {shown(str(seeds_dir), 300)}")
    return 0
