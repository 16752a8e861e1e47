"""Excel input: NAV's national workbooks (TILT100, TILT110-180) and county tables saved as a workbook.

Fixtures are files, as for text: tests/fixtures/workbooks/valid/NAME.xlsx with the cells it gives in
NAME.cells.csv, and tests/fixtures/workbooks/invalid/NAME.xlsx with the exact message in NAME.error
(tests/fixtures/workbooks/make.py writes them). A fault names its file, sheet and cell."""

import csv
import io
from pathlib import Path

import duckdb
import pytest
from python_calamine import CalamineWorkbook

from nav_tiltak.layout import read_layout
from nav_tiltak.load import load_documents
from nav_tiltak.messages import ParseError
from nav_tiltak.sheets import column_letter
from nav_tiltak.workbook_writer import county_tables_workbook, national_workbooks

from conftest import DOCUMENT_2021, PROJECT_DIR, assert_refused_in_one_line, published_files, run_cli

FIXTURES = PROJECT_DIR / "tests" / "fixtures" / "workbooks"
LAYOUT = read_layout()


def cells_csv(path: Path) -> str:
    """The workbook's printed cells as the fixtures list them: where (sheet and cell), row, month, value."""
    (loaded,) = load_documents([path], LAYOUT)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["source_position", "row_label", "month_label", "value_as_printed"])
    for table in loaded.document.tables:
        for label, line, values in zip(table.row_labels, table.row_lines, table.row_values, strict=True):
            for index, (month, value) in enumerate(zip(table.months, values.split("\t"), strict=True)):
                if value:
                    position = f"{table.sheet}!{column_letter(table.first_value_column + index)}{line}"
                    writer.writerow([position, label, month, value])
    return out.getvalue()


@pytest.mark.parametrize("path", sorted((FIXTURES / "valid").glob("*.xlsx")), ids=lambda p: p.stem)
def test_valid_workbook(path: Path) -> None:
    assert cells_csv(path) == path.with_suffix(".cells.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", sorted((FIXTURES / "invalid").glob("*.xlsx")), ids=lambda p: p.stem)
def test_invalid_workbook_is_refused_with_its_cell(path: Path) -> None:
    with pytest.raises(ParseError) as refused:
        load_documents([path], LAYOUT)
    assert str(refused.value) == path.with_suffix(".error").read_text(encoding="utf-8").strip()


def test_a_bad_workbook_stops_the_build_naming_its_cell(built_project: Path) -> None:
    path = FIXTURES / "invalid" / "2026.03_TILT150_bad_value.xlsx"
    before = published_files(built_project)
    result = run_cli(built_project, "build", str(path))
    assert_refused_in_one_line(result, path.with_suffix(".error").read_text(encoding="utf-8").strip())
    assert published_files(built_project) == before


def sheets(path: Path) -> dict[str, list[list]]:
    workbook = CalamineWorkbook.from_path(str(path))
    return {name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in workbook.sheet_names}


def test_shipped_workbooks_are_what_the_generator_writes(tmp_path: Path) -> None:
    """data/raw's national workbooks hold exactly what `nav-tiltak workbooks` writes from data/nav-national."""
    written = national_workbooks(tmp_path)
    shipped = sorted((PROJECT_DIR / "data" / "raw").glob("*.xlsx"))
    assert [path.name for path in shipped] == sorted(path.name for path in written)
    for path in shipped:
        assert sheets(path) == sheets(tmp_path / path.name), path.name


def test_generated_workbooks_have_the_quirks_of_nav_s(tmp_path: Path) -> None:
    """A notes sheet before the data sheet, a merged title, the month header above each "I alt" row, the
    year-to-date average first, numbers with a thousands format, and a running year's empty months."""
    path = next(path for path in national_workbooks(tmp_path) if path.name == "2026.04_TILT100_Tidsserie_maaned.xlsx")
    data = sheets(path)
    assert list(data) == ["Om tabellen", "Arbeidsmarkedsstatus og tiltaks", "Tiltaksdeltakere og kommune"]
    rows = data["Arbeidsmarkedsstatus og tiltaks"]
    assert rows[0][0].startswith("TILT100:") and rows[3][1:4] == ["Gjennomsnitt hittil i år", "Januar", "Februar"]
    assert rows[4][0] == "I alt arbeidssøkere på tiltak"
    assert rows[4][6:] == [""] * 8  # May-December of the running year: empty
    from openpyxl import load_workbook
    sheet = load_workbook(path)["Arbeidsmarkedsstatus og tiltaks"]
    assert "A1:N1" in {str(merged) for merged in sheet.merged_cells.ranges}
    assert sheet["C5"].number_format == "#,##0" and isinstance(sheet["C5"].value, int)


def test_2021_tables_as_a_workbook_build_the_same_warehouse(built_project: Path, tmp_path: Path) -> None:
    """The 2021 text saved as a workbook (same rows and cells, numbers as numeric cells with a thousands
    format, `*` as text) gives the same figures, cell for cell; provenance names the sheet and cell."""
    workbook = county_tables_workbook(DOCUMENT_2021.read_text(encoding="utf-8"),
                                      tmp_path / "input" / "deltakere-arbeidsrettede-tiltak-2021.xlsx")
    warehouse = tmp_path / "workbook.duckdb"
    result = run_cli(built_project, "build", str(workbook), "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    with duckdb.connect() as connection:
        connection.execute("attach ? as text (read_only)", [str(built_project / "warehouse" / "nav_tiltak.duckdb")])
        connection.execute("attach ? as book (read_only)", [str(warehouse)])
        connection.execute("attach ? as book_audit (read_only)", [str(tmp_path / "workbook_audit.duckdb")])
        for table, columns in [
            ("main_group_by_measure_group", "*"),
            ("main_group_by_measure_group_harmonised", "*"),
            ("fct_printed_cells", "* exclude (source_file, source_position)"),
        ]:
            for left, right in [("text", "book"), ("book", "text")]:
                assert connection.execute(
                    f"select count(*) from (select {columns} from {left}.marts.{table} where year(month_date) = 2021 "
                    f"except all select {columns} from {right}.marts.{table} where year(month_date) = 2021)"
                ).fetchone() == (0,), (table, left)
        assert connection.execute(
            "select source_file, source_position from book.marts.fct_printed_cells where month_date = '2021-01-01' "
            "and county_code = '03' and main_group = 'alle' and measure_group = 'avklaring'").fetchone() == (
            "deltakere-arbeidsrettede-tiltak-2021.xlsx", "Ark1!B23")
        assert connection.execute("select status, count(*) from book_audit.audit.suppressed_cell_intervals group by 1 "
                                  "order by 1").fetchall() == [
            ("exact_positive", 231), ("exact_zero", 179), ("narrowed", 85), ("protected", 158)]
