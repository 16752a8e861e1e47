"""The loader's command line: seeds written from the shipped document; bad input refused with
FILE:LINE on stderr, exit status 1, no traceback, and the seeds left byte for byte as they were."""

import csv
import re
from pathlib import Path

import pytest

from conftest import DOCUMENT_2021, PROJECT_DIR, copy_project, run_script
from nav_tiltak.seeds import DOCUMENT_COLUMNS, ROW_COLUMNS, TABLE_COLUMNS

INVALID = PROJECT_DIR / "tests" / "fixtures" / "invalid"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("load") / "project")
    result = run_script(project, "load.py")
    assert result.returncode == 0, result.stderr
    return project


def seeds(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((project / "seeds" / "raw").iterdir())}


def test_default_input_gives_one_seed_row_per_printed_row(project: Path) -> None:
    raw = project / "seeds" / "raw"
    with open(raw / "raw_nav__rows.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    values = [value for row in rows for value in row["values_as_printed"].split("\t")]
    assert len(values) == 4854
    assert values.count("*") == 653
    assert rows[0] == {"source_file": DOCUMENT_2021.name, "source_line": "22", "header_line": "21",
                       "row_label": "I alt avklaringstiltak",
                       "values_as_printed": "\t".join(["3 704", "3 577", "3 707", "3 848", "3 546", "3 439", "2 504",
                                                       "3 630", "3 873", "3 930", "3 880", "3 966"])}
    with open(raw / "raw_nav__tables.csv", encoding="utf-8", newline="") as handle:
        tables = list(csv.DictReader(handle))
    assert len(tables) == 32
    assert tables[0] == {"source_file": DOCUMENT_2021.name, "title_line": "19", "header_line": "21",
                         "table_title": "Avklaringstiltak", "main_group_code": "alle", "measure_group_code": "avklaring",
                         "months_as_printed": "\t".join(
                             ["Januar", "Februar", "Mars", "April", "Mai", "Juni", "Juli", "August", "September",
                              "Oktober", "November", "Desember"]),
                         "month_numbers": "\t".join(map(str, range(1, 13)))}
    assert tables[-1]["month_numbers"] == "3\t4\t5"  # the last table prints only Mars-Mai
    with open(raw / "raw_nav__documents.csv", encoding="utf-8", newline="") as handle:
        (document,) = list(csv.DictReader(handle))
    assert (document["period_year"], document["period_first_month"], document["period_last_month"]) == (
        "2021", "1", "12")
    assert document["table_count"] == "32"
    assert document["cell_count"] == "4854"
    assert len(document["sha256"]) == 64


def test_loading_twice_gives_identical_seeds(project: Path) -> None:
    before = seeds(project)
    assert run_script(project, "load.py").returncode == 0
    assert seeds(project) == before


@pytest.mark.parametrize("path", sorted(INVALID.glob("*.txt")), ids=lambda p: p.stem)
def test_bad_document_is_refused_and_seeds_untouched(project: Path, path: Path) -> None:
    before = seeds(project)
    result = run_script(project, "load.py", str(DOCUMENT_2021), str(path))
    assert result.returncode == 1
    assert result.stderr.strip() == path.with_suffix(".error").read_text(encoding="utf-8").strip()
    assert "Traceback" not in result.stdout + result.stderr
    assert seeds(project) == before  # nothing written, no temporary file left


def test_file_in_neither_utf8_nor_windows_1252_is_refused(project: Path, tmp_path: Path) -> None:
    before = seeds(project)
    mac = tmp_path / "mac.txt"
    mac.write_bytes("Januar - Desember 2021\n\nOppf\u00f8lging\n".encode("mac_roman"))
    result = run_script(project, "load.py", str(mac))
    assert (result.returncode, result.stderr.strip()) == (
        1, 'mac.txt:3: neither UTF-8 (byte 0xBF at line 3) nor Windows-1252 text (byte 0xBF would be "¿"); '
           "save the file as UTF-8")
    assert seeds(project) == before


def test_missing_file_is_refused(project: Path) -> None:
    result = run_script(project, "load.py", "no-such-file.txt")
    assert result.returncode == 1
    assert result.stderr.startswith("no-such-file.txt: cannot read the file")
    assert "Traceback" not in result.stderr


def test_byte_windows_1252_does_not_define_is_named_by_its_code(project: Path, tmp_path: Path) -> None:
    document = tmp_path / "undefined.txt"
    document.write_bytes("Januar - Mars 2021\n\nOppf\u00f8lging\n".encode("cp1252") + b"\x81\n")
    result = run_script(project, "load.py", str(document))
    assert (result.returncode, result.stderr.strip()) == (
        1, "undefined.txt:4: neither UTF-8 (byte 0xF8 at line 3) nor Windows-1252 text (byte 0x81 is not defined "
           "in Windows-1252); save the file as UTF-8")


def test_control_characters_are_shown_escaped_never_sent_to_the_terminal(project: Path, tmp_path: Path) -> None:
    """From the document (a NUL, an ANSI escape) and from its file name, a message shows them escaped."""
    document = tmp_path / "doc\x1b[2J.txt"
    document.write_text("Januar - Mars 2021\n\nOppfølging\n\n\tJanuar\nOs\x00lo\t12\n", encoding="utf-8")
    result = run_script(project, "load.py", str(document))
    assert result.returncode == 1
    assert result.stderr.strip() == ("doc\\x1b[2J.txt:6: control character U+0000 at column 3: not a table NAV "
                                     "printed (save it as plain text)")
    assert "\x1b" not in result.stderr and "\x00" not in result.stderr


@pytest.mark.parametrize("name, columns", [("raw_nav__tables", TABLE_COLUMNS), ("raw_nav__rows", ROW_COLUMNS),
                                           ("raw_nav__documents", DOCUMENT_COLUMNS)])
def test_raw_models_read_the_columns_the_loader_writes(name: str, columns: list[str]) -> None:
    """DuckDB reads the raw CSVs by position with the types in models/raw: the model must list the
    loader's columns in the loader's order."""
    model = (PROJECT_DIR / "models" / "raw" / f"{name}.sql").read_text(encoding="utf-8")
    assert re.findall(r"'(\w+)': '\w+'", model) == columns
