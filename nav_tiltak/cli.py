"""The command line, ``scripts/nav-tiltak COMMAND`` (what the Makefile runs): one entry point, one command
per job, each calling the function that does it. Heavy modules are imported only by the command that
needs them, so that `build` starts without plotly and `report` without dbt."""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
from pathlib import Path

from nav_tiltak.paths import (
    DEFAULT_INPUT,
    DEFAULT_PROTECTED,
    DEFAULT_WAREHOUSE,
    LOADED_SEEDS_DIR,
    PAGES,
    RAW_SEEDS_DIR,
    REPORTS_DIR,
)

_INPUTS_HELP = "documents, or folders of *.txt and *.xlsx documents (default: data/raw)"


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="nav-tiltak", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    # What a build takes; `protect` builds too, and takes the same.
    building = _Parser(add_help=False)
    building.add_argument("inputs", nargs="*", type=_input, default=[DEFAULT_INPUT], help=_INPUTS_HELP)
    building.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE,
                          help="the DuckDB file to publish (default: warehouse/nav_tiltak.duckdb)")
    building.add_argument("--exports", type=Path, default=None,
                          help="where to publish the marts as Parquet and CSV (default: beside the warehouse, "
                               "<name>_exports)")
    building.add_argument("--overlap-policy", choices=["fail", "latest_document"], default="fail",
                          help="when documents print the same cell with different values: fail (default), or use "
                               "the document whose period ends latest (then the last by file name)")
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
    load.add_argument("inputs", nargs="*", type=_input, default=[DEFAULT_INPUT], help=_INPUTS_HELP)
    load.add_argument("--seeds-dir", type=Path, default=LOADED_SEEDS_DIR,
                      help="where to write the raw seeds: a new or empty folder, or one `load` wrote (default: "
                           "target/load; seeds/raw holds the default warehouse's, which a build puts there)")

    pages = {"audit": "the disclosure audit report, printed and written", "report": "the overview page with charts",
             "docs": "dbt's documentation site as one page"}
    for name, description in pages.items():
        page = commands.add_parser(name, help=f"write {description}, from the published warehouse")
        page.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
        page.add_argument("--output", type=Path, default=REPORTS_DIR / PAGES[name],
                          help="the page's file: new, or a page nav-tiltak wrote (default: reports/)")

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
        return _workbooks(args.output, args.county_tables)
    from nav_tiltak.pages import write_page
    return write_page(args.command, args.warehouse, args.output)


def _workbooks(output: Path, county_tables: Path | None) -> int:
    """Write the workbooks into ``output``, outside the project's own folders, each replacing only a workbook
    the project wrote; a refusal is one line."""
    from nav_tiltak import ownership
    from nav_tiltak import workbook_writer as generator
    from nav_tiltak.messages import shown
    from nav_tiltak.publish import PathError, check_place

    try:
        check_place("--output", output, output, [county_tables] if county_tables else [])
        # Before any is written: a workbook there of NAV's names that the project did not write stays.
        theirs = [] if county_tables else [path for path in sorted(output.glob("*TILT1[0-8]0_Tidsserie_maaned.xlsx"))
                                           if ownership.refusal(path, generator.written_by_us)]
        if theirs:
            raise ownership.NotOurs("is a workbook nav-tiltak did not write, where it would write one", theirs[0])
        if county_tables:
            written = [generator.county_tables_workbook(county_tables.read_text(encoding="utf-8"),
                                                        output / f"{county_tables.stem}.xlsx")]
        else:
            written = generator.national_workbooks(output)
    except PathError as error:
        print(error, file=sys.stderr)
        return 1
    except ownership.NotOurs as error:
        print(f"{shown(str(error.args[1]), 200)}: {error.args[0]}; choose another --output (nothing written)",
              file=sys.stderr)
        return 1
    print(f"written {len(written)} workbook(s) to {shown(str(output), 300)}")
    return 0


def _load(inputs: list[Path], seeds_dir: Path) -> int:
    """Parse and write the raw seeds; bad input is one line, ``FILE:LINE: what is wrong``, and exit 1. The
    seeds are written into a new folder beside ``seeds_dir`` and put in its place in two renames; what was
    there must be new, empty or a folder `load` wrote, unchanged (its marker lists the seeds), never
    seeds/raw, an input's folder or the project's own."""
    from nav_tiltak import ownership
    from nav_tiltak.build import uninterrupted
    from nav_tiltak.load import document_paths, load
    from nav_tiltak.messages import ParseError, shown
    from nav_tiltak.publish import PathError, check_place

    def check(folder: Path) -> None:
        if folder.is_symlink() or (folder.exists() and (not folder.is_dir() or any(folder.iterdir()))
                                   and not ownership.is_ours(folder, _SEEDS_KIND, files_required=True)):
            raise PathError(f"{shown(str(seeds_dir), 200)}: exists and is not a folder `load` wrote (or holds other "
                            "files, or changed since); choose another --seeds-dir")

    staging = None
    made = [folder for folder in [seeds_dir.parent, *seeds_dir.parent.parents] if not folder.exists()]
    done = False
    try:
        if os.path.abspath(seeds_dir) == str(RAW_SEEDS_DIR):
            raise PathError(f"{shown(str(seeds_dir), 200)}: holds the default warehouse's seeds, which `make build` "
                            "links there; choose another --seeds-dir")
        if os.path.abspath(seeds_dir) != str(LOADED_SEEDS_DIR):  # the default is the project's own, in target/
            check_place("--seeds-dir", seeds_dir, seeds_dir, [*inputs, *document_paths(inputs)], error=PathError)
        check(seeds_dir)
        seeds_dir.parent.mkdir(parents=True, exist_ok=True)
        for leftover in ownership.leftovers(seeds_dir, _SEEDS_KIND):  # of a load that was killed
            shutil.rmtree(leftover, ignore_errors=True)
        staging = ownership.staging_folder(seeds_dir)
        summary = load(inputs, staging)
        ownership.mark(staging, _SEEDS_KIND, ownership.files_in(staging))
        with uninterrupted():  # the seeds in place, in two renames: a signal after them finds the load done
            ownership.replace_folder(seeds_dir, staging, _SEEDS_KIND, check)
            done = True
    except (ParseError, PathError) as error:
        print(error, file=sys.stderr)
        return 1
    except OSError as error:
        print(f"{shown(str(error.filename or seeds_dir), 200)}: cannot write the seeds: {error.strerror}",
              file=sys.stderr)
        return 1
    finally:
        if staging is not None and staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
        for folder in made if not done else []:  # the folders made for the seeds, if they are not there
            with contextlib.suppress(OSError):
                folder.rmdir()
    for line in summary:
        print(f"loaded {shown(line, 300)}")
    print(f"raw seeds written to {shown(str(seeds_dir), 300)}")
    return 0


_SEEDS_KIND = "seeds"


def _input(text: str) -> Path:
    """A document or folder given on the command line (an empty one is refused, never read as ".")."""
    if not text:
        raise argparse.ArgumentTypeError("an input path is empty: give a document or a folder of documents")
    return Path(text)


class _Parser(argparse.ArgumentParser):
    """argparse, with its refusals in one line (not the usage before them)."""

    def error(self, message: str) -> None:
        from nav_tiltak.messages import shown

        print(f"{self.prog}: {shown(message, 300)} (see --help)", file=sys.stderr)
        sys.exit(2)
