"""`make bench`'s baseline for dbt's share: the build's own SQL run without dbt must build the same marts."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from bench.measure import BENCH_WAREHOUSE, same_sql_seconds

from conftest import copy_project, run_cli

pytestmark = pytest.mark.e2e  # builds with dbt


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


def test_the_floor_script_gives_the_marts_figures(built_project: Path, tmp_path: Path) -> None:
    """bench/floor.sql, the benchmark's plain-SQL floor, does the pipeline's transformations: over the raw
    seeds a build was made from, its marts hold the build's figures, row for row."""
    from bench.measure import floor_seconds

    raw = (built_project / "warehouse" / "nav_tiltak.duckdb").resolve().parent / "raw"
    assert floor_seconds(raw, tmp_path, runs=1) > 0
    figures = "month_date, main_group, measure_group, participant_count, participant_count_low, participant_count_high"
    marts = {"main_group_by_measure_group": f"{figures}, county_code, is_published, is_suppressed",
             "main_group_by_measure_type": f"{figures}, measure_type, is_published, is_suppressed",
             "main_group_by_measure_group_harmonised": f"{figures}, region_code, is_published, is_suppressed"}
    with duckdb.connect(str(tmp_path / "floor.duckdb"), read_only=True) as floor:
        floor.execute("attach ? as built (read_only)", [str(built_project / "warehouse" / "nav_tiltak.duckdb")])
        for mart, columns in marts.items():
            count = floor.execute(f"select count(*) from built.marts.{mart}").fetchone()[0]
            assert count > 0 and floor.execute(f"select count(*) from {mart}").fetchone()[0] == count, mart
            for first, second in [(mart, f"built.marts.{mart}"), (f"built.marts.{mart}", mart)]:
                differing = floor.execute(f"select {columns} from {first} except all select {columns} from {second} "
                                          "limit 3").fetchall()
                assert differing == [], (mart, first, differing)
