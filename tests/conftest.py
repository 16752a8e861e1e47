"""Shared helpers: a private copy of the project to build in, so tests never touch the user's seeds or
warehouse, and one warehouse built from the shipped 2021 document for the tests that read it."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from nav_tiltak.paths import copy_project as copy_checkout

PROJECT_DIR = Path(__file__).resolve().parent.parent
DOCUMENT_2021 = PROJECT_DIR / "data" / "raw" / "deltakere-arbeidsrettede-tiltak-2021.txt"
TEXT_2021 = DOCUMENT_2021.read_text(encoding="utf-8")
OSLO_JANUARY = ("select participant_count from marts.main_group_by_measure_group where month_date = "
                "date '2021-01-01' and county_code = '03' and main_group = 'alle' and measure_group = 'avklaring'")


def run_cli(project: Path, command: str, *arguments: str, timeout: float = 600,
            environment: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `scripts/nav-tiltak COMMAND ...` in `project` with this interpreter, in a bare environment (plus
    ``environment``, and the stand-in dbt's cache); output is captured as text."""
    bare = {"DO_NOT_TRACK": "1", "PATH": "/usr/bin:/bin", "NAV_TILTAK_DBT_CACHE": os.environ["NAV_TILTAK_DBT_CACHE"]}
    return subprocess.run([sys.executable, str(project / "scripts" / "nav-tiltak"), command, *arguments], cwd=project,
                          capture_output=True, text=True, env={**bare, **(environment or {})},
                          stdin=subprocess.DEVNULL, timeout=timeout, check=False)


# A copy of the project carries dbt's parse cache from the session's built project, once there is one (dbt
# re-parses only what differs), and, where a test asks, the caching stand-in for dbt (tests/standin_dbt.py).
_PARSE_CACHE: list[Path] = []


def copy_project(destination: Path, standin: bool = False) -> Path:
    """A copy of the project as a fresh clone has it (no raw seeds, no warehouse), with dbt's parse cache;
    ``standin``: dbt's step replayed from the session's cache where the same input was built before."""
    project = copy_checkout(destination)
    if _PARSE_CACHE:
        (project / "target").mkdir(exist_ok=True)
        shutil.copyfile(_PARSE_CACHE[0], project / "target" / "partial_parse.msgpack")
    if standin:
        shutil.copyfile(project / "nav_tiltak" / "dbt_cli.py", project / "nav_tiltak" / "dbt_cli_real.py")
        shutil.copyfile(PROJECT_DIR / "tests" / "standin_dbt.py", project / "nav_tiltak" / "dbt_cli.py")
    return project


@pytest.fixture(scope="session", autouse=True)
def dbt_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The stand-in dbt's cache, one for the whole run (shared by pytest-xdist's workers, whose temporary
    folders are beside each other; pytest removes old runs' folders)."""
    base = tmp_path_factory.getbasetemp()
    cache = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "dbt-cache"
    cache.mkdir(exist_ok=True)
    os.environ["NAV_TILTAK_DBT_CACHE"] = str(cache)
    return cache


def printed_cells(document) -> list[tuple[int, str, str, str, str]]:
    """(line, table title, row label, month label, value as printed) for every cell a parsed document prints."""
    return [(line, table.title, label, month, value)
            for table in document.tables
            for label, line, values in zip(table.row_labels, table.row_lines, table.row_values, strict=True)
            for month, value in zip(table.months, values.split("\t"), strict=True)]


def edited(replacements: list[tuple[str, str, str]], text: str = TEXT_2021) -> str:
    """The 2021 document with, on the first line starting with each prefix, `old` replaced by `new`."""
    lines = text.split("\n")
    for start, old, new in replacements:
        index = next(i for i, line in enumerate(lines) if line.startswith(start))
        assert old in lines[index], (start, old)
        lines[index] = lines[index].replace(old, new, 1)
    return "\n".join(lines)


def consistent_edition(path: Path) -> Path:
    """The 2021 document with Oslo's January avklaring one higher everywhere it enters (all groups, the
    nedsatt arbeidsevne table, and both tables' I alt rows), so every data rule still holds."""
    path.write_text(edited([("Oslo\t399\t365", "399", "400"), ("I alt avklaringstiltak\t3 704", "3 704", "3 705"),
                            ("Oslo\t333\t300", "333", "334"),
                            ("I alt nedsatt arbeidsevne, på tiltak, avklaringstiltak\t2 875", "2 875", "2 876")]),
                    encoding="utf-8")
    return path


def published_files(project: Path, warehouse: Path | None = None) -> dict[str, str]:
    """What a build publishes, by content: the warehouse file, each export and each raw seed (SHA-256)."""
    warehouse = warehouse or project / "warehouse" / "nav_tiltak.duckdb"
    exports = warehouse.with_name(f"{warehouse.stem}_exports")
    files = {"warehouse": warehouse, **{f"exports/{p.name}": p for p in sorted(exports.glob("*"))},
             **{f"seeds/{p.name}": p for p in sorted((project / "seeds" / "raw").glob("*"))}}
    return {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in files.items()}


def oslo_january(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(OSLO_JANUARY).fetchone()[0]


def assert_refused_in_one_line(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    """A refusal as a person should meet it: non-zero exit, no traceback, the last line of stderr saying
    that nothing was published, and each expected text in what was printed."""
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    assert result.stderr.strip().splitlines()[-1].rstrip().endswith(" are unchanged"), output
    for text in expected:
        assert text in output, output


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copy with the warehouse built from the default input (data/raw), and the stand-in dbt: a
    later build of the same input there copies that build's database."""
    project = copy_project(tmp_path_factory.mktemp("built") / "project", standin=True)
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""  # no warnings either (leaked semaphores, objects reported alive at exit)
    _PARSE_CACHE.append(project / "target" / "partial_parse.msgpack")
    return project


@pytest.fixture
def own_warehouse(built_project: Path, tmp_path: Path) -> Path:
    """A warehouse of this test's own, published from the shipped document (a copy of the built project's,
    links and all), for a test that publishes into it: the shared warehouse stays as it is."""
    shutil.copytree(built_project / "warehouse", tmp_path / "warehouse", symlinks=True)
    return tmp_path / "warehouse" / "nav_tiltak.duckdb"


def connect_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a published warehouse, its publisher's database (the disclosure audit cell
    by cell, `make protect`'s plan) attached as ``publisher``."""
    connection = duckdb.connect(str(path), read_only=True)
    connection.execute("attach ? as publisher (read_only)", [str(path.with_name(f"{path.stem}_audit{path.suffix}"))])
    return connection


@pytest.fixture(scope="session")
def warehouse(built_project: Path):
    """A read-only connection to the built warehouse (the publisher's database attached as ``publisher``)."""
    with connect_warehouse(built_project / "warehouse" / "nav_tiltak.duckdb") as connection:
        yield connection


def link_venv(project: Path) -> None:
    """Let `make` in a project copy use the running interpreter's virtual environment as its .venv."""
    venv = project / ".venv"
    if not venv.exists():
        venv.symlink_to(sys.prefix)
    (venv / "installed").touch()  # newer than requirements.txt: make installs nothing


def make_environment() -> dict[str, str]:
    """The environment of a user's top-level `make`, also under `make test` (whose MAKELEVEL would make it
    print "make[1]: ...")."""
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS", "MAKEOVERRIDES")}
    return {**environment, "DO_NOT_TRACK": "1"}


def can_mount() -> bool:
    """Whether tests may mount a small tmpfs (root on Linux): how a full or read-only disk is made real."""
    return os.geteuid() == 0 and Path("/proc/mounts").exists()


# The fixtures that build: a test that uses one is an end-to-end test (the marker `e2e`).
_BUILDING_FIXTURES = {"built_project", "own_warehouse", "warehouse", "mounted", "protected_2021", "editions_warehouse"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _BUILDING_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.e2e)
