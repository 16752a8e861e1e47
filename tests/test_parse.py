"""The pure parser: the 2021 document's shape, every quirk it has, and refusals with exact messages.

Fixtures are files: tests/fixtures/valid/NAME.txt with the expected cells in NAME.cells.csv, and
tests/fixtures/invalid/NAME.txt with the expected message in NAME.error. Adding a case is adding files.
"""

import csv
import io
from pathlib import Path

import pytest

from nav_tiltak.layout import normalise_label, read_layout
from nav_tiltak.load import LoadedDocument, decode, seed_texts
from nav_tiltak.messages import ParseError
from nav_tiltak.parse import _OpenTable, parse

from conftest import DOCUMENT_2021, PROJECT_DIR, printed_cells

FIXTURES = PROJECT_DIR / "tests" / "fixtures"
LAYOUT = read_layout()


def cells_csv(document) -> str:
    """The document's cells as the fixtures list them: one CSV row per printed cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["source_file", "source_line", "table_title", "row_label", "month_label", "value_as_printed"])
    writer.writerows([document.source_name, *cell] for cell in printed_cells(document))
    return out.getvalue()


def parse_file(path: Path):
    return parse(decode(path.read_bytes(), path.name), path.name, LAYOUT)


@pytest.fixture(scope="module")
def document_2021():
    return parse_file(DOCUMENT_2021)


def test_2021_document_has_32_tables_4854_cells_653_suppressed(document_2021) -> None:
    cells = printed_cells(document_2021)
    assert len(document_2021.tables) == 32
    assert len(cells) == 4854
    assert sum(value == "*" for *_, value in cells) == 653


def test_year_comes_from_the_documents_own_period_line(document_2021) -> None:
    assert (document_2021.year, document_2021.period, document_2021.period_line) == (
        2021, "Januar - Desember 2021", 9)


def test_every_table_is_named_by_its_groups(document_2021) -> None:
    codes = [(t.main_group, t.measure_group) for t in document_2021.tables]
    assert len(set(codes)) == 32
    assert sum(main == "alle" for main, _ in codes) == 9
    assert sum(main == "arbeidssokere" for main, _ in codes) == 6
    assert sum(main == "nedsatt_arbeidsevne" for main, _ in codes) == 9
    assert sum(main == "andre" for main, _ in codes) == 8


def test_titles_split_over_lines_are_joined(document_2021) -> None:
    titles = {t.title: t for t in document_2021.tables}
    split = titles["Arbeidssøkere på tiltak, avklarings tiltak"]
    assert (split.title_line, split.main_group, split.measure_group) == (248, "arbeidssokere", "avklaring")
    three_lines = titles["Andre på tiltak, jobbskaping og egenetablering"]
    assert three_lines.title_line == 801
    assert three_lines.measure_group == "jobbskaping_og_egenetablering"


def test_last_table_has_three_months_and_two_rows(document_2021) -> None:
    last = document_2021.tables[-1]
    assert last.months == ("Mars", "April", "Mai")
    assert list(zip(last.row_labels, last.row_lines, last.row_values, strict=True)) == [
        ("I alt andre på tiltak, jobbskaping og egenetablering", 806, "*\t*\t*"),
        ("Troms og Finnmark - Romsa ja Finnmarku", 807, "*\t*\t*"),
    ]


def test_rows_are_kept_as_printed_with_their_lines(document_2021) -> None:
    first = document_2021.tables[0]
    assert first.title == "Avklaringstiltak"
    assert first.row_labels[0] == "I alt avklaringstiltak"
    assert first.row_values[0].split("\t")[:2] == ["3 704", "3 577"]
    assert first.row_lines[0] == 22
    labels = {label for table in document_2021.tables for label in table.row_labels}
    for variant in ["Nordland - Nordlånnda", "Nordland - Nordlândia", "Trøndelag - Tröndelage",
                    "Trøndelag - Trööndelage", "Troms og Finnmark - Romsa ja Finnmarku",
                    "Troms og Finnmark - Romsa ja Finnmárku"]:
        assert variant in labels
    # Tables without the "Øvrige områder" or "Ukjent" rows.
    assert any("Øvrige områder" not in t.row_labels for t in document_2021.tables)
    assert any("Ukjent" not in t.row_labels for t in document_2021.tables)


def test_misprinted_title_is_read_through_the_label_seed(document_2021) -> None:
    lonnskudd = next(t for t in document_2021.tables if t.title == "Lønnskudd")
    assert (lonnskudd.main_group, lonnskudd.measure_group) == ("alle", "lonnstilskudd")


@pytest.mark.parametrize("path", sorted((FIXTURES / "valid").glob("*.txt")), ids=lambda p: p.stem)
def test_valid_fixture(path: Path) -> None:
    expected = path.with_suffix(".cells.csv").read_text(encoding="utf-8")
    assert cells_csv(parse_file(path)) == expected


@pytest.mark.parametrize("path", sorted((FIXTURES / "invalid").glob("*.txt")), ids=lambda p: p.stem)
def test_invalid_fixture_is_refused_with_its_line(path: Path) -> None:
    with pytest.raises(ParseError) as refused:
        parse_file(path)
    assert str(refused.value) == path.with_suffix(".error").read_text(encoding="utf-8").strip()


@pytest.mark.parametrize("path", [DOCUMENT_2021, *sorted((FIXTURES / "valid").glob("*.txt"))], ids=lambda p: p.stem)
def test_rows_taken_as_a_block_are_read_as_line_by_line(path: Path, monkeypatch) -> None:
    """The loader's fast path (a table's rows checked by one regex) reads exactly what the line-by-line
    path (add_row, which names faults) reads: the same labels, lines and values."""
    taken = []
    block_path = _OpenTable.take_rows
    monkeypatch.setattr(_OpenTable, "take_rows", lambda *args: taken.append(block_path(*args)) or taken[-1])
    by_block = parse_file(path)
    monkeypatch.setattr(_OpenTable, "take_rows", lambda self, text, start, first_line: (0, start))
    assert parse_file(path) == by_block
    assert sum(count for count, _ in taken) > 0  # the fast path did take rows


def test_invalid_fixtures_cover_the_required_faults() -> None:
    names = {p.stem for p in (FIXTURES / "invalid").glob("*.txt")}
    assert {"row_value_count", "bad_value", "empty", "no_tables", "duplicate_table", "unknown_title"} <= names


def test_normalise_label_folds_case_and_whitespace() -> None:
    assert normalise_label("  Trøndelag  -\tTRÖNDELAGE ") == "trøndelag - tröndelage"


@pytest.mark.parametrize("path", [DOCUMENT_2021, *sorted((FIXTURES / "valid").glob("*.txt"))], ids=lambda p: p.stem)
def test_raw_seeds_hold_every_cell_as_printed(path: Path) -> None:
    """The raw seeds keep a row per printed line; splitting each row's values under its table's months (as
    int_cells__assembled does) gives back every printed cell with its line."""
    document = parse_file(path)
    texts = seed_texts([LoadedDocument(document, "")])
    tables = {(t["source_file"], t["header_line"]): t
              for t in csv.DictReader(io.StringIO(texts["raw_nav__tables.csv"]))}
    cells = []
    for row in csv.DictReader(io.StringIO(texts["raw_nav__rows.csv"])):
        table = tables[(row["source_file"], row["header_line"])]
        months, values = table["months_as_printed"].split("\t"), row["values_as_printed"].split("\t")
        assert len(months) == len(values)
        cells += [(row["source_file"], int(row["source_line"]), table["table_title"], row["row_label"], month, value)
                  for month, value in zip(months, values, strict=True)]
    assert cells == [(document.source_name, *cell) for cell in printed_cells(document)]
    assert texts["raw_nav__rows.csv"].count("\n") - 1 == sum(len(t.row_lines) for t in document.tables)


def test_messages_escape_and_cut_what_they_quote() -> None:
    """Text quoted in a message is shown escaped (never raw control characters) and cut when long."""
    with pytest.raises(ParseError) as refused:
        parse("Januar - Mars 2021\n\nNo such \u009b title\n\n\tJanuar\nOslo\t5\n", "a\x07.txt", LAYOUT)
    assert str(refused.value) == ("a\\x07.txt:3: control character U+009B at column 9: not a table NAV printed "
                                  "(save it as plain text)")
    long_title = "Oppfølging " + "y" * 300
    with pytest.raises(ParseError) as refused:
        parse(f"Januar - Mars 2021\n\n{long_title}\n\n\tJanuar\nOslo\t5\n", "a.txt", LAYOUT)
    assert str(refused.value) == (f'a.txt:3: table title "{long_title[:60]}... (311 characters)" is longer than '
                                  "200 characters")
