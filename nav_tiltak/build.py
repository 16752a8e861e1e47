"""Command line: build the warehouse from NAV documents, end to end.

1. Load the documents into the raw seeds (nothing is written if any document is bad).
2. Run ``dbt build`` (seeds, models, every test) into a new DuckDB file beside the published one.
3. Only if everything passed, replace the published file with the new one in one rename.

A failure at any step exits non-zero and leaves the published warehouse as it was.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from nav_tiltak.load import load
from nav_tiltak.parse import ParseError
from nav_tiltak.seeds import DEFAULT_INPUT, PROJECT_DIR, RAW_SEEDS_DIR

DEFAULT_WAREHOUSE = PROJECT_DIR / "warehouse" / "nav_tiltak.duckdb"


def run_dbt(database: Path, arguments: list[str]) -> int:
    """Run dbt in this project against ``database``; dbt's output goes to ours."""
    # PYTHONPATH: dbt's Python models import nav_tiltak (the audit's linear programs).
    environment = dict(os.environ, NAV_TILTAK_DATABASE=str(database), DO_NOT_TRACK="1",
                       PYTHONPATH=os.pathsep.join(filter(None, [str(PROJECT_DIR), os.environ.get("PYTHONPATH")])))
    dbt = Path(sys.executable).with_name("dbt")
    command = [str(dbt), *arguments, "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]
    return subprocess.run(command, cwd=PROJECT_DIR, env=environment, check=False).returncode


def _remove_database(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)


def build(inputs: list[Path], warehouse: Path, seeds_dir: Path = RAW_SEEDS_DIR) -> int:
    """Load, build and publish; returns the exit status."""
    started = time.perf_counter()
    try:
        for line in load(inputs, seeds_dir):
            print(f"loaded {line}")
    except ParseError as error:
        print(error, file=sys.stderr)
        print(f"nothing built: the seeds and {warehouse} are unchanged", file=sys.stderr)
        return 1

    warehouse = warehouse.resolve()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    building = warehouse.with_name(f".{warehouse.name}.building")
    _remove_database(building)
    try:
        if run_dbt(building, ["build"]) != 0:
            print(f"dbt build failed: {warehouse} is unchanged", file=sys.stderr)
            return 1
        # Fold the write-ahead log into the file, so that the one rename publishes everything.
        with duckdb.connect(str(building)) as connection:
            connection.execute("checkpoint")
        os.replace(building, warehouse)
    finally:
        _remove_database(building)
    print(f"published {warehouse} in {time.perf_counter() - started:.1f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", type=Path, default=[DEFAULT_INPUT],
                        help="documents or folders of *.txt documents (default: data/raw)")
    parser.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE,
                        help="the DuckDB file to publish (default: warehouse/nav_tiltak.duckdb)")
    args = parser.parse_args(argv)
    return build(args.inputs, args.warehouse)


if __name__ == "__main__":
    sys.exit(main())
