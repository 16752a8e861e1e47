"""The loader's command line: seeds written from the shipped document; bad input refused with
FILE:LINE on stderr, exit status 1, no traceback, and the seeds left byte for byte as they were."""

import csv
from pathlib import Path

import pytest

from conftest import DOCUMENT_2021, PROJECT_DIR, copy_project, run_script

INVALID = PROJECT_DIR / "tests" / "fixtures" / "invalid"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("load") / "project")
    result = run_script(project, "load.py")
    assert result.returncode == 0, result.stderr
    return project


def seeds(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((project / "seeds" / "raw").iterdir())}


def test_default_input_gives_one_seed_row_per_printed_cell(project: Path) -> None:
    raw = project / "seeds" / "raw"
    with open(raw / "raw_nav__cells.csv", encoding="utf-8", newline="") as handle:
        cells = list(csv.DictReader(handle))
    assert len(cells) == 4854
    assert sum(c["value_as_printed"] == "*" for c in cells) == 653
    assert cells[0] == {"source_file": DOCUMENT_2021.name, "source_line": "22", "table_title": "Avklaringstiltak",
                        "row_label": "I alt avklaringstiltak", "month_label": "Januar", "value_as_printed": "3 704"}
    with open(raw / "raw_nav__documents.csv", encoding="utf-8", newline="") as handle:
        (document,) = list(csv.DictReader(handle))
    assert document["period_year"] == "2021"
    assert document["table_count"] == "32"
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


def test_file_that_is_not_utf8_is_refused(project: Path, tmp_path: Path) -> None:
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Januar - Desember 2021\n\nOppf\u00f8lging\n".encode("latin-1"))
    result = run_script(project, "load.py", str(latin))
    assert (result.returncode, result.stderr.strip()) == (1, "latin1.txt:3: not UTF-8 text (byte 0xF8)")


def test_missing_file_is_refused(project: Path) -> None:
    result = run_script(project, "load.py", "no-such-file.txt")
    assert result.returncode == 1
    assert result.stderr.startswith("no-such-file.txt: cannot read the file")
    assert "Traceback" not in result.stderr
