"""The build: NAV documents to a published warehouse, end to end, safely (``nav-tiltak build``).

1. Check the paths: WAREHOUSE and EXPORTS never overwrite an input or anything the project did not publish,
   and never go where they would break the project or a later build (nothing is written before this).
2. Take the project's build lock: a second build waits for the first (dbt's target/ is shared).
3. Load the documents into this build's raw seeds, target/build/raw (nothing if any document is bad).
4. Run ``dbt build`` (models, every test) into target/build/warehouse.duckdb.
5. Only if everything passed: move the database into a new build folder beside the published warehouse,
   export the marts into it, keep its raw seeds with it, and publish the build (warehouse and exports in
   one rename, see ``nav_tiltak.publish``); for the default warehouse, copy its raw seeds to seeds/raw
   (which always describes warehouse/nav_tiltak.duckdb, for dbt run by hand).

The published warehouse is never opened for writing, so BI tools holding it open read-only are never
blocked. A failure at any step, Ctrl-C, SIGTERM or a full disk ends with one line saying what happened and
leaves the published warehouse, its exports and the seeds as they were; a build killed outright (SIGKILL)
leaves them too, and the next build removes what it left. A signal is reported as a signal wherever it
arrives (DuckDB turns one that arrives inside a query into its own error).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb

from nav_tiltak.dbt_runner import audit_database_of, build_lock, run_dbt
from nav_tiltak.load import SEED_COLUMNS, document_paths, load
from nav_tiltak.messages import ParseError, shown
from nav_tiltak.paths import BUILD_DATABASE, BUILD_DIR, BUILD_RAW_DIR, DEFAULT_WAREHOUSE, PROJECT_DIR, RAW_SEEDS_DIR
from nav_tiltak.publish import AUDIT_NAME, DATABASE_NAME, Layout, PathError, export_marts, fold_log

_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
BUILD_AUDIT = audit_database_of(BUILD_DATABASE)


class Interrupted(Exception):
    """A signal asked the build to stop."""


# The signal that stopped the build, once one has: DuckDB turns an exception raised inside one of its calls
# into its own ("Query interrupted"), so the build asks this, not the exception, whether it was stopped.
_received: list[str] = []


@contextmanager
def stopped_by_signals() -> Iterator[None]:
    """SIGINT (Ctrl-C), SIGTERM and SIGHUP stop the build through its normal clean-up (an exception raised
    where it is), once: further signals are ignored, so that the clean-up always finishes. (dbt, in the same
    process group, gets a terminal's Ctrl-C too; on any exception the build kills it.)"""

    def stop(number: int, _frame) -> None:
        for other in _SIGNALS:
            signal.signal(other, signal.SIG_IGN)
        _received.append(signal.Signals(number).name)
        raise Interrupted(signal.Signals(number).name)

    _received.clear()
    previous = {number: signal.signal(number, stop) for number in _SIGNALS}
    try:
        yield
    finally:
        # Once the build has published (uninterrupted() left signals ignored, and none stopped it), they stay
        # ignored until the process ends: a handler put back here would report a published build as stopped,
        # and Python's exit would die of the signal (143).
        if _received or signal.getsignal(signal.SIGTERM) is not signal.SIG_IGN:
            for number, handler in previous.items():
                signal.signal(number, handler)


def stopped_by() -> str | None:
    """The signal that stopped the build (SIGINT, SIGTERM, SIGHUP), if one did."""
    return _received[0] if _received else None


def exit_status(signal_name: str) -> int:
    return 130 if signal_name == "SIGINT" else 143


@contextmanager
def uninterrupted() -> Iterator[None]:
    """Hold signals back while the build publishes (a few renames), then ignore them until the process ends
    (SIG_IGN, which Python's exit keeps): a build that has published has succeeded, whatever arrives after."""
    signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        for number in _SIGNALS:
            signal.signal(number, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)


def check_seeds_link() -> None:
    """seeds/raw is the default warehouse's raw seeds: a link the project makes to its published build's
    raw/. Refuse, before anything is written, a seeds/raw that is something else (a user's link or files);
    a folder holding only raw seeds an earlier version of the project put there is replaced."""
    if RAW_SEEDS_DIR.is_symlink():
        if os.path.normpath(RAW_SEEDS_DIR.parent / os.readlink(RAW_SEEDS_DIR)) != str(_SEEDS_TARGET):
            raise PathError(f"{shown(str(RAW_SEEDS_DIR), 200)} is a link this project did not make (to "
                            f"{shown(os.readlink(RAW_SEEDS_DIR), 200)}); the build links the default warehouse's raw "
                            "seeds there: remove the link")
    elif RAW_SEEDS_DIR.exists() and (not RAW_SEEDS_DIR.is_dir() or
                                     {path.name for path in RAW_SEEDS_DIR.iterdir()} - set(SEED_COLUMNS)):
        raise PathError(f"{shown(str(RAW_SEEDS_DIR), 200)} holds files this project did not write; the build links "
                        "the default warehouse's raw seeds there: move them away")


_SEEDS_TARGET = Path(os.path.normpath(DEFAULT_WAREHOUSE.with_name(f".{DEFAULT_WAREHOUSE.name}.builds") / "current"
                                      / "raw"))


def link_seeds() -> None:
    """Make seeds/raw the link to the default warehouse's published raw seeds (checked: ``check_seeds_link``),
    so that it changes with the warehouse, in the same rename."""
    if RAW_SEEDS_DIR.is_symlink():
        return
    if RAW_SEEDS_DIR.is_dir():  # an earlier version's copy of the seeds (checked: only them)
        shutil.rmtree(RAW_SEEDS_DIR)
    RAW_SEEDS_DIR.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(os.path.relpath(_SEEDS_TARGET, RAW_SEEDS_DIR.parent), RAW_SEEDS_DIR)


def _is_default(warehouse: Path) -> bool:
    return Path(os.path.abspath(warehouse)) == DEFAULT_WAREHOUSE


def build(inputs: list[Path], warehouse: Path, exports: Path | None = None, overlap_policy: str = "fail",
          extra_variables: dict | None = None) -> int:
    """Check, lock, load, build, export and publish; returns the exit status. Every way out is one line.
    ``extra_variables`` are further dbt vars (`make protect` builds the protection models with them)."""
    started = time.perf_counter()
    layout = Layout.for_paths(warehouse, exports)
    seeds = " and the seeds" if _is_default(layout.warehouse) else ""
    unchanged = f"nothing published: {shown(str(layout.warehouse), 200)}, its exports{seeds} are unchanged"
    published = False

    def after(published: bool) -> str:
        return "published, but seeds/raw could not be linked to its seeds" if published else unchanged

    try:
        with stopped_by_signals():
            layout.check([*inputs, *document_paths(inputs)])  # the folders and the documents in them
            if _is_default(layout.warehouse):
                check_seeds_link()
            with build_lock() as lock:
                shutil.rmtree(PROJECT_DIR / BUILD_DIR, ignore_errors=True)  # an earlier build's, failed or killed
                raw_dir = PROJECT_DIR / BUILD_RAW_DIR
                for line in load(inputs, raw_dir):
                    print(f"loaded {shown(line, 300)}", flush=True)
                folder = layout.new_build()  # made before dbt runs: a disk that refuses it stops the build now
                try:
                    variables = {"overlap_policy": overlap_policy, "raw_dir": str(BUILD_RAW_DIR),
                                 **(extra_variables or {})}
                    # dbt's unit tests check the SQL, not the data: `make test` runs them (tests/test_build.py).
                    arguments = ["build", "--exclude-resource-type", "unit_test", "--vars", json.dumps(variables)]
                    # dbt's JSON artifacts (manifest.json, run_results.json) take a tenth of a small build and
                    # nothing here reads them; DBT_WRITE_JSON=true keeps them (make bench reads node timings).
                    result = run_dbt(BUILD_DATABASE, arguments, pass_fds=(lock,), defaults={"DBT_WRITE_JSON": "false"})
                    if result.status != 0:
                        if result.disk_full:
                            print(f"dbt build failed: the disk is full ({result.disk_full}): {unchanged}",
                                  file=sys.stderr)
                            return 1
                        with suppress(duckdb.Error):
                            fold_log(BUILD_DATABASE)  # so that the file alone holds the failing rows
                        kept = layout.keep_failed(BUILD_DATABASE, BUILD_AUDIT)
                        print(_first_failure(kept) + f": {unchanged}", file=sys.stderr)
                        return 1
                    fold_log(BUILD_DATABASE)  # so that the file alone holds everything
                    fold_log(BUILD_AUDIT)
                    database = folder / DATABASE_NAME
                    shutil.move(BUILD_DATABASE, database)  # a rename on one disk, else a copy
                    shutil.move(BUILD_AUDIT, folder / AUDIT_NAME)  # the publisher's, beside it
                    export_marts(database, folder / "exports")
                    shutil.move(raw_dir, folder / "raw")  # the seeds this warehouse was built from, with it
                    with uninterrupted():
                        layout.publish(folder)  # renames the folder: nothing to remove after this
                        published = True
                        if _is_default(layout.warehouse):
                            link_seeds()
                finally:
                    if not published:
                        shutil.rmtree(folder, ignore_errors=True)
    except BaseException as error:
        return _stopped(error, stopped_by(), unchanged if not published else after(published))
    print(f"published {shown(str(layout.warehouse), 300)} in {time.perf_counter() - started:.1f} s; marts exported "
          f"to {shown(str(layout.exports), 300)}")
    return 0


def _first_failure(failed: Path | None) -> str:
    """What a failed dbt build says in one line: the first broken data rule's first row (it names its file
    and place), and where the rest are; or only that dbt failed (see its output above)."""
    if failed is None:
        return "dbt build failed (see its output above)"
    try:
        with duckdb.connect(str(failed), read_only=True) as connection:
            tests = [name for (name,) in connection.execute(
                "select table_name from information_schema.tables where table_schema = 'test_failures' "
                "order by table_name").fetchall()]
            row = connection.execute(f'select * from test_failures."{tests[0]}" limit 1').fetchone() if tests else None
            columns = [column[0] for column in connection.description] if tests else []
    except duckdb.Error:
        tests, row, columns = [], None, []
    where = f"in the test_failures schema of {shown(str(failed), 200)}"
    if row is None:
        return f"dbt build failed (see its output above; the failed build's database is {shown(str(failed), 200)})"
    first = row[columns.index("failure")] if "failure" in columns else ", ".join(map(str, row))
    more = f"; {len(tests) - 1} more rule(s) broken" if len(tests) > 1 else ""
    return f"{shown(str(first), 300)} (data rule broken: test {tests[0]}{more}; the failing rows are {where})"


def _stopped(error: BaseException, signal_name: str | None, outcome: str) -> int:
    """The one line a stopped build prints, and its exit status."""
    if signal_name is not None:  # whatever the signal turned into where it arrived (DuckDB's own error, say)
        print(f"interrupted ({signal_name}): {outcome}", file=sys.stderr)
        return exit_status(signal_name)
    if isinstance(error, ParseError | PathError):
        print(f"{error}: {outcome}", file=sys.stderr)
        return 1
    if isinstance(error, OSError):
        # A copy that filled its disk names the file it was writing (filename2), not the one it read.
        filename = error.filename2 if error.errno == errno.ENOSPC and error.filename2 else error.filename
        where = shown(str(filename), 200) if filename else "the build"
        full = " (the disk is full)" if error.errno == errno.ENOSPC else ""
        print(f"{where}: {error.strerror or error}{full}: {outcome}", file=sys.stderr)
        return 1
    if isinstance(error, duckdb.Error):
        print(f"DuckDB: {shown(str(error).splitlines()[0], 300)}: {outcome}", file=sys.stderr)
        return 1
    if isinstance(error, KeyboardInterrupt):  # before the handlers were in place
        print(f"interrupted: {outcome}", file=sys.stderr)
        return 130
    if not isinstance(error, Exception):
        raise error
    # A fault of ours: still one line, and still nothing published.
    print(f"unexpected {type(error).__name__}: {shown(str(error), 300)} (please report it): {outcome}",
          file=sys.stderr)
    return 1
