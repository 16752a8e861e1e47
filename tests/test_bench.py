"""`make bench`'s baseline for dbt's share: the build's own SQL run without dbt must build the same marts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nav_tiltak.bench import BENCH_WAREHOUSE, same_sql_seconds

from conftest import copy_project, run_cli


def test_the_build_sql_without_dbt_gives_the_same_marts_and_other_input_does_not(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    # As make bench builds: into its warehouse, keeping dbt's artifacts (the compiled SQL, the order run).
    build = run_cli(project, "build", "--warehouse", str(project / BENCH_WAREHOUSE),
                    environment={"DBT_WRITE_JSON": "true"})
    assert build.returncode == 0, build.stdout + build.stderr
    raw = (project / BENCH_WAREHOUSE).resolve().parent / "raw"  # the raw seeds it was built from, kept with it

    assert same_sql_seconds(project, raw, tmp_path, 1) > 0

    # One printed row fewer: the same SQL gives other marts, and the benchmark says so.
    other = tmp_path / "other-raw"
    shutil.copytree(raw, other)
    rows = (other / "raw_nav__rows.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (other / "raw_nav__rows.csv").write_text("".join(rows[:-1]), encoding="utf-8")
    with pytest.raises(RuntimeError, match="other marts than the build"):
        same_sql_seconds(project, other, tmp_path, 1)
