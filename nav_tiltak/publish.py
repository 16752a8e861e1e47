"""Publishing a warehouse and its exports together, in one step, without ever touching an input.

A warehouse path P (``warehouse/nav_tiltak.duckdb``) and its exports folder E are links into a folder of
builds beside P:

    P -> .nav_tiltak.duckdb.builds/current/warehouse.duckdb
    E -> .nav_tiltak.duckdb.builds/current/exports
    .nav_tiltak.duckdb.builds/current -> <build>      (the one step: renaming a new link over this one)
    .nav_tiltak.duckdb.builds/previous -> <build>     (kept for readers that opened it before)

A build writes its database and exports into a new folder of its own; publishing replaces the ``current``
link by one rename, so a reader opening P or listing E sees the old warehouse with its old exports or the
new one with its new exports, never a mix. A reader that has the old file open keeps reading it: the
previous build is kept until the next build publishes. Nothing is ever written into a published folder.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
from duckdb import CaseExpression, ColumnExpression, ConstantExpression, FunctionExpression

from nav_tiltak.parse import shown

EXPORTED_SCHEMA = "marts"
# The database file's name inside a build folder, whatever the warehouse is called.
DATABASE_NAME = "warehouse.duckdb"
_DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file
# A text cell that a spreadsheet would read as a formula starts with one of these (OWASP, CSV injection).
_FORMULA_START = "^[=+\\-@\t\r]"


class PathError(ValueError):
    """A WAREHOUSE or EXPORTS path the build refuses before writing anything; the message says why."""


@dataclass(frozen=True)
class Layout:
    """Where a warehouse and its exports are published, and where its builds are made."""

    warehouse: Path  # the path BI tools open: a link to the current build's database
    exports: Path  # a link to the current build's exports
    builds: Path  # the folder of builds beside the warehouse
    failed: Path  # a failed build's database, kept for its failing rows

    @classmethod
    def for_paths(cls, warehouse: Path, exports: Path | None = None) -> Layout:
        warehouse = Path(os.path.abspath(warehouse))
        exports = Path(os.path.abspath(exports)) if exports else warehouse.with_name(f"{warehouse.stem}_exports")
        return cls(warehouse, exports, warehouse.with_name(f".{warehouse.name}.builds"),
                   warehouse.with_name(f"{warehouse.stem}.failed{warehouse.suffix or '.duckdb'}"))

    @property
    def current(self) -> Path:
        return self.builds / "current"

    def is_published_link(self, path: Path, inside: str) -> bool:
        """Whether ``path`` is the link this layout publishes through (to current/<inside>)."""
        return path.is_symlink() and os.path.normpath(path.parent / os.readlink(path)) == str(self.current / inside)

    def check(self, inputs: list[Path]) -> None:
        """Refuse, before anything is written, paths that would overwrite an input or something that is not
        a published warehouse or exports folder."""
        resolved_inputs = [Path(os.path.realpath(path)) for path in inputs]

        def overlaps(path: Path) -> Path | None:
            """The input that writing ``path`` would replace: the input itself, or one inside it."""
            real = Path(os.path.realpath(path))
            return next((i for i in resolved_inputs if i == real or real in i.parents), None)

        for name, path in [("WAREHOUSE", self.warehouse), ("EXPORTS", self.exports)]:
            clash = overlaps(path)
            if clash is not None:
                raise PathError(f"{name} {shown(str(path), 200)} would overwrite the input {shown(str(clash), 200)}; "
                                "choose another path")
        for path in [self.failed, self.builds]:
            clash = overlaps(path)
            if clash is not None:
                raise PathError(f"WAREHOUSE {shown(str(self.warehouse), 200)} would write {shown(str(path), 200)}, "
                                f"the input {shown(str(clash), 200)}; choose another path")
        if self.exports == self.warehouse or self.exports in self.warehouse.parents:
            raise PathError(f"EXPORTS {shown(str(self.exports), 200)} is the warehouse's own path; choose another")
        warehouse = self.warehouse
        if warehouse.is_dir() and not warehouse.is_symlink():
            raise PathError(f"WAREHOUSE {shown(str(warehouse), 200)} is a folder; give the path of the DuckDB file to "
                            "publish, such as warehouse/nav_tiltak.duckdb")
        if (warehouse.exists() or warehouse.is_symlink()) and not self.is_published_link(warehouse, DATABASE_NAME) \
                and not _is_duckdb_file(warehouse):
            raise PathError(f"WAREHOUSE {shown(str(warehouse), 200)} exists and is not a DuckDB database; refusing to "
                            "overwrite it")
        exports = self.exports
        if exports.is_symlink() and not self.is_published_link(exports, "exports"):
            raise PathError(f"EXPORTS {shown(str(exports), 200)} is a link this warehouse did not publish; refusing to "
                            "replace it")
        if not exports.is_symlink() and exports.exists() and not (exports.is_dir() and not any(exports.iterdir())):
            raise PathError(f"EXPORTS {shown(str(exports), 200)} exists and is not an empty folder; exports are "
                            "published as a link to the build's own folder, so choose a new path")

    def new_build(self) -> Path:
        """A new, empty build folder, ``next``; leftovers of killed builds are removed first (call under the
        lock). Publishing renames it to a name of its own."""
        self.builds.mkdir(parents=True, exist_ok=True)
        kept = {os.readlink(link) for link in (self.current, self.builds / "previous") if link.is_symlink()}
        for entry in self.builds.iterdir():
            if entry.name not in kept and entry.name not in {"current", "previous"}:
                _remove(entry)
        build = self.builds / "next"
        build.mkdir()
        return build

    def publish(self, build: Path) -> None:
        """Make ``build`` the published warehouse and exports: one rename of the ``current`` link (after the
        build folder is renamed from ``next`` to a name of its own). The outer links are made once (the
        first publish replaces an older plain database file in one rename too)."""
        named = self.builds / f"build-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
        os.replace(build, named)
        old = os.readlink(self.current) if self.current.is_symlink() else None
        _link(self.current, named.name)
        if old is not None and old != named.name:
            _link(self.builds / "previous", old)
        if not self.is_published_link(self.warehouse, DATABASE_NAME):
            _link(self.warehouse, os.path.relpath(self.current / DATABASE_NAME, self.warehouse.parent))
        if not self.is_published_link(self.exports, "exports"):
            if self.exports.is_dir() and not self.exports.is_symlink():
                self.exports.rmdir()  # empty (checked before the build)
            self.exports.parent.mkdir(parents=True, exist_ok=True)
            _link(self.exports, os.path.relpath(self.current / "exports", self.exports.parent))
        # What readers may still hold: current and previous. Older builds go.
        kept = {named.name, old}
        for entry in self.builds.iterdir():
            if entry.name not in kept and entry.name not in {"current", "previous"}:
                _remove(entry)


def _is_duckdb_file(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(12)[8:12] == _DUCKDB_MAGIC
    except OSError:
        return False


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
