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
    seeds a build was made from (the default input: NAV's county and municipality sheets among them), its
    marts hold the build's figures, row for row; the county and municipality marts whole."""
    from bench.measure import floor_seconds

    raw = (built_project / "warehouse" / "nav_tiltak.duckdb").resolve().parent / "raw"
    assert floor_seconds(raw, tmp_path, runs=1) > 0
    figures = "month_date, main_group, measure_group, participant_count, participant_count_low, participant_count_high"
    marts = {"main_group_by_measure_group": f"{figures}, county_code, is_published, is_suppressed",
             "main_group_by_measure_type": f"{figures}, measure_type, is_published, is_suppressed",
             "main_group_by_measure_group_harmonised": f"{figures}, region_code, is_published, is_suppressed",
             "county_by_measure_type": "*", "municipality_by_measure_type": "*", "dim_municipality": "*",
             "dim_month": "month_date, year, month_number, year_month"}
    with duckdb.connect(str(tmp_path / "floor.duckdb"), read_only=True) as floor:
        floor.execute("attach ? as built (read_only)", [str(built_project / "warehouse" / "nav_tiltak.duckdb")])
        for mart, columns in marts.items():
            count = floor.execute(f"select count(*) from built.marts.{mart}").fetchone()[0]
            assert count > 0 and floor.execute(f"select count(*) from {mart}").fetchone()[0] == count, mart
            for first, second in [(mart, f"built.marts.{mart}"), (f"built.marts.{mart}", mart)]:
                differing = floor.execute(f"select {columns} from {first} except all select {columns} from {second} "
                                          "limit 3").fetchall()
                assert differing == [], (mart, first, differing)


def test_the_report_of_the_municipality_workload_names_its_targets() -> None:
    """The municipality-scale section of docs/benchmarks.md: a row per number of years, the audit's nodes, and
    the targets (ten years end to end and its memory, the audit per suppressed cell, make protect of a year)."""
    from bench.measure import render

    def row(years: int, wall: float, audit: float) -> dict:
        nodes = {"suppressed_cell_lp_intervals": ("audit", audit / 2), "int_relations": ("audit", audit / 2),
                 "int_cells__resolved": ("transform", 1.0)}
        return {"years": years, "workbooks": 9 * years, "mb": 0.6 * years, "generated_s": 1.4 * years,
                "cells": 150_000 * years, "suppressed": 75_000 * years, "wall": wall, "peak_mb": 1500.0,
                "transform": 10.0 * years, "floor": 4.0 * years, "audit": audit, "tests": 5.0, "nodes": nodes}

    finished = {"finished": True, "wall": 200.0, "peak_mb": 900.0, "primaries": 70_000, "components": 12,
                "added": 5_000, "objective": 110.0, "bound": 100.0, "stopped_components": 2,
                "slowest_component_s": 60.0, "nodes": {"suppression_plan": ("transform", 150.0)}}
    report = render([], "a machine", area_rows=[row(1, 11.0, 3.0), row(10, 130.0, 45.0)], area_protected=finished)
    assert "## Municipality scale" in report and "| suppressed_cell_lp_intervals | audit | 1.50 | 22.50 |" in report
    assert "| Ten years of county and municipality sheets, end to end with every test and the audit | <= 120 s " \
           "| 130 s | **no** |" in report
    assert "| Audit ms per suppressed cell flat, 1 -> 10 years of municipality sheets | not higher (+10% noise) " \
           "| 0.040 -> 0.060 | **no** |" in report
    assert "| `make protect` of one year of county and municipality sheets | <= 300 s | 200 s (gap 9.1%) | yes |" \
           in report
    stopped = {"finished": False, "wall": 1800.0, "peak_mb": 900.0, "stopped_in": "python table model "
               "protection.suppression_plan"}
    report = render([], "a machine", area_rows=[row(1, 11.0, 3.0)], area_protected=stopped)
    assert "not finished in 1800 s (in python table model protection.suppression_plan) | **no** |" in report


def test_the_report_says_why_a_target_is_not_met() -> None:
    """An unmet target of the editions gets the reason this run measured (the time's parts); a met one none."""
    from bench.measure import render

    def row(editions: int, wall: float, transform: float, floor: float) -> dict:
        return {"editions": editions, "mb": 0.03 * editions, "cells": 5_000 * editions, "suppressed": 650 * editions,
                "loader_mb_s": 40.0, "loader_one_process_mb_s": 25.0, "baseline_mb_s": 50.0, "wall": wall,
                "peak_mb": 240.0, "transform": transform, "audit": 0.4, "tests": 1.8, "floor": floor,
                "same_sql": transform / 2, "dbt_fixed": 1.9}

    report = render([row(1, 6.2, 1.3, 0.2), row(100, 16.0, 4.0, 3.0)], "a machine")
    why = report[report.index("### Why a target is not met"):]
    assert "- *One edition*: of 6.2 s, dbt's fixed cost is 1.9 s, its nodes 3.5 s" in why
    assert "loading, exporting and publishing 0.8 s" in why
    assert "100 editions, transformations / floor" not in why  # 1.33: met
