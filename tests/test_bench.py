"""`make bench`'s baseline for dbt's share: the build's own SQL run without dbt must build the same marts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nav_tiltak.bench import same_sql_seconds

from conftest import copy_project


def test_the_build_sql_without_dbt_gives_the_same_marts_and_other_input_does_not(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    build = subprocess.run([sys.executable, str(project / "scripts" / "nav-tiltak"), "build", "--warehouse",
                            str(project / "warehouse" / "bench.duckdb")], cwd=project, capture_output=True, text=True,
                           env=dict(os.environ, DO_NOT_TRACK="1", DBT_WRITE_JSON="true"), stdin=subprocess.DEVNULL,
                           timeout=600, check=False)
    assert build.returncode == 0, build.stdout + build.stderr
    raw = project / "seeds" / "raw"  # the build's raw seeds, put in place when it published

    assert same_sql_seconds(project, raw, tmp_path, 1) > 0

    # One printed row fewer: the same SQL gives other marts, and the benchmark says so.
    other = tmp_path / "other-raw"
    shutil.copytree(raw, other)
    rows = (other / "raw_nav__rows.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (other / "raw_nav__rows.csv").write_text("".join(rows[:-1]), encoding="utf-8")
    with pytest.raises(RuntimeError, match="other marts than the build"):
        same_sql_seconds(project, other, tmp_path, 1)
