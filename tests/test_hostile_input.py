"""What real files look like: encodings, line endings, odd spaces; and fuzzing. The loader either loads a
document or refuses it with FILE:LINE — never a traceback, never a partial write."""

import re
import tempfile
from pathlib import Path
from unittest import mock

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nav_tiltak.layout import normalise_label, read_layout
from nav_tiltak.load import decode, load
from nav_tiltak.messages import ParseError
from nav_tiltak.parse import _OpenTable, parse

from conftest import TEXT_2021, printed_cells, run_cli

LAYOUT = read_layout()


def cells(data: bytes, name: str = "doc.txt"):
    """The parsed cells, folded as dbt reads them: labels normalised, values as digits."""
    document = parse(decode(data, name), name, LAYOUT)
    return [(line, normalise_label(title), normalise_label(label), month, re.sub(r"\D", "", value) or value)
            for line, title, label, month, value in printed_cells(document)]


def hostile(text: str, thin_spaces: bool = True) -> str:
    """The same tables as exported by other tools: CRLF, no-break (and thin) spaces between thousands,
    trailing whitespace, labels with a trailing space."""
    separators = ["\u00a0", "\u202f" if thin_spaces else "\u00a0"]
    lines = []
    for number, line in enumerate(text.split("\n")):
        line = re.sub(r"(?<=\d) (?=\d{3}\b)", separators[number % 2], line)
        if "\t" in line and not line.startswith("\t"):
            label, rest = line.split("\t", 1)
            line = f"{label} \t{rest}"
        lines.append(line + ("  " if number % 3 == 0 else ""))
    return "\r\n".join(lines)


EXPECTED = cells(TEXT_2021.encode("utf-8"))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_encodings_load_with_the_right_names(encoding: str) -> None:
    assert cells(TEXT_2021.encode(encoding)) == EXPECTED
    assert cells(hostile(TEXT_2021, thin_spaces=encoding != "cp1252").encode(encoding)) == EXPECTED


@pytest.mark.parametrize("encoding", ["mac_roman", "cp865", "utf-16"])
def test_other_encodings_are_refused_not_guessed(encoding: str) -> None:
    data = TEXT_2021.encode(encoding, errors="replace")
    with pytest.raises(ParseError, match=r"^doc\.txt:\d+: neither UTF-8 .* nor Windows-1252 text"):
        decode(data, "doc.txt")


def test_hostile_documents_build_the_same_warehouse(built_project: Path, tmp_path: Path) -> None:
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "a-utf8-bom.txt").write_bytes(hostile(TEXT_2021).encode("utf-8-sig"))
    (folder / "b-windows-1252.txt").write_bytes(hostile(TEXT_2021, thin_spaces=False).encode("cp1252"))
    other = tmp_path / "hostile.duckdb"
    result = run_cli(built_project, "build", str(folder), "--warehouse", str(other))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    with duckdb.connect() as connection:
        connection.execute("attach ? as shipped (read_only)", [str(built_project / "warehouse" / "nav_tiltak.duckdb")])
        connection.execute("attach ? as hostile (read_only)", [str(other)])
        # The shipped warehouse holds the national series too: compare what the 2021 tables give.
        for table, only_2021 in [("main_group_by_measure_group", "year(month_date) = 2021"), ("dim_county", "true")]:
            for left, right in [("shipped.marts", "hostile.marts"), ("hostile.marts", "shipped.marts")]:
                assert connection.execute(
                    f"select count(*) from (from {left}.{table} where {only_2021} "
                    f"except all from {right}.{table} where {only_2021})").fetchone() == (0,)
        # No mojibake: every label in the warehouse is one NAV prints.
        labels = {row[0] for row in connection.execute(
            "select distinct trim(row_label) from hostile.staging.stg_nav__rows").fetchall()}
    assert "Møre og Romsdal" in labels and "Øvrige områder" in labels
    assert not any("Ã" in label or "\ufffd" in label for label in labels)


# Fuzzing: mutate the 2021 document and load it. Only a ParseError with FILE:LINE may come out.

def mutate(lines: list[str], data) -> list[str]:
    lines = list(lines)
    for _ in range(data.draw(st.integers(1, 3))):
        kind = data.draw(st.sampled_from(["drop", "duplicate", "truncate", "swap_lines", "swap_chars", "insert",
                                          "replace"]))
        index = data.draw(st.integers(0, len(lines) - 1))
        if kind == "drop":
            del lines[index]
        elif kind == "duplicate":
            lines.insert(index, lines[index])
        elif kind == "truncate":
            lines = lines[:index]
        elif kind == "swap_lines":
            other = data.draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif lines[index]:
            line = lines[index]
            position = data.draw(st.integers(0, len(line) - 1))
            if kind == "swap_chars" and position + 1 < len(line):
                line = line[:position] + line[position + 1] + line[position] + line[position + 2:]
            elif kind == "insert":
                line = line[:position] + data.draw(st.sampled_from(["\t", " ", "*", "9", "-", "x", "ø", "\u00a0",
                                                                   ",", "\r"])) + line[position:]
            elif kind == "replace":
                line = line[:position] + data.draw(st.characters(codec="utf-8")) + line[position + 1:]
            lines[index] = line
        if not lines:
            break
    return lines


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_fuzzed_documents_load_or_are_refused_cleanly(data) -> None:
    with tempfile.TemporaryDirectory() as folder:
        check_fuzzed(mutate(TEXT_2021.split("\n"), data), Path(folder))


def parsed_or_refused(text: str):
    try:
        return parse(text, "fuzzed.txt", LAYOUT)
    except ParseError as error:
        return str(error)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_fuzzed_documents_read_the_same_by_block_and_line_by_line(data) -> None:
    """The parser's fast path (a table's rows by one regex call) gives the same document, or the same
    refusal, as reading every row line by line."""
    lines = mutate(hostile(TEXT_2021, thin_spaces=data.draw(st.booleans())).split("\n"), data)
    text = "\n".join(lines)
    by_block = parsed_or_refused(text)
    with mock.patch.object(_OpenTable, "take_rows", lambda self, text, start, first_line: (0, start)):
        assert parsed_or_refused(text) == by_block


def check_fuzzed(lines: list[str], tmp_path: Path) -> None:
    document = tmp_path / "fuzzed.txt"
    document.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    seeds_dir = tmp_path / "seeds"
    seeds_dir.mkdir()
    (seeds_dir / "raw_nav__rows.csv").write_text("before\n")
    try:
        load([document], seeds_dir)
    except ParseError as error:
        assert re.fullmatch(r"fuzzed\.txt(:\d+)?: .+", str(error), flags=re.S), str(error)
        assert (seeds_dir / "raw_nav__rows.csv").read_text() == "before\n"  # nothing written
        assert sorted(p.name for p in seeds_dir.iterdir()) == ["raw_nav__rows.csv"]
    else:
        assert (seeds_dir / "raw_nav__rows.csv").read_text().startswith("source_file,source_sheet,source_line,")
