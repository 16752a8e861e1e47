"""The default input's national series (2023-2026): every real NAV figure in the marts exactly, coverage
instead of zeros, measure types with their validity, the series break, and consistency across NAV's tables
with exact suppression bounds. Read from the warehouse built from data/raw."""

from datetime import date
from pathlib import Path

import pytest

from conftest import PROJECT_DIR

NATIONAL = PROJECT_DIR / "data" / "nav-national"
MAIN_GROUPS = "(values ('Arbeidssøkere', 'arbeidssokere'), ('Nedsatt arbeidsevne', 'nedsatt_arbeidsevne'), " \
              "('Andre på tiltak', 'andre')) as main_groups (name, code)"


def test_every_real_measure_group_figure_is_in_the_mart_exactly(warehouse) -> None:
    """All 920 figures of NAV's TILT100 (2023-01 to 2026-04): a number exactly, a `*` as NULL with 0..3."""
    rows = warehouse.execute(f"""
        select nav.antall, mart.participant_count, mart.participant_count_low, mart.participant_count_high,
            mart.is_published, mart.is_suppressed
        from read_csv(?, header = true, types = {{'antall': 'integer', 'periode': 'date'}}) as nav
        inner join {MAIN_GROUPS} on nav.maalgruppe = main_groups.name
        inner join reference.ref_measure_group_labels as labels on labels.label = nav.tiltaksgruppe
        left join marts.main_group_by_measure_group as mart
            on mart.month_date = nav.periode and mart.county_code = '00' and mart.main_group = main_groups.code
            and mart.measure_group = labels.measure_group_code
    """, [str(NATIONAL / "measure-groups-2023-01-to-2026-04.csv")]).fetchall()
    assert len(rows) == 920
    for count, mart_count, low, high, published, suppressed in rows:
        if count is None:
            assert (mart_count, low, high, published, suppressed) == (None, 0, 3, True, True)
        else:
            assert (mart_count, low, high, published, suppressed) == (count, count, count, True, False)


def test_every_real_measure_type_figure_is_in_the_mart_exactly(warehouse) -> None:
    """All 3,204 figures of NAV's TILT110-180: a number exactly, a `*` as NULL with 0..3; the 36 empty cells
    NAV prints where a type did not exist (Arbeid med støtte before 2023-12, Utvidet oppfølging i NAV in
    2023-12) have no row: not a number, not a 0."""
    rows = warehouse.execute(f"""
        select nav.tiltakstype, nav.periode, nav.antall, mart.month_date is not null, mart.participant_count,
            mart.participant_count_low, mart.participant_count_high, mart.is_published
        from read_csv(?, header = true, types = {{'antall': 'integer', 'periode': 'date'}}) as nav
        inner join {MAIN_GROUPS} on nav.maalgruppe = main_groups.name
        inner join reference.ref_measure_type_labels as labels on labels.label = nav.tiltakstype
        left join marts.main_group_by_measure_type as mart
            on mart.month_date = nav.periode and mart.main_group = main_groups.code
            and mart.measure_type = labels.measure_type_code
    """, [str(NATIONAL / "measure-types-2023-01-to-2026-04.csv")]).fetchall()
    assert len(rows) == 3204
    absent = [(kind, str(month)) for kind, month, count, present, *_ in rows if not present]
    assert sorted(absent) == sorted(
        [("Arbeid med støtte", f"2023-{month:02d}-01") for month in range(1, 12) for _ in range(3)]
        + [("Utvidet oppfølging i NAV", "2023-12-01")] * 3)
    for kind, month, count, present, mart_count, low, high, published in rows:
        if not present:
            assert count is None
        elif count is None:
            assert (mart_count, low, high, published) == (None, 0, 3, True), (kind, month)
        else:
            assert (mart_count, low, high, published) == (count, count, count, True), (kind, month)


def test_the_series_runs_from_2021_to_2026_and_covers_only_what_is_printed(warehouse) -> None:
    months = [row[0] for row in warehouse.execute("select year_month from marts.dim_month order by 1").fetchall()]
    assert months == [f"2021-{m:02d}" for m in range(1, 13)] + [
        f"{year}-{m:02d}" for year in (2023, 2024, 2025) for m in range(1, 13)] + [f"2026-{m:02d}" for m in range(1, 5)]
    # No document covers 2022 or May 2026 on: no rows, not zeros. The national months have Norway only.
    geographies = dict(warehouse.execute(
        "select year(month_date), count(distinct county_code) from marts.main_group_by_measure_group group by 1"
    ).fetchall())
    assert geographies == {2021: 14, 2023: 1, 2024: 1, 2025: 1, 2026: 1}


def test_national_totals_printed_or_summed(warehouse) -> None:
    """TILT100's "I alt" row is the figure for all measure groups where it is printed; the national
    workbooks print no all-groups block, so main group `alle` is the sum of the three."""
    def row(main_group: str, measure_group: str, month: str):
        return warehouse.execute(
            "select participant_count, participant_count_low, participant_count_high, is_published "
            "from marts.main_group_by_measure_group where county_code = '00' and month_date = ? and main_group = ? "
            "and measure_group = ?", [month, main_group, measure_group]).fetchone()

    parts = [row(main, "alle", "2024-01-01") for main in ("arbeidssokere", "nedsatt_arbeidsevne", "andre")]
    assert all(published for *_, published in parts[:2])
    total = row("alle", "alle", "2024-01-01")
    assert total[1] == sum(low for _, low, _, _ in parts) and total[2] == sum(high for _, _, high, _ in parts)
    assert total[3] is False  # derived, never published
    # Andre, January 2024: jobbskaping is "*", so NAV's total is not known here: summed bounds, not printed.
    assert row("andre", "alle", "2024-01-01")[0] is None and row("andre", "alle", "2024-01-01")[3] is False


def test_series_break_is_flagged_for_job_seekers_april_to_july_2025(warehouse) -> None:
    flagged = warehouse.execute(
        "select distinct main_group, strftime(month_date, '%Y-%m') from marts.main_group_by_measure_group "
        "where is_series_break order by 1, 2").fetchall()
    months = [f"2025-{m:02d}" for m in range(4, 8)]
    assert flagged == [(main, month) for main in ("alle", "arbeidssokere") for month in months]
    assert warehouse.execute("select count(distinct month_date) from marts.main_group_by_measure_type "
                             "where is_series_break and main_group = 'arbeidssokere'").fetchone() == (4,)


def test_measure_types_have_their_dimension_and_validity(warehouse) -> None:
    assert warehouse.execute(
        "select measure_type_name_nb, measure_group, valid_from, valid_to from marts.dim_measure_type "
        "where measure_type in ('arbeid_med_stotte', 'utvidet_oppfolging_i_nav', 'funksjonsassistanse')"
        " order by 1").fetchall() == [
        ("Arbeid med støtte", "oppfolging", date(2023, 12, 1), None),
        ("Funksjonsassistanse", "tilrettelegging", date(2023, 1, 1), None),
        ("Utvidet oppfølging i NAV", "oppfolging", date(2023, 1, 1),
         date(2023, 11, 30)),
    ]
    assert warehouse.execute("select count(*) from marts.dim_measure_type").fetchone() == (35,)


@pytest.mark.parametrize("relation_kind, relations, exact, within_bounds", [
    ("types_to_group", 920, 670, 250),
    ("types_to_block_total", 801, 590, 211),
    ("groups_to_main_group_total", 81, 81, 0),
])
def test_nav_s_tables_agree_with_exact_bounds(warehouse, relation_kind: str, relations: int, exact: int,
                                              within_bounds: int) -> None:
    """What the README reports: where NAV prints the total, the parts add up exactly where nothing is `*`,
    and within the suppression bounds where something is; none fails."""
    assert warehouse.execute("""
        with sums as (
            select
                relation_id,
                sum(participant_count_low) filter (where is_total) as total_low,
                sum(participant_count_high) filter (where is_total) as total_high,
                sum(participant_count_low) filter (where not is_total) as parts_low,
                sum(participant_count_high) filter (where not is_total) as parts_high,
                bool_or(participant_count_low < participant_count_high) as has_star,
                bool_or(is_total and is_printed) as total_printed,
            from intermediate.int_relations
            where relation_kind = ?
            group by relation_id
        )
        select count(*), count(*) filter (where not has_star and total_low = parts_low),
            count(*) filter (where has_star and total_high >= parts_low and total_low <= parts_high),
            count(*) filter (where total_high < parts_low or total_low > parts_high)
        from sums where total_printed
    """, [relation_kind]).fetchone() == (relations, exact, within_bounds, 0)


def test_the_audit_covers_the_national_tables(warehouse) -> None:
    counts = dict(warehouse.execute("select status, count(*) from publisher.audit.suppressed_cell_intervals "
                                    "where year(month_date) > 2021 group by 1").fetchall())
    assert sum(counts.values()) == warehouse.execute(
        "select count(*) from marts.fct_printed_cells where is_suppressed and year(month_date) > 2021").fetchone()[0] \
        + warehouse.execute("select count(*) from intermediate.int_cells__assembled where is_block_total "
                            "and is_suppressed").fetchone()[0]
    assert counts.get("exact_positive", 0) > 0


def test_workbook_provenance_names_sheet_and_cell(warehouse) -> None:
    assert warehouse.execute(
        "select source_file, source_position, value_as_printed from marts.fct_printed_cells "
        "where month_date = '2026-01-01' and main_group = 'arbeidssokere' and measure_type = 'arbeid_med_stotte'"
    ).fetchone() == ("2026.04_TILT140_Tidsserie_maaned.xlsx", "Arbeidsmarkedsstatus og tiltak!C6", "1 092")


def test_shipped_national_figures_match_their_provenance() -> None:
    readme = (NATIONAL / "README.md").read_text(encoding="utf-8")
    assert "533423693603e7117f9e3ee38816e5d5f7f9abed" in readme
    assert Path(NATIONAL / "measure-groups-2023-01-to-2026-04.csv").read_text(encoding="utf-8").count("\n") == 921
