"""NAV's county and municipality sheets (Tiltak og fylke, Tiltak og kommune, Tiltaksdeltakere og kommune):
every real figure of data/nav-county in the marts exactly, `*` as NULL with 0..3, what is not printed
never a number; the relations between the sheets checked, failing with the cells on both sides; the audit
of what the county rows reveal, and `make protect` hiding it."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest

from nav_tiltak.layout import read_layout
from nav_tiltak.load import load_documents
from nav_tiltak.messages import ParseError

from conftest import PROJECT_DIR, assert_refused_in_one_line, connect_warehouse, copy_project, run_cli

AREAS = PROJECT_DIR / "data" / "nav-county"
RAW = PROJECT_DIR / "data" / "raw"
LAST_MONTH = "2026-04-01"  # the default input's 2026 workbooks end in April (the national sheet's last month)


def rows(name: str) -> list[dict[str, str]]:
    with open(AREAS / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_real_county_figure_is_in_the_mart_exactly(warehouse) -> None:
    codes = {county.official.split(" - ")[0]: county.code for county in read_layout().counties}
    kinds = {"Midlertidig lønnstilskudd": "midlertidig_lonnstilskudd", "Varig lønnstilskudd": "varig_lonnstilskudd"}
    mart = {(str(month), county, kind): (count, low, high, published) for month, county, kind, count, low, high,
            published in warehouse.execute(
        "select month_date, county_code, measure_type, participant_count, participant_count_low, "
        "participant_count_high, is_published from marts.county_by_measure_type").fetchall()}
    checked = 0
    for row in rows("lonnstilskudd-fylke-2024-01-to-2026-08.csv"):
        key = (row["periode"], codes[row["fylke"]], kinds[row["tiltak"]])
        if row["periode"] > LAST_MONTH:
            assert key not in mart  # not covered by the default input: no figure, never 0
            continue
        count = int(row["antall"])
        assert mart[key] == (count, count, count, True), key
        checked += 1
    assert checked == 15 * 2 * 28


def test_every_real_municipality_figure_is_in_the_mart_exactly(warehouse) -> None:
    """mlt from TILT110's municipality sheet and all measures from TILT100's: a number exactly, NAV's `*` as
    NULL with 0..3, a municipality with no row in a month of a year it has a row in: not printed, no row."""
    mart = {(str(month), municipality, kind): (count, low, high, suppressed) for month, municipality, kind, count,
            low, high, suppressed in warehouse.execute(
        "select month_date, municipality_code, measure_type, participant_count, participant_count_low, "
        "participant_count_high, is_suppressed from marts.municipality_by_measure_type").fetchall()}
    checked = stars = 0
    for row in rows("kommune-serie-2025-01-to-2026-08.csv"):
        for kind, value, starred in [("midlertidig_lonnstilskudd", row["mlt"], row["mlt_prikket"]),
                                     ("alle", row["alle"], row["alle_prikket"])]:
            key = (row["periode"], row["knr"], kind)
            if row["periode"] > LAST_MONTH or not starred:
                assert key not in mart or mart[key] == (0, 0, 0, False), key  # no row: unknown, or NAV's 0
                continue
            expected = (None, 0, 3, True) if starred == "true" else (int(value),) * 3 + (False,)
            assert mart[key] == expected, key
            checked += 1
            stars += starred == "true"
    assert checked > 11_000 and stars > 1_500
    # Svalbard, in no county, is in the county rows' "Svalbard og øvrige områder" (98).
    assert warehouse.execute("select distinct county_code from marts.municipality_by_measure_type "
                             "where municipality_code = '2100'").fetchall() == [("98",)]


def test_the_sheets_relations_are_checked_and_hold(warehouse) -> None:
    """In the real figures: a county's municipalities add up to it exactly where none is `*` (and within the
    bounds where some are: the build's tests), and the counties add up to no more than the block's "I alt"
    (the national figure), the rest in "Svalbard og øvrige områder" and "Ukjent", which the source drops."""
    kinds = dict(warehouse.execute("select relation_kind, count(distinct relation_id) from intermediate.int_relations "
                                   "group by all").fetchall())
    assert kinds["municipalities_to_county"] == 15 * 16  # every county-month of 2025-01..2026-04
    known, exact = warehouse.execute("""
        select count(*), count(*) filter (where total = parts) from (
            select relation_id, sum(participant_count_low) filter (where is_total) as total,
                   sum(participant_count_low) filter (where not is_total) as parts, bool_and(participant_count_low
                   = participant_count_high) as known
            from intermediate.int_relations where relation_kind = 'municipalities_to_county' group by relation_id
        ) where known
    """).fetchone()
    assert known == exact == 40
    gaps = warehouse.execute("""
        select min(total.participant_count - counties.counted), max(total.participant_count - counties.counted)
        from (select month_date, measure_type, sum(participant_count) as counted from marts.county_by_measure_type
              where county_code not in ('00', '98', '99') group by all) as counties
        join marts.county_by_measure_type as total using (month_date, measure_type)
        where total.county_code = '00' and total.participant_count is not null
    """).fetchone()
    assert 0 <= gaps[0] <= gaps[1] <= 20


def test_the_audit_finds_what_the_county_rows_reveal(warehouse) -> None:
    """A municipality `*` alone in its county's month is the county minus the other municipalities."""
    revealed = warehouse.execute("""
        select source_position, row_label, strftime(month_date, '%Y-%m'), interval_low, revealed_by
        from publisher.audit.suppressed_cell_intervals
        where status = 'exact_positive' and municipality_code is not null order by all
    """).fetchall()
    assert len(revealed) == 11
    assert ("Tiltak og kommune!C47", "1557 Gjemnes", "2025-01", 3,
            "Møre og Romsdal, I alt midlertidig lønnstilskudd, Januar: the county (693) minus the other "
            "municipalities (690)") in revealed
    by_sheet = dict(warehouse.execute("""
        select source_sheet, exact_positive_count from publisher.audit.disclosure_summary
        where summary_level = 'sheet' and revealed_by_kinds = 'municipalities_to_county'
    """).fetchall())
    assert by_sheet == {"Tiltak og kommune": 11}


def test_a_changed_figure_fails_its_relation_naming_the_cells_on_both_sides(built_project: Path,
                                                                           tmp_path: Path) -> None:
    """Oslo's midlertidig lønnstilskudd in the county sheet one higher than its one municipality, 0301 Oslo."""
    folder = tmp_path / "2025"
    folder.mkdir()
    workbook = openpyxl.load_workbook(RAW / "202512_TILT110_Tidsserie_maaned.xlsx")
    county = workbook["Tiltak og fylke"]
    assert county["A6"].value == "03 Oslo" and county["C6"].value == 850
    county["C6"] = 851
    county["B6"] = None  # the year-to-date average, which the loader checks against the months
    workbook.save(folder / "202512_TILT110_Tidsserie_maaned.xlsx")
    result = run_cli(built_project, "build", "--warehouse", str(tmp_path / "w.duckdb"), "--", str(folder))
    assert_refused_in_one_line(
        result, "(test municipalities_sum_to_their_county,",
        '202512_TILT110_Tidsserie_maaned.xlsx:Tiltak og fylke!C6: 03 Oslo / Januar = "851": the total is 851, but its '
        "1 parts (0 suppressed) add up to 850: 202512_TILT110_Tidsserie_maaned.xlsx:Tiltak og kommune!C6: 0301 Oslo / "
        'Januar = "850"')


@pytest.mark.e2e
def test_protect_hides_what_the_county_rows_reveal(tmp_path: Path) -> None:
    """`make protect` on TILT110 of 2025: secondary suppressions so that no municipality `*` is pinned, as
    its re-audit (an attacker who knows which `*` are secondary) proves."""
    project = copy_project(tmp_path / "project", standin=True)
    document = RAW / "202512_TILT110_Tidsserie_maaned.xlsx"
    result = run_cli(project, "protect", "--output", str(tmp_path / "out"), "--", str(document))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    with connect_warehouse(project / "warehouse" / "nav_tiltak.duckdb") as connection:
        before = connection.execute("select count(*) from publisher.audit.suppressed_cell_intervals where status = "
                                    "'exact_positive' and municipality_code is not null").fetchone()[0]
        after = connection.execute("""
            select count(*) filter (where status = 'short_of_rule'),
                   count(*) filter (where is_secondary and source_position like 'Tiltak og %')
            from publisher.protection.protected_cells
            where pattern = 'plan'
        """).fetchone()
    assert before > 0
    assert after[0] == 0 and after[1] > 0
    protected = openpyxl.load_workbook(tmp_path / "out" / document.name)
    with open(tmp_path / "out" / "added-suppressions.csv", encoding="utf-8", newline="") as handle:
        added = [row for row in csv.DictReader(handle) if row["source_position"].startswith("Tiltak og ")]
    assert added and all(protected[row["source_position"].split("!")[0]][row["source_position"].split("!")[1]].value
                         == "*" for row in added)


# The sheets as the loader reads them: faults named by their cell -------------------------------------------

def sheet_variant(tmp_path: Path, change) -> Path:
    """A copy of 2025's TILT110 with ``change(workbook)`` made."""
    workbook = openpyxl.load_workbook(RAW / "202512_TILT110_Tidsserie_maaned.xlsx")
    change(workbook)
    path = tmp_path / "202512_TILT110_Tidsserie_maaned.xlsx"
    workbook.save(path)
    return path


def refused(path: Path) -> str:
    with pytest.raises(ParseError) as error:
        load_documents([path], read_layout())
    return str(error.value)


def test_an_extra_column_with_an_empty_header_is_left_out(tmp_path: Path) -> None:
    def extra(workbook) -> None:
        sheet = workbook["Tiltak og fylke"]
        for row in range(5, sheet.max_row + 1):
            sheet.cell(row, 15).value = "notat" if row == 6 else None
    (loaded,) = load_documents([sheet_variant(tmp_path, extra)], read_layout())
    (original,) = load_documents([RAW / "202512_TILT110_Tidsserie_maaned.xlsx"], read_layout())
    assert loaded.document.tables == original.document.tables


@pytest.mark.parametrize("case, expected", [
    ("month_header", "Tiltak og fylke!D4: the month header has \"Febrar\", which is neither a month name nor empty"),
    ("block_label", 'Tiltak og fylke!A5: "I alt midlertidig lønnstilskot" names no measure type of TILT110'),
    ("value", 'Tiltak og kommune!C6: row "0301 Oslo", Januar: "8,5" is neither a whole number, "*" nor empty'),
    ("two_county_sheets", 'more than one sheet could be "Tiltak og fylke": Tiltak og fylke, Tiltak og fylke 2'),
])
def test_a_fault_in_a_county_or_municipality_sheet_is_named_by_its_cell(tmp_path: Path, case: str,
                                                                       expected: str) -> None:
    def change(workbook) -> None:
        if case == "month_header":
            workbook["Tiltak og fylke"]["D4"] = "Febrar"
        elif case == "block_label":
            workbook["Tiltak og fylke"]["A5"] = "I alt midlertidig lønnstilskot"
        elif case == "value":
            workbook["Tiltak og kommune"]["C6"] = "8,5"
        else:
            workbook.copy_worksheet(workbook["Tiltak og fylke"]).title = "Tiltak og fylke 2"
    assert expected in refused(sheet_variant(tmp_path, change))


def test_a_sheet_this_project_does_not_know_is_named_and_a_hidden_one_never_read(tmp_path: Path) -> None:
    def change(workbook) -> None:
        workbook.create_sheet("Tiltak og alder").append(["Alder", "Gjennomsnitt hittil i år", "Januar"])
        workbook["Tiltak og kommune"].sheet_state = "hidden"
    path = sheet_variant(tmp_path, change)
    from nav_tiltak.load import load

    summary = load([path], tmp_path / "seeds")
    assert summary[0].endswith("; not read: 'Tiltak og alder', not a sheet of NAV's tables this project knows "
                               "(seeds/reference/ref_nav_sheets.csv); hidden, never read: 'Tiltak og kommune'")
    (loaded,) = load_documents([path], read_layout())
    assert {table.sheet for table in loaded.document.tables} == {"Arbeidsmarkedsstatus og tiltak", "Tiltak og fylke"}


def test_an_unknown_municipality_fails_the_build_naming_its_cell(built_project: Path, tmp_path: Path) -> None:
    def change(workbook) -> None:
        workbook["Tiltak og kommune"]["A6"] = "0302 Oslo"
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.move(sheet_variant(tmp_path, change), folder)
    result = run_cli(built_project, "build", "--warehouse", str(tmp_path / "w.duckdb"), "--", str(folder))
    assert_refused_in_one_line(result, "202512_TILT110_Tidsserie_maaned.xlsx:Tiltak og kommune!A6: municipality label "
                                       '"0302 Oslo" matches no reference entry')
