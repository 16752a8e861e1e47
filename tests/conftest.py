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

from nav_tiltak.paths import copy_project  # noqa: F401  (the tests import it from here)

PROJECT_DIR = Path(__file__).resolve().parent.parent
DOCUMENT_2021 = PROJECT_DIR / "data" / "raw" / "deltakere-arbeidsrettede-tiltak-2021.txt"
TEXT_2021 = DOCUMENT_2021.read_text(encoding="utf-8")
OSLO_JANUARY = ("select participant_count from marts.main_group_by_measure_group where month_date = "
                "date '2021-01-01' and county_code = '03' and main_group = 'alle' and measure_group = 'avklaring'")


def run_cli(project: Path, command: str, *arguments: str, timeout: float = 600,
            environment: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `scripts/nav-tiltak COMMAND ...` in `project` with this interpreter, in a bare environment (plus
    ``environment``); output is captured as text."""
    return subprocess.run([sys.executable, str(project / "scripts" / "nav-tiltak"), command, *arguments], cwd=project,
                          capture_output=True, text=True,
                          env={"DO_NOT_TRACK": "1", "PATH": "/usr/bin:/bin", **(environment or {})},
                          stdin=subprocess.DEVNULL, timeout=timeout, check=False)


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
    """A project copy with the warehouse built from the shipped 2021 document."""
    project = copy_project(tmp_path_factory.mktemp("built") / "project")
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""  # no warnings either (leaked semaphores, objects reported alive at exit)
    return project


@pytest.fixture
def own_warehouse(built_project: Path, tmp_path: Path) -> Path:
    """A warehouse of this test's own, published from the shipped document (a copy of the built project's,
    links and all), for a test that publishes into it: the shared warehouse stays as it is."""
    shutil.copytree(built_project / "warehouse", tmp_path / "warehouse", symlinks=True)
    return tmp_path / "warehouse" / "nav_tiltak.duckdb"


@pytest.fixture(scope="session")
def warehouse(built_project: Path):
    """A read-only connection to the built warehouse."""
    with duckdb.connect(str(built_project / "warehouse" / "nav_tiltak.duckdb"), read_only=True) as connection:
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
