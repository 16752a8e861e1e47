"""The build: NAV documents to a published warehouse, end to end, safely (``nav-tiltak build``).

1. Check the paths: WAREHOUSE and EXPORTS never overwrite an input, a folder, or a file that is not a
   published warehouse (nothing is written before this).
2. Take the project's build lock: a second build waits for the first (dbt's target/ is shared).
3. Load the documents into this build's raw seeds, target/build/raw (nothing if any document is bad).
4. Run ``dbt build`` (models, every test) into target/build/warehouse.duckdb.
5. Only if everything passed: move the database into a new build folder beside the published warehouse,
   export the marts into it, publish the build (warehouse and exports in one rename, see
   ``nav_tiltak.publish``), and put the raw seeds in place in seeds/raw.

The published warehouse is never opened for writing, so BI tools holding it open read-only are never
blocked. A failure at any step, Ctrl-C, SIGTERM or a full disk ends with one line saying what happened and
leaves the published warehouse, its exports and the seeds as they were; a build killed outright (SIGKILL)
leaves them too, and the next build removes what it left.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from nav_tiltak.dbt_runner import build_lock, run_dbt
from nav_tiltak.load import document_paths, load
from nav_tiltak.parse import ParseError, shown
from nav_tiltak.paths import BUILD_DATABASE, BUILD_DIR, BUILD_RAW_DIR, PROJECT_DIR, RAW_SEEDS_DIR
from nav_tiltak.publish import DATABASE_NAME, Layout, PathError, export_marts, fold_log

_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Interrupted(Exception):
    """A signal asked the build to stop."""


@contextmanager
def stopped_by_signals() -> Iterator[None]:
    """SIGINT (Ctrl-C), SIGTERM and SIGHUP stop the build through its normal clean-up (an exception raised
    where it is), once: further signals are ignored, so that the clean-up always finishes. (dbt, in the same
    process group, gets a terminal's Ctrl-C too; on any exception the build kills it.)"""

    def stop(number: int, _frame) -> None:
        for other in _SIGNALS:
            signal.signal(other, signal.SIG_IGN)
        raise Interrupted(signal.Signals(number).name)

    previous = {number: signal.signal(number, stop) for number in _SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@contextmanager
def uninterrupted() -> Iterator[None]:
    """Hold signals back while the build publishes (a few renames), then ignore them: a build that has
    published has succeeded, whatever arrives after."""
    signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        for number in _SIGNALS:
            signal.signal(number, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)


def put_seeds_in_place(raw_dir: Path, seeds_dir: Path) -> None:
    """Move this build's raw seeds into seeds/raw (each file by one rename) and remove any other seed."""
    seeds_dir.mkdir(parents=True, exist_ok=True)
    names = {path.name for path in raw_dir.glob("*.csv")}
    for name in sorted(names):
        os.replace(raw_dir / name, seeds_dir / name)
    for stale in seeds_dir.glob("*.csv"):
        if stale.name not in names:
            stale.unlink()


def keep_failed(database: Path, failed: Path) -> bool:
    """Keep a failed build's database (its test_failures schema holds the failing rows) as ``failed``."""
    for leftover in (failed, failed.with_name(failed.name + ".wal")):
        leftover.unlink(missing_ok=True)  # an older failure's file is not this one's
    if not database.exists():
        return False
    try:
        fold_log(database)
    except duckdb.Error:
        wal = database.with_name(database.name + ".wal")
        if wal.exists():  # the log moves with it
            shutil.move(wal, failed.with_name(failed.name + ".wal"))
    failed.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(database, failed)
    return True


def build(inputs: list[Path], warehouse: Path, exports: Path | None = None, overlap_policy: str = "fail",
          extra_variables: dict | None = None) -> int:
    """Check, lock, load, build, export and publish; returns the exit status. Every way out is one line.
    ``extra_variables`` are further dbt vars (`make protect` builds the protection models with them)."""
    started = time.perf_counter()
    layout = Layout.for_paths(warehouse, exports)
    unchanged = (f"nothing published: {shown(str(layout.warehouse), 200)}, its exports and the seeds are "
                 "unchanged")
    published = False

    def after(published: bool) -> str:
        return "published, but the seeds were not all put in place in seeds/raw" if published else unchanged

    try:
        with stopped_by_signals():
            layout.check([*inputs, *document_paths(inputs)])  # the folders and the documents in them
            with build_lock() as lock:
                shutil.rmtree(PROJECT_DIR / BUILD_DIR, ignore_errors=True)  # an earlier build's, failed or killed
                raw_dir = PROJECT_DIR / BUILD_RAW_DIR
                for line in load(inputs, raw_dir):
                    print(f"loaded {line}", flush=True)
                folder = layout.new_build()  # made before dbt runs: a disk that refuses it stops the build now
                try:
                    variables = {"overlap_policy": overlap_policy, "raw_dir": str(BUILD_RAW_DIR),
                                 **(extra_variables or {})}
                    # dbt's unit tests check the SQL, not the data: `make test` runs them (tests/test_build.py).
                    arguments = ["build", "--exclude-resource-type", "unit_test", "--vars", json.dumps(variables)]
                    # dbt's JSON artifacts (manifest.json, run_results.json) take a tenth of a small build and
                    # nothing here reads them; DBT_WRITE_JSON=true keeps them (make bench reads node timings).
                    status = run_dbt(BUILD_DATABASE, arguments, pass_fds=(lock,), defaults={"DBT_WRITE_JSON": "false"})
                    if status != 0:
                        kept = keep_failed(BUILD_DATABASE, layout.failed)
                        print("dbt build failed" + (f" (the failing rows are in the test_failures schema of "
                                                    f"{shown(str(layout.failed), 200)})" if kept else "")
                              + f": {unchanged}", file=sys.stderr)
                        return 1
                    fold_log(BUILD_DATABASE)  # so that the file alone holds everything
                    database = folder / DATABASE_NAME
                    shutil.move(BUILD_DATABASE, database)  # a rename on one disk, else a copy
                    export_marts(database, folder / "exports")
                    with uninterrupted():
                        layout.publish(folder)  # renames the folder: nothing to remove after this
                        published = True
                        put_seeds_in_place(raw_dir, RAW_SEEDS_DIR)
                finally:
                    if not published:
                        shutil.rmtree(folder, ignore_errors=True)
    except Interrupted as signal_name:
        print(f"interrupted ({signal_name}): {unchanged}", file=sys.stderr)
        return 130 if str(signal_name) == "SIGINT" else 143
    except (PathError, ParseError) as error:
        print(error, file=sys.stderr)
        print(unchanged, file=sys.stderr)
        return 1
    except OSError as error:
        where = shown(str(error.filename), 200) if error.filename else "the build"
        print(f"{where}: {error.strerror or error}: {after(published)}", file=sys.stderr)
        return 1
    except duckdb.Error as error:
        print(f"DuckDB: {shown(str(error).splitlines()[0], 300)}: {unchanged}", file=sys.stderr)
        return 1
    except Exception as error:  # a fault of ours: still one line, and still nothing published
        print(f"unexpected {type(error).__name__}: {shown(str(error), 300)} (please report it): "
              f"{after(published)}", file=sys.stderr)
        return 1
    print(f"published {layout.warehouse} in {time.perf_counter() - started:.1f} s; marts exported to "
          f"{layout.exports}")
    return 0
