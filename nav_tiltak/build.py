"""Command line: build the warehouse from NAV documents, end to end, and publish it safely.

1. Take the project's build lock: a second build waits for the first (seeds/raw and dbt's target/ are
   shared, so two builds must not interleave).
2. Load the documents into the raw seeds (nothing is written if any document is bad).
3. Run ``dbt build`` (seeds, models, every test) into a new DuckDB file beside the published one.
4. Only if everything passed: export the marts (Parquet and CSV) and replace the published file with the
   new one in one rename.

The published file is never opened for writing, so BI tools holding it open read-only are never blocked
and keep reading the warehouse they opened; a new connection sees the new one. A failure at any step, or a
build killed at any moment, leaves the published warehouse as it was.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from nav_tiltak.load import load
from nav_tiltak.parse import ParseError
from nav_tiltak.seeds import BULK_ROWS, DEFAULT_INPUT, PROJECT_DIR, RAW_SEEDS_DIR

DEFAULT_WAREHOUSE = PROJECT_DIR / "warehouse" / "nav_tiltak.duckdb"
DEFAULT_EXPORTS = PROJECT_DIR / "exports"
LOCK_FILE = PROJECT_DIR / "target" / "build.lock"
EXPORTED_SCHEMA = "marts"


def dbt_environment(database: Path) -> dict[str, str]:
    """The environment dbt runs in: the database to write, no tracking, and nav_tiltak importable for the
    Python models (the disclosure audit)."""
    return dict(os.environ, NAV_TILTAK_DATABASE=str(database), DO_NOT_TRACK="1",
                PYTHONPATH=os.pathsep.join(filter(None, [str(PROJECT_DIR), os.environ.get("PYTHONPATH")])))


def run_dbt(database: Path, arguments: list[str], pass_fds: tuple[int, ...] = (),
            defaults: dict[str, str] | None = None) -> int:
    """Run dbt in this project against ``database``; dbt's output goes to ours. ``defaults`` are
    environment variables that the caller's own environment overrides."""
    command = [sys.executable, "-m", "nav_tiltak.dbt_cli", *arguments,
               "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]
    environment = {**(defaults or {}), **dbt_environment(database)}
    return subprocess.run(command, cwd=PROJECT_DIR, env=environment, pass_fds=pass_fds,
                          stdin=subprocess.DEVNULL, check=False).returncode


@contextmanager
def build_lock() -> Iterator[int]:
    """Hold the project's build lock; waits, saying so, while another build holds it.

    The lock is an flock on target/build.lock: the kernel releases it when its holders die, so a killed
    build never leaves it stuck. dbt inherits it, so a build's dbt outliving its parent still holds it.
    """
    LOCK_FILE.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(descriptor, 64, 0).decode(errors="replace").strip() or "unknown"
            print(f"another build (process {holder}) is running in {PROJECT_DIR}; waiting for it to finish",
                  file=sys.stderr, flush=True)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, str(os.getpid()).encode(), 0)
        yield descriptor
    finally:
        os.close(descriptor)


def _database_files(path: Path) -> tuple[Path, Path]:
    """A DuckDB database is its file and, until a checkpoint, a write-ahead log beside it."""
    return path, path.with_name(path.name + ".wal")


def remove_database(path: Path) -> None:
    for leftover in _database_files(path):
        leftover.unlink(missing_ok=True)


def fold_log(path: Path) -> None:
    """Fold the write-ahead log into the database file (dbt's process exits without doing so; see
    nav_tiltak.dbt_cli), so that the file alone holds everything."""
    with duckdb.connect(str(path)) as connection:
        connection.execute("checkpoint")


def move_database(source: Path, target: Path) -> None:
    remove_database(target)
    for source_file, target_file in zip(_database_files(source), _database_files(target)):
        if source_file.exists():
            os.replace(source_file, target_file)


def export_marts(database: Path, exports: Path) -> list[Path]:
    """Write every mart as Parquet and CSV into ``exports``, each file renamed into place when complete."""
    exports.mkdir(parents=True, exist_ok=True)
    written = []
    with duckdb.connect(str(database), read_only=True) as connection:
        tables = [row[0] for row in connection.execute(
            "select table_name from duckdb_tables() where schema_name = ? order by 1", [EXPORTED_SCHEMA]).fetchall()]
        for table in tables:
            for extension, options in [("parquet", "format parquet"), ("csv", "format csv, header true")]:
                target = exports / f"{table}.{extension}"
                partial = exports / f".{table}.{extension}.partial"
                connection.execute(f"copy {EXPORTED_SCHEMA}.{table} to '{partial}' ({options})")
                os.replace(partial, target)
                written.append(target)
    return written


def build(inputs: list[Path], warehouse: Path, exports: Path = DEFAULT_EXPORTS,
          seeds_dir: Path = RAW_SEEDS_DIR, overlap_policy: str = "fail") -> int:
    """Lock, load, build, export and publish; returns the exit status."""
    started = time.perf_counter()
    warehouse = warehouse.resolve()
    with build_lock() as lock:
        try:
            for line in load(inputs, seeds_dir):
                print(f"loaded {line}", flush=True)
        except ParseError as error:
            print(error, file=sys.stderr)
            print(f"nothing built: the seeds and {warehouse} are unchanged", file=sys.stderr)
            return 1

        warehouse.parent.mkdir(parents=True, exist_ok=True)
        building = warehouse.with_name(f".{warehouse.name}.building")
        remove_database(building)  # a killed build's leftover
        try:
            variables = {"overlap_policy": overlap_policy,
                         "raw_rows_csv": str(BULK_ROWS) if BULK_ROWS.exists() else ""}
            # dbt's unit tests check the SQL, not the data: `make test` runs them (tests/test_build.py).
            arguments = ["build", "--exclude-resource-type", "unit_test", "--vars", json.dumps(variables)]
            # dbt's JSON artifacts (manifest.json, run_results.json) take a tenth of a small build and
            # nothing here reads them; DBT_WRITE_JSON=true keeps them (make bench reads node timings).
            if run_dbt(building, arguments, pass_fds=(lock,), defaults={"DBT_WRITE_JSON": "false"}) != 0:
                failed = warehouse.with_name(f"{warehouse.stem}.failed{warehouse.suffix}")
                remove_database(failed)  # an older failure's file is not this one's
                if building.exists():  # keep the failed build: its test_failures schema holds the cells
                    try:
                        fold_log(building)
                    except duckdb.Error:
                        pass  # its log then moves with it
                    move_database(building, failed)
                    print(f"dbt build failed: {warehouse} is unchanged; the failed build, with the failing "
                          f"cells in its test_failures schema, is {failed}", file=sys.stderr)
                else:
                    print(f"dbt build failed: {warehouse} is unchanged", file=sys.stderr)
                return 1
            fold_log(building)  # so that the one rename publishes everything
            export_marts(building, exports)
            os.replace(building, warehouse)
        finally:
            remove_database(building)
    print(f"published {warehouse} in {time.perf_counter() - started:.1f} s; marts exported to {exports}")
    return 0


def published_arguments(description: str, default_output: Path,
                        argv: list[str] | None) -> argparse.Namespace | None:
    """--warehouse and --output for the commands that read the published warehouse; None, after saying
    so, when there is no warehouse yet."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    parser.add_argument("--output", type=Path, default=default_output)
    args = parser.parse_args(argv)
    if not args.warehouse.exists():
        print(f"{args.warehouse}: no warehouse yet; run `make build` first", file=sys.stderr)
        return None
    return args


def write_from_warehouse(description: str, default_output: Path, render, argv: list[str] | None,
                         echo: bool = False) -> int:
    """Render a page from the published warehouse (opened read-only) and write it to --output."""
    args = published_arguments(description, default_output, argv)
    if args is None:
        return 1
    with duckdb.connect(str(args.warehouse), read_only=True) as connection:
        text = render(connection)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    if echo:
        print(text)
    print(f"written to {args.output}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", type=Path, default=[DEFAULT_INPUT],
                        help="documents or folders of *.txt documents (default: data/raw)")
    parser.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE,
                        help="the DuckDB file to publish (default: warehouse/nav_tiltak.duckdb)")
    parser.add_argument("--exports", type=Path, default=DEFAULT_EXPORTS,
                        help="where to write the marts as Parquet and CSV (default: exports/)")
    parser.add_argument("--overlap-policy", choices=["fail", "latest_document"], default="fail",
                        help="when documents print the same cell with different values: fail (default), or "
                             "use the document last in file-name order")
    args = parser.parse_args(argv)
    return build(args.inputs, args.warehouse, args.exports, overlap_policy=args.overlap_policy)


if __name__ == "__main__":
    sys.exit(main())
