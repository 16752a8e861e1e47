"""Publishing a warehouse and its exports together, in one step, without ever touching what is not ours.

A warehouse path P (``warehouse/nav_tiltak.duckdb``) and its exports folder E are links into a folder of
builds beside P, which the project made (its marker: ``nav_tiltak.ownership``):

    P -> .nav_tiltak.duckdb.builds/current/warehouse.duckdb
    E -> .nav_tiltak.duckdb.builds/current/exports
    .nav_tiltak.duckdb.builds/current -> <build>      (the one step: renaming a new link over this one)
    .nav_tiltak.duckdb.builds/previous -> <build>     (kept for readers that opened it before)
    nav_tiltak_audit.duckdb -> .nav_tiltak.duckdb.builds/current/publisher.duckdb   (for the publisher)
    nav_tiltak.failed.duckdb -> .nav_tiltak.duckdb.builds/failed/warehouse.duckdb   (the last failed build)

A build writes its database, the publisher's database (the disclosure audit cell by cell, which would reveal
what a `*` holds: never in the file BI tools open), its exports and the raw seeds it was built from (``raw/``)
into a new folder of
its own; publishing replaces the ``current`` link by one rename, so a reader opening P or listing E sees the
old warehouse with its old exports or the new one with its new exports, never a mix. A reader that has the
old file open keeps reading it: the previous build is kept until the next build publishes. Nothing is ever
written into a published folder, and a path that exists and is not one of these links is never replaced.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
from duckdb import CaseExpression, ColumnExpression, ConstantExpression, FunctionExpression

from nav_tiltak import ownership
from nav_tiltak.messages import shown
from nav_tiltak.paths import PROJECT_DIR

EXPORTED_SCHEMA = "marts"
# The database files' names inside a build folder, whatever the warehouse is called: the warehouse, and the
# publisher's (the disclosure audit cell by cell, which BI tools never see).
DATABASE_NAME = "warehouse.duckdb"
AUDIT_NAME = "publisher.duckdb"
_DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file
# A text cell that a spreadsheet would read as a formula starts with one of these (OWASP, CSV injection).
_FORMULA_START = "^[=+\\-@\t\r]"


class PathError(ValueError):
    """A WAREHOUSE or EXPORTS path the build refuses before writing anything; the message says why."""


# The project's own folders, where a published file would break it; what would go wrong, for the message.
RESERVED = {
    "seeds": "the project's reference data and the default warehouse's raw seeds are there",
    "target": "dbt writes there, and each build deletes target/build",
    "logs": "dbt writes its log there",
    "models": "the dbt models live there", "macros": "the dbt macros live there", "tests": "the tests live there",
    "nav_tiltak": "the project's code lives there", "scripts": "the project's code lives there",
    "bench": "the project's code lives there", "docs": "the project's documentation lives there",
    ".git": "it is git's", ".venv": "it is the project's virtual environment",
}


def check_place(name: str, given: Path, path: Path, inputs: list[Path], error=PathError) -> None:
    """Refuse an output ``path`` (what ``name`` = ``given`` writes) that would overwrite an input, lie inside an
    input folder (a later build would read it as a document), inside one of the project's own folders, or
    inside a folder of builds (whose old builds are removed)."""
    real = _real(path)
    writes = "" if path == given else f" would write {shown(str(path), 200)}, which"
    sources = [Path(os.path.realpath(p)) for p in inputs]
    for source in sources:
        if real == source or real in source.parents:
            raise error(f"{name} {shown(str(given), 200)}{writes} would overwrite the input "
                        f"{shown(str(source), 200)}; choose another path")
    for source in sources:
        if source.is_dir() and source in real.parents:
            raise error(f"{name} {shown(str(given), 200)}{writes} is inside the input folder "
                        f"{shown(str(source), 200)}: a later build would read it as a document; choose a path "
                        "outside it")
    for folder, why in RESERVED.items():
        if PROJECT_DIR / folder == real or PROJECT_DIR / folder in real.parents:
            raise error(f"{name} {shown(str(given), 200)}{writes} is inside the project's {folder}/: {why}; "
                        "choose another path")
    inside = next((folder for folder in real.parents if _BUILDS.fullmatch(folder.name)), None)
    if inside is not None:
        raise error(f"{name} {shown(str(given), 200)}{writes} is inside {shown(str(inside), 200)}, a folder of "
                    "builds, whose old builds are removed; choose another path")


# A folder of builds beside a warehouse, and what it holds: the links and the builds the project names so,
# each marked as the project's (nothing else in it is ever removed).
_BUILDS = re.compile(r"\..+\.builds")
_BUILD_NAME = re.compile(r"build-\d{8}T\d{6}-\d+|next|failed")
BUILDS_KIND, BUILD_KIND, FAILED_KIND, NEXT_KIND = "builds", "build", "failed build", "build being written"


@dataclass(frozen=True)
class Layout:
    """Where a warehouse and its exports are published, and where its builds are made."""

    warehouse: Path  # the path BI tools open: a link to the current build's database
    exports: Path  # a link to the current build's exports
    audit: Path  # a link to the current build's publisher's database (the disclosure audit, cell by cell)
    builds: Path  # the folder of builds beside the warehouse, the project's (ownership.MARKER)
    failed: Path  # a link to a failed build's database, kept for its failing rows

    @classmethod
    def for_paths(cls, warehouse: Path, exports: Path | None = None) -> Layout:
        warehouse = Path(os.path.abspath(warehouse))
        exports = Path(os.path.abspath(exports)) if exports else warehouse.with_name(f"{warehouse.stem}_exports")
        suffix = warehouse.suffix or ".duckdb"
        return cls(warehouse, exports, warehouse.with_name(f"{warehouse.stem}_audit{suffix}"),
                   warehouse.with_name(f".{warehouse.name}.builds"),
                   warehouse.with_name(f"{warehouse.stem}.failed{suffix}"))

    @property
    def current(self) -> Path:
        return self.builds / "current"

    def is_link_into(self, path: Path, target: Path) -> bool:
        """Whether ``path`` is a link to ``target``, in a builds folder the project made."""
        return (path.is_symlink() and os.path.normpath(path.parent / os.readlink(path)) == str(target)
                and ownership.is_ours(self.builds, BUILDS_KIND))

    def check(self, inputs: list[Path]) -> None:
        """Refuse, before anything is written, paths that would overwrite an input or anything the project did
        not publish, or put what a build writes where it would break the project or a later build."""
        for path in (self.warehouse, self.audit, self.builds, self.failed):
            check_place("WAREHOUSE", self.warehouse, path, inputs)
        check_place("EXPORTS", self.exports, self.exports, inputs)
        if self.exports == self.warehouse or self.exports in self.warehouse.parents:
            raise PathError(f"EXPORTS {shown(str(self.exports), 200)} is the warehouse's own path; choose another")
        if (self.builds.exists() or self.builds.is_symlink()) and not ownership.is_ours(self.builds, BUILDS_KIND):
            raise PathError(f"WAREHOUSE {shown(str(self.warehouse), 200)} keeps its builds in "
                            f"{shown(str(self.builds), 200)}, which exists and is not a folder this project made "
                            "(or one an earlier version made); refusing to write into it: move it away")
        warehouse = self.warehouse
        if warehouse.is_dir() and not warehouse.is_symlink():
            raise PathError(f"WAREHOUSE {shown(str(warehouse), 200)} is a folder; give the path of the DuckDB file to "
                            "publish, such as warehouse/nav_tiltak.duckdb")
        if (warehouse.exists() or warehouse.is_symlink()) and \
                not self.is_link_into(warehouse, self.current / DATABASE_NAME):
            what = "a DuckDB database" if _is_duckdb_file(warehouse) else "a file"
            raise PathError(f"WAREHOUSE {shown(str(warehouse), 200)} exists and is {what} this project did not "
                            "publish; refusing to replace it (choose another path)")
        audit = self.audit
        if (audit.exists() or audit.is_symlink()) and not self.is_link_into(audit, self.current / AUDIT_NAME):
            raise PathError(f"WAREHOUSE {shown(str(warehouse), 200)} publishes its audit as {shown(str(audit), 200)}, "
                            "which exists and is not a link this project made; refusing to replace it (move it, or "
                            "choose another WAREHOUSE)")
        failed = self.failed
        if (failed.exists() or failed.is_symlink()) and not self.is_link_into(failed, self.builds / "failed" /
                                                                              DATABASE_NAME):
            raise PathError(f"WAREHOUSE {shown(str(warehouse), 200)} keeps a failed build as "
                            f"{shown(str(failed), 200)}, which exists and is not a link this project made; "
                            "refusing to replace it (move it, or choose another WAREHOUSE)")
        exports = self.exports
        if exports.is_symlink() and not self.is_link_into(exports, self.current / "exports"):
            raise PathError(f"EXPORTS {shown(str(exports), 200)} is a link this warehouse did not publish; refusing to "
                            "replace it")
        if not exports.is_symlink() and exports.exists() and not (exports.is_dir() and not any(exports.iterdir())):
            raise PathError(f"EXPORTS {shown(str(exports), 200)} exists and is not an empty folder; exports are "
                            "published as a link to the build's own folder, so choose a new path")

    def new_build(self) -> Path:
        """A new, empty build folder, ``next``; leftovers of killed builds are removed first (call under the
        lock, after ``check``). Publishing renames it to a name of its own."""
        if not self.builds.exists():
            self.builds.mkdir(parents=True)
            ownership.mark(self.builds, BUILDS_KIND)
        self._remove_old_builds({os.readlink(link) for link in (self.current, self.builds / "previous")
                                 if link.is_symlink()} | {"failed"})
        build = self.builds / "next"
        build.mkdir()
        ownership.mark(build, NEXT_KIND)
        return build

    def keep_failed(self, database: Path, audit: Path) -> Path | None:
        """Keep a failed build's database (its test_failures schema holds the failing rows), and its
        publisher's database, in the builds folder, the first linked as ``failed``; returns the link, or None
        if there was no database."""
        kept = self.builds / "failed"
        if kept.exists() and not ownership.is_ours(kept, FAILED_KIND, files_required=True):
            return None  # a folder someone changed: left alone, and this failure not kept
        _remove(kept)
        if not database.exists():
            return None
        kept.mkdir()
        for source, name in ((database, DATABASE_NAME), (audit, AUDIT_NAME)):
            for suffix in ("", ".wal"):  # the log moves with it, where it could not be folded in
                if source.with_name(source.name + suffix).exists():
                    shutil.move(source.with_name(source.name + suffix), kept / (name + suffix))
        ownership.mark(kept, FAILED_KIND, ownership.files_in(kept), digest=False)
        if not self.is_link_into(self.failed, kept / DATABASE_NAME):
            _new_link(self.failed, os.path.relpath(kept / DATABASE_NAME, self.failed.parent))
        return self.failed

    def publish(self, build: Path) -> Path:
        """Make ``build`` the published warehouse and exports: one rename of the ``current`` link (after the
        build folder is marked with its files and renamed from ``next`` to a name of its own). The outer
        links are made once, before that rename, each only where nothing is (a path that appeared since the
        check stops the build, unpublished). Returns the build's folder."""
        ownership.mark(build, BUILD_KIND, ownership.files_in(build), digest=False)
        named = self.builds / f"build-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
        os.replace(build, named)
        made = []
        try:
            if not self.is_link_into(self.exports, self.current / "exports"):
                if self.exports.is_dir() and not self.exports.is_symlink():
                    self.exports.rmdir()  # empty (checked before the build; rmdir refuses otherwise)
                self.exports.parent.mkdir(parents=True, exist_ok=True)
                made.append(_new_link(self.exports, os.path.relpath(self.current / "exports", self.exports.parent)))
            if not self.is_link_into(self.audit, self.current / AUDIT_NAME):
                made.append(_new_link(self.audit, os.path.relpath(self.current / AUDIT_NAME, self.audit.parent)))
            if not self.is_link_into(self.warehouse, self.current / DATABASE_NAME):
                made.append(_new_link(self.warehouse,
                                      os.path.relpath(self.current / DATABASE_NAME, self.warehouse.parent)))
        except BaseException:
            for link in made:
                link.unlink(missing_ok=True)
            os.replace(named, build)  # back as it was, for the caller to remove
            raise
        old = os.readlink(self.current) if self.current.is_symlink() else None
        _link(self.current, named.name)
        if old is not None and old != named.name:
            _link(self.builds / "previous", old)
        # What readers may still hold: current and previous. Older builds go.
        self._remove_old_builds({named.name, old, "failed"})
        return named

    def _remove_old_builds(self, kept: set[str | None]) -> None:
        """Remove the builds folder's old builds, each only if it is the project's and unchanged (a user's
        file saved in one keeps it), and never anything else; ``kept`` stay."""
        for entry in self.builds.iterdir():
            if entry.name in kept or not _BUILD_NAME.fullmatch(entry.name):
                continue
            if any(ownership.is_ours(entry, kind, files_required=kind != NEXT_KIND)
                   for kind in (BUILD_KIND, FAILED_KIND, NEXT_KIND)):
                _remove(entry)


def _real(path: Path) -> Path:
    """Where ``path`` is, its folders' links resolved (not its own: a published warehouse is a link)."""
    return Path(os.path.realpath(path.parent)) / path.name


def _is_duckdb_file(path: Path) -> bool:
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO would block the read, a device never end
            return False
        with open(path, "rb") as handle:
            return handle.read(12)[8:12] == _DUCKDB_MAGIC
    except OSError:
        return False


def _new_link(path: Path, target: str) -> Path:
    """Make the link ``path`` -> ``target`` where nothing is (it fails if something appeared there)."""
    os.symlink(target, path)
    return path


def _link(path: Path, target: str) -> None:
    """Point the link ``path`` at ``target`` in one rename (a new link beside it, renamed over it)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.link")
    temporary.unlink(missing_ok=True)
    os.symlink(target, temporary)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def open_audit(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a published warehouse's publisher's database (its disclosure audit, cell by
    cell; `make protect`'s plan), with the warehouse attached as ``warehouse``."""
    connection = duckdb.connect(str(Layout.for_paths(warehouse).audit), read_only=True)
    connection.execute("attach ? as warehouse (read_only)", [str(warehouse)])
    return connection


def fold_log(database: Path) -> None:
    """Fold DuckDB's write-ahead log into the database file (dbt's process exits without doing so; see
    nav_tiltak.dbt_cli), so that the file alone holds everything."""
    with duckdb.connect(str(database)) as connection:
        connection.execute("checkpoint")


def export_marts(database: Path, folder: Path) -> None:
    """Write every mart as Parquet and CSV into ``folder`` (a new build's own), in the order its rows are
    stored: each mart model sorts by its key (tests/test_publishing.py checks every export), so the same
    warehouse gives the same bytes without sorting again here. Paths and names are passed to DuckDB as
    values, never pasted into SQL.

    In the CSV files a text cell that a spreadsheet would take for a formula (starting with =, +, -, @, a tab
    or a carriage return) is prefixed with a single quote, as OWASP advises against CSV injection; the
    Parquet files hold the text as it is."""
    folder.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(database), read_only=True) as connection:
        # Insertion order is DuckDB's default for a new connection: scans and writers keep the stored order.
        connection.execute("set preserve_insertion_order = true; set enable_progress_bar = false")
        tables = [row[0] for row in connection.execute(
            "select table_name from information_schema.tables where table_schema = ? order by 1",  # and views
            [EXPORTED_SCHEMA]).fetchall()]
        for table in tables:
            relation = connection.table(f"{EXPORTED_SCHEMA}.{table}")
            relation.write_parquet(str(folder / f"{table}.parquet"))
            safe = [_formula_safe(name) if str(kind) == "VARCHAR" else ColumnExpression(name)
                    for name, kind in zip(relation.columns, relation.types, strict=True)]
            relation.select(*safe).write_csv(str(folder / f"{table}.csv"), header=True)


def _formula_safe(name: str):
    column = ColumnExpression(name)
    starts_formula = FunctionExpression("regexp_matches", column, ConstantExpression(_FORMULA_START))
    return CaseExpression(starts_formula, FunctionExpression("concat", ConstantExpression("'"), column)) \
        .otherwise(column).alias(name)
