"""End to end: `nav-tiltak build` (what `make build` runs) loads the 2021 document, runs `dbt build` with
every test, and publishes a warehouse whose figures are the printed cells. Data-rule faults fail the build
with the rule and the cell named, and leave the published warehouse as it was."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from nav_tiltak.layout import read_layout
from nav_tiltak.load import decode
from nav_tiltak.parse import parse

from conftest import (
    DOCUMENT_2021,
    TEXT_2021,
    assert_refused_in_one_line,
    edited,
    printed_cells,
    published_files,
    run_cli,
)

MART = "marts.main_group_by_measure_group"


def norway_january(warehouse, main_group: str, measure_group: str):
    return warehouse.execute(
        f"select participant_count, participant_count_low, participant_count_high, is_published, is_suppressed "
        f"from {MART} where month_date = date '2021-01-01' and county_code = '00' "
        f"and main_group = ? and measure_group = ?", [main_group, measure_group]).fetchone()


@pytest.mark.parametrize("main_group, measure_group, count, published", [
    ("arbeidssokere", "avklaring", 473, True),
    ("nedsatt_arbeidsevne", "tilrettelagt_arbeid", 11872, True),
    ("alle", "alle", 72086, False),
    ("arbeidssokere", "alle", 14843, False),
])
def test_norway_january_2021_figures(warehouse, main_group, measure_group, count, published) -> None:
    assert norway_january(warehouse, main_group, measure_group) == (count, count, count, published, False)


def test_table_nav_did_not_print_is_zero_and_unpublished(warehouse) -> None:
    # NAV prints no "Arbeidssøkere på tiltak, tilrettelagt arbeid" table.
    assert norway_january(warehouse, "arbeidssokere", "tilrettelagt_arbeid") == (0, 0, 0, False, False)


def test_suppressed_cell_is_null_with_bounds_0_to_3(warehouse) -> None:
    # "Andre på tiltak, jobbskaping og egenetablering" prints "*" for Norway in March.
    assert warehouse.execute(
        f"select participant_count, participant_count_low, participant_count_high, is_published, is_suppressed "
        f"from {MART} where month_date = date '2021-03-01' and county_code = '00' and main_group = 'andre' "
        f"and measure_group = 'jobbskaping_og_egenetablering'").fetchone() == (None, 0, 3, True, True)


def test_total_over_suppressed_cells_is_null_with_summed_bounds(warehouse) -> None:
    # Oslo, others on a measure, January: jobbskaping is not printed (0); the rest are printed exactly
    # except none suppressed, so take Møre og Romsdal, where "Andre på tiltak, opplæring" prints "*".
    row = warehouse.execute(
        f"select participant_count, participant_count_low, participant_count_high, is_suppressed from {MART} "
        f"where month_date = date '2021-01-01' and county_code = '15' and main_group = 'andre' "
        f"and measure_group = 'alle'").fetchone()
    # Printed: avklaring 5, oppfølging 6, opplæring *, lønnstilskudd 15, arbeidspraksis *, rehabilitering 7,
    # tilrettelegging 22; no rows for tilrettelagt arbeid or jobbskaping.
    known = 5 + 6 + 15 + 7 + 22
    assert row == (None, known, known + 2 * 3, True)


def test_grid_is_complete(warehouse) -> None:
    # 12 months x (Norway + 11 counties + Øvrige områder + Ukjent) x 4 main groups x 10 measure groups.
    in_2021 = "where year(month_date) = 2021"
    assert warehouse.execute(f"select count(*) from {MART} {in_2021}").fetchone() == (12 * 14 * 4 * 10,)
    assert warehouse.execute(f"select count(*) from {MART} {in_2021} and is_published").fetchone() == (4854,)


def test_every_printed_cell_is_in_the_mart_as_printed(warehouse) -> None:
    """Re-read the document with the parser and compare each printed cell with the mart."""
    document = parse(decode(DOCUMENT_2021.read_bytes(), DOCUMENT_2021.name), DOCUMENT_2021.name, read_layout())
    printed = {(line, month): value for line, _, _, month, value in printed_cells(document)}
    rows = warehouse.execute(
        f"select f.source_line, f.month_label, m.participant_count, m.participant_count_low, "
        f"m.participant_count_high, m.is_suppressed "
        f"from marts.fct_printed_cells as f join {MART} as m using (month_date, county_code, main_group, "
        f"measure_group) where f.source_file = ?", [DOCUMENT_2021.name]).fetchall()
    assert len(rows) == len(printed) == 4854
    for line, month, count, low, high, suppressed in rows:
        value = printed[(line, month)]
        if value == "*":
            assert (count, low, high, suppressed) == (None, 0, 3, True), (line, month)
        else:
            number = int(value.replace(" ", ""))
            assert (count, low, high, suppressed) == (number, number, number, False), (line, month)


def test_measure_group_totals_are_sums_of_printed_cells(warehouse) -> None:
    mismatches = warehouse.execute(f"""
        with parts as (
            select month_date, county_code, main_group, sum(participant_count_low) as low,
                sum(participant_count_high) as high
            from {MART} where measure_group != 'alle' group by all
        )
        select count(*) from parts join {MART} as total using (month_date, county_code, main_group)
        where total.measure_group = 'alle'
            and (total.participant_count_low != parts.low or total.participant_count_high != parts.high)
    """).fetchone()
    assert mismatches == (0,)


def test_schemas_are_named_for_people(warehouse) -> None:
    schemas = {row[0] for row in warehouse.execute("select schema_name from information_schema.schemata").fetchall()}
    assert {"reference", "staging", "intermediate", "marts"} <= schemas
    assert "raw" not in schemas  # the raw CSVs are dbt sources, read where staging names them
    assert not any(s.startswith("main_") for s in schemas)


def test_dbt_unit_tests_pass(built_project: Path, tmp_path: Path) -> None:
    """The dbt unit tests (values split and typed; labels normalised to codes; rows split into cells; regions
    summed across the reform) are left out of `make build`, which checks the data; they check the SQL, here,
    on a copy of the built warehouse."""
    database = tmp_path / "unit.duckdb"
    shutil.copyfile(built_project / "warehouse" / "nav_tiltak.duckdb", database)
    dbt = Path(sys.executable).with_name("dbt")
    result = subprocess.run(
        [str(dbt), "test", "--select", "test_type:unit", "--project-dir", str(built_project), "--profiles-dir",
         str(built_project), "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        cwd=built_project, capture_output=True, text=True, stdin=subprocess.DEVNULL,
        env=dict(os.environ, DO_NOT_TRACK="1", NAV_TILTAK_DATABASE=str(database)), timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASS stg_nav__rows::printed_rows_are_split_and_typed" in result.stdout, result.stdout
    assert "PASS int_rows__coded::row_labels_are_normalised_to_codes" in result.stdout, result.stdout
    assert "PASS int_cells__assembled::rows_are_split_into_cells_under_their_months" in result.stdout, result.stdout
    assert "PASS main_group_by_measure_group_harmonised::harmonised_sums_of_counties_are_derived" in result.stdout, (
        result.stdout)


# Faults in otherwise valid documents: each must stop `dbt build` naming the rule and the cell, through the
# one way a data fault fails: a dbt test that names the rule, stores its rows, and skips what depends on it.

FAULTS = {
    # A value of 2 printed where NAV prints "*": "Øvrige områder", Avklaringstiltak, January.
    "printed_value_of_2": [([("Øvrige områder\t*", "Øvrige områder\t*", "Øvrige områder\t2")],
                            "no_printed_value_below_4")],
    # Two rules on the relations in one build (neither skips the other's test): "I alt tilrettelagt arbeid"
    # one above its county rows in January, where nothing is suppressed; and Oslo in the all-groups
    # Oppfølging table and its total both one higher: the counties still add up, the main groups no longer do.
    "totals_do_not_add_up": [([("I alt tilrettelagt arbeid\t", "11 872", "11 873")],
                              "county_rows_sum_to_national_total"),
                             ([("Oslo\t2 019\t1 963", "2 019", "2 020"),
                               ("I alt oppfølging\t16 662", "16 662", "16 663")], "main_groups_sum_to_all_groups")],
    "unknown_county_label": [([("Agder\t324", "Agder", "Agderr")], "county_label_is_known")],
}


def line_of(text: str, start: str) -> int:
    return next(number for number, line in enumerate(text.split("\n"), start=1) if line.startswith(start))


@pytest.mark.parametrize("fault", FAULTS, ids=list(FAULTS))
def test_data_rule_fault_fails_the_build_and_keeps_the_warehouse(built_project: Path, tmp_path: Path,
                                                                 fault: str) -> None:
    """A broken data rule fails the build, names the rule and the cell, keeps the failed build's database
    with its failing rows, and leaves the warehouse, its exports and the seeds byte for byte."""
    document = tmp_path / f"{fault}.txt"
    document.write_text(edited([change for changes, _ in FAULTS[fault] for change in changes]), encoding="utf-8")
    published = built_project / "warehouse" / "nav_tiltak.duckdb"
    before = published_files(built_project)

    result = run_cli(built_project, "build", str(document))
    for replacements, rule in FAULTS[fault]:
        line = line_of(TEXT_2021, replacements[0][0])
        assert_refused_in_one_line(result, "Data rule broken: ", f"(test {rule},", f"{document.name}:{line}")
        with duckdb.connect(str(published.with_name("nav_tiltak.failed.duckdb")), read_only=True) as connection:
            stored = connection.execute(f"select failure from test_failures.{rule}").fetchall()
        assert any(f"{document.name}:{line}" in row[0] for row in stored), stored
    assert published_files(built_project) == before
    assert not (published.with_name(".nav_tiltak.duckdb.builds") / "next").exists()
    assert sorted(p.name for p in published.parent.iterdir()) == [
        ".nav_tiltak.duckdb.builds", "nav_tiltak.duckdb", "nav_tiltak.failed.duckdb", "nav_tiltak_audit.duckdb",
        "nav_tiltak_exports"]


def test_structural_fault_stops_before_dbt(built_project: Path, tmp_path: Path) -> None:
    document = tmp_path / "short_row.txt"
    document.write_text(edited([("Oslo\t399", "\t473", "")]), encoding="utf-8")
    before = published_files(built_project)
    result = run_cli(built_project, "build", str(document))
    assert_refused_in_one_line(result)
    line = line_of(TEXT_2021, "Oslo\t399")
    assert result.stderr.splitlines()[0].startswith(f'short_row.txt:{line}: row "Oslo" has 11 values, the month '
                                                    "header (line 21) has 12: nothing published")
    assert "Running with dbt" not in result.stdout
    assert published_files(built_project) == before


def test_many_bad_labels_give_a_bounded_message(built_project: Path, tmp_path: Path) -> None:
    """Every county label misspelt (hundreds of rows): the first few are named with FILE:LINE, then a count."""
    document = tmp_path / "misspelt.txt"
    document.write_text("\n".join(line if "\t" not in line or line.startswith(("\t", "I alt")) else "x" + line
                                   for line in TEXT_2021.split("\n")), encoding="utf-8")
    result = run_cli(built_project, "build", str(document))
    assert_refused_in_one_line(result, 'misspelt.txt:23: county label "xOslo" matches no reference entry', "more")
    assert len(result.stdout + result.stderr) < 50_000  # dbt's own lines, a line per node, and ours
    # The line's own length: the paths it quotes are the machine's (pytest's temporary folders vary in depth).
    output = (result.stdout + result.stderr).replace(str(built_project), "PROJECT")
    assert max(map(len, output.splitlines())) < 400


# Coverage: a document covers the months its period names, and must print each of them.

def months_in(warehouse: Path) -> list[int]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return [row[0] for row in connection.execute(
            f"select distinct month(month_date) from {MART} order by 1").fetchall()]


def cut_after_june(text: str) -> str:
    """Every table cut after Juni: the header and each row keep the label and six values."""
    lines = []
    for line in text.split("\n"):
        if "\t" in line:
            cells = line.split("\t")
            if line.startswith("\t"):
                keep = [m for m in cells[1:] if m in {"Januar", "Februar", "Mars", "April", "Mai", "Juni"}]
                line = "\t".join([cells[0], *keep])
                header_length = len(keep)
            else:
                line = "\t".join(cells[: 1 + header_length])
        lines.append(line)
    return "\n".join(lines)


def test_a_month_the_period_names_but_no_table_prints_is_refused(built_project: Path, tmp_path: Path) -> None:
    """Tables cut after Juni under the period "Januar - Desember 2021": refused at the period line, not
    published with July-December as zeros."""
    document = tmp_path / "stops-short.txt"
    document.write_text(cut_after_june(TEXT_2021), encoding="utf-8")
    before = published_files(built_project)
    result = run_cli(built_project, "build", str(document))
    assert_refused_in_one_line(result, 'stops-short.txt:9: the period "Januar - Desember 2021" names Juli, August, '
                                       "September, Oktober, November, Desember, but no table prints them")
    assert published_files(built_project) == before


def test_a_period_covers_only_its_months(built_project: Path, own_warehouse: Path, tmp_path: Path) -> None:
    """The same tables under the period "Januar - Juni 2021": published, and July-December are absent from
    the marts (not covered), never 0."""
    document = tmp_path / "first-half.txt"
    document.write_text(cut_after_june(TEXT_2021).replace("Januar - Desember 2021", "Januar - Juni 2021"),
                        encoding="utf-8")
    assert months_in(own_warehouse) == list(range(1, 13))
    result = run_cli(built_project, "build", str(document), "--warehouse", str(own_warehouse))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert months_in(own_warehouse) == [1, 2, 3, 4, 5, 6]


def test_a_month_a_table_omits_is_0_where_other_tables_print_it(warehouse) -> None:
    """The other side of the rule: "Andre på tiltak, jobbskaping og egenetablering" prints only Mars-Mai;
    the document prints every month elsewhere, so its other months are known zeros (not published)."""
    row = ("select participant_count, participant_count_low, participant_count_high, is_published, is_suppressed "
           f"from {MART} where county_code = '00' and main_group = 'andre' "
           "and measure_group = 'jobbskaping_og_egenetablering' and month_date = ?")
    assert warehouse.execute(row, ["2021-01-01"]).fetchone() == (0, 0, 0, False, False)
    assert warehouse.execute(row, ["2021-03-01"]).fetchone() == (None, 0, 3, True, True)


def test_a_title_is_read_once_with_the_loaders_meaning(built_project: Path, own_warehouse: Path,
                                                       tmp_path: Path) -> None:
    """A title spelt without the space after its comma is read by the loader, and dbt uses the loader's
    reading (it does not parse titles itself): the build passes with the same figures."""
    document = tmp_path / "no-space.txt"
    document.write_text(TEXT_2021.replace("Nedsatt arbeidsevne, på tiltak, tilrettelagt arbeid",
                                          "Nedsatt arbeidsevne, på tiltak,tilrettelagt arbeid"), encoding="utf-8")
    assert document.read_text(encoding="utf-8") != TEXT_2021
    result = run_cli(built_project, "build", str(document), "--warehouse", str(own_warehouse))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    with duckdb.connect(str(own_warehouse), read_only=True) as connection:
        assert connection.execute(
            "select source_file, participant_count from marts.fct_printed_cells where month_date = date '2021-01-01' "
            "and county_code = '00' and main_group = 'nedsatt_arbeidsevne' and measure_group = 'tilrettelagt_arbeid'"
        ).fetchone() == ("no-space.txt", 11872)
