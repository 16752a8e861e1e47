"""Many documents in one warehouse: editions of several years (the year from each document's own header),
the 2024 county reform, overlapping editions, and seeds that change only by what a new document adds."""

import csv
from pathlib import Path

import duckdb
import pytest

from nav_tiltak.synthetic import document

from conftest import DOCUMENT_2021, assert_refused_in_one_line, consistent_edition, run_cli

MART = "marts.main_group_by_measure_group"


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped 2021 document and synthetic 2022 and 2024 editions (15 counties from 2024)."""
    folder = tmp_path_factory.mktemp("editions")
    (folder / DOCUMENT_2021.name).write_bytes(DOCUMENT_2021.read_bytes())
    for year in (2022, 2024):
        (folder / f"synthetic-{year}.txt").write_text(document(year), encoding="utf-8")
    return folder


def connect(warehouse: Path):
    return duckdb.connect(str(warehouse), read_only=True)


@pytest.fixture(scope="module")
def editions_warehouse(built_project: Path, editions: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built from the 2021 document and the synthetic 2022 and 2024 editions."""
    warehouse = tmp_path_factory.mktemp("editions-warehouse") / "editions.duckdb"
    result = run_cli(built_project, "build", str(editions), "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    return warehouse


def test_a_folder_of_editions_gives_one_warehouse(editions_warehouse: Path) -> None:
    with connect(editions_warehouse) as connection:
        years = connection.execute("select distinct year from marts.dim_month order by 1").fetchall()
        assert years == [(2021,), (2022,), (2024,)]
        # 2021 and 2022: 11 counties; 2024: 15, each month with Norway, Øvrige områder and Ukjent too.
        geographies = dict(connection.execute(
            f"select year(month_date), count(distinct county_code) from {MART} group by 1").fetchall())
        assert geographies == {2021: 14, 2022: 14, 2024: 18}
        # The 2021 figures are those of the 2021 document alone.
        assert connection.execute(
            f"select participant_count from {MART} where month_date = date '2021-01-01' and county_code = '00' "
            "and main_group = 'alle' and measure_group = 'alle'").fetchone() == (72086,)


def test_harmonised_regions_compare_across_the_reform(editions_warehouse: Path) -> None:
    with connect(editions_warehouse) as connection:
        by_region = dict(connection.execute(
            "select region_code || ' ' || year(month_date), participant_count_low "
            "from marts.main_group_by_measure_group_harmonised where month(month_date) = 1 "
            "and main_group = 'alle' and measure_group = 'alle'").fetchall())
        parts = dict(connection.execute(
            f"select county_code, participant_count_low from {MART} where month_date = date '2024-01-01' "
            "and main_group = 'alle' and measure_group = 'alle'").fetchall())
        viken_2021 = connection.execute(
            f"select participant_count_low from {MART} where month_date = date '2021-01-01' and county_code = '30' "
            "and main_group = 'alle' and measure_group = 'alle'").fetchone()[0]
    assert by_region["30 2024"] == parts["31"] + parts["32"] + parts["33"]
    assert by_region["38 2024"] == parts["39"] + parts["40"]
    assert by_region["54 2024"] == parts["55"] + parts["56"]
    assert by_region["30 2021"] == viken_2021
    assert by_region["00 2024"] == parts["00"]


def test_county_not_valid_in_the_documents_period_fails(built_project: Path, tmp_path: Path) -> None:
    text = document(2024).replace("\nØstfold\t", "\nViken\t", 1)
    (tmp_path / "viken-in-2024.txt").write_text(text, encoding="utf-8")
    result = run_cli(built_project, "build", str(tmp_path / "viken-in-2024.txt"), "--warehouse",
                     str(tmp_path / "w.duckdb"))
    line = text.split("\n").index(next(line for line in text.split("\n") if line.startswith("Viken\t"))) + 1
    assert_refused_in_one_line(result, f'viken-in-2024.txt:{line}: county "Viken" (code 30) in Januar 2024, outside '
                                       "its validity")


def test_same_cells_printed_twice_identically_are_kept_once(built_project: Path, tmp_path: Path) -> None:
    folder = tmp_path / "same"
    folder.mkdir()
    for name in ("a-2021.txt", "b-2021-reprint.txt"):
        (folder / name).write_bytes(DOCUMENT_2021.read_bytes())
    warehouse = tmp_path / "w.duckdb"
    assert run_cli(built_project, "build", str(folder), "--warehouse", str(warehouse)).returncode == 0
    with connect(warehouse) as connection:
        assert connection.execute(f"select count(*) from {MART} where is_published").fetchone() == (4854,)
        assert connection.execute(
            "select source_file, superseded_sources from marts.fct_printed_cells where source_line = 23 "
            "and month_label = 'Januar'").fetchone() == ("a-2021.txt", 'b-2021-reprint.txt:23 = "399"')


def test_different_values_fail_naming_both_files_unless_a_policy_is_chosen(built_project: Path,
                                                                            tmp_path: Path) -> None:
    folder = tmp_path / "revised"
    folder.mkdir()
    (folder / "2021-first.txt").write_bytes(DOCUMENT_2021.read_bytes())
    consistent_edition(folder / "2021-revised.txt")
    warehouse = tmp_path / "w.duckdb"
    failed = run_cli(built_project, "build", str(folder), "--warehouse", str(warehouse))
    assert_refused_in_one_line(failed, "(test no_cell_printed_with_different_values,",
                               '2021-first.txt:23: prints "399" for Avklaringstiltak / Oslo / Januar 2021; '
                               '2021-revised.txt:23 = "400"')

    chosen = run_cli(built_project, "build", str(folder), "--warehouse", str(warehouse), "--overlap-policy",
                     "latest_document")
    assert chosen.returncode == 0, chosen.stdout[-3000:]
    with connect(warehouse) as connection:
        assert connection.execute(
            "select participant_count, source_file, superseded_sources from marts.fct_printed_cells "
            "where source_line = 23 and month_label = 'Januar'").fetchone() == (
            400, "2021-revised.txt", '2021-first.txt:23 = "399"')


def test_seeds_are_stable_and_a_new_document_only_adds(built_project: Path, editions: Path, tmp_path: Path) -> None:
    raw = tmp_path / "seeds"

    def seed_lines() -> dict[str, list[str]]:
        return {p.name: p.read_text(encoding="utf-8").splitlines() for p in sorted(raw.glob("*.csv"))}

    folder = tmp_path / "growing"
    folder.mkdir()
    for name in (DOCUMENT_2021.name, "synthetic-2024.txt"):
        (folder / name).write_bytes((editions / name).read_bytes())
    assert run_cli(built_project, "load", str(folder), "--seeds-dir", str(raw)).returncode == 0
    first = seed_lines()
    assert run_cli(built_project, "load", str(folder), "--seeds-dir", str(raw)).returncode == 0
    assert seed_lines() == first  # byte-identical
    (folder / "synthetic-2022.txt").write_bytes((editions / "synthetic-2022.txt").read_bytes())
    assert run_cli(built_project, "load", str(folder), "--seeds-dir", str(raw)).returncode == 0
    for name, lines in seed_lines().items():
        added = [line for line in lines if "synthetic-2022.txt" in line]
        assert [line for line in lines if line not in added] == first[name]  # the rest, unchanged, in order
        assert added
    with open(raw / "raw_nav__documents.csv", encoding="utf-8", newline="") as handle:
        assert [row["period_year"] for row in csv.DictReader(handle)] == ["2021", "2022", "2024"]
