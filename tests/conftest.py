"""Shared helpers: a private copy of the project to build in, so tests never touch the user's seeds or
warehouse, and one warehouse built from the shipped 2021 document for the tests that read it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from nav_tiltak.bench import copy_project  # noqa: F401  (the tests import it from here)

PROJECT_DIR = Path(__file__).resolve().parent.parent
DOCUMENT_2021 = PROJECT_DIR / "data" / "raw" / "deltakere-arbeidsrettede-tiltak-2021.txt"


def run_script(project: Path, script: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Run scripts/<script> in `project` with this interpreter; output is captured as text."""
    return subprocess.run([sys.executable, str(project / "scripts" / script), *arguments], cwd=project,
                          capture_output=True, text=True, env={"DO_NOT_TRACK": "1", "PATH": "/usr/bin:/bin"},
                          stdin=subprocess.DEVNULL, timeout=600, check=False)


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copy with the warehouse built from the shipped 2021 document."""
    project = copy_project(tmp_path_factory.mktemp("built") / "project")
    result = run_script(project, "build.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""  # no warnings either (leaked semaphores, objects reported alive at exit)
    return project


@pytest.fixture(scope="session")
def warehouse(built_project: Path):
    """A read-only connection to the built warehouse."""
    with duckdb.connect(str(built_project / "warehouse" / "nav_tiltak.duckdb"), read_only=True) as connection:
        yield connection
