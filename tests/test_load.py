"""The loader's command line (`nav-tiltak load`): seeds written from the shipped document; bad input refused
with FILE:LINE on stderr, exit status 1, no traceback, and the seeds left byte for byte as they were.

The command runs in this process (nav_tiltak.cli.main), except in one test that runs it as `make load`
does, in a process of its own. The exact message for each invalid fixture is checked by test_parse.py."""

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from nav_tiltak.cli import main
from nav_tiltak.load import DOCUMENT_COLUMNS, ROW_COLUMNS, TABLE_COLUMNS

from conftest import DOCUMENT_2021, PROJECT_DIR

INVALID = PROJECT_DIR / "tests" / "fixtures" / "invalid"


@pytest.fixture
def seeds_dir(tmp_path: Path) -> Path:
    """Seeds loaded from the shipped document."""
    assert main(["load", str(DOCUMENT_2021), "--seeds-dir", str(tmp_path / "seeds")]) == 0
    return tmp_path / "seeds"


def seeds(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def refused(capsys, *arguments: str) -> str:
    """Run `load` on the arguments: it must exit 1 and print one line to stderr and nothing else; returns it."""
    capsys.readouterr()
    assert main(["load", *arguments]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1, captured
    return captured.err.strip()


def test_default_input_gives_one_seed_row_per_printed_row(seeds_dir: Path) -> None:
    raw = seeds_dir
    with open(raw / "raw_nav__rows.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    values = [value for row in rows for value in row["values_as_printed"].split("\t")]
    assert len(values) == 4854
    assert values.count("*") == 653
    assert rows[0] == {"source_file": DOCUMENT_2021.name, "source_sheet": "\\N", "source_line": "22",
                       "header_line": "21", "row_kind": "county", "row_label": "I alt avklaringstiltak",
                       "values_as_printed": "\t".join(["3 704", "3 577", "3 707", "3 848", "3 546", "3 439", "2 504",
                                                       "3 630", "3 873", "3 930", "3 880", "3 966"])}
    with open(raw / "raw_nav__tables.csv", encoding="utf-8", newline="") as handle:
        tables = list(csv.DictReader(handle))
    assert len(tables) == 32
    assert tables[0] == {"source_file": DOCUMENT_2021.name, "source_sheet": "\\N", "title_line": "19",
                         "header_line": "21", "table_title": "Avklaringstiltak", "main_group": "alle",
                         "measure_group": "avklaring", "measure_type": "alle", "row_kind": "county",
                         "first_value_column": "\\N",
                         "months_as_printed": "\t".join(
                             ["Januar", "Februar", "Mars", "April", "Mai", "Juni", "Juli", "August", "September",
                              "Oktober", "November", "Desember"]),
                         "month_dates": "\t".join(f"2021-{month:02d}-01" for month in range(1, 13))}
    # the last table prints only Mars-Mai
    assert tables[-1]["month_dates"] == "2021-03-01\t2021-04-01\t2021-05-01"
    with open(raw / "raw_nav__documents.csv", encoding="utf-8", newline="") as handle:
        (document,) = list(csv.DictReader(handle))
    assert (document["period_year"], document["period_start_date"], document["period_end_date"]) == (
        "2021", "2021-01-01", "2021-12-01")
    assert document["table_count"] == "32"
    assert document["cell_count"] == "4854"
    assert len(document["sha256"]) == 64


def test_loading_twice_gives_identical_seeds(seeds_dir: Path) -> None:
    before = seeds(seeds_dir)
    assert main(["load", str(DOCUMENT_2021), "--seeds-dir", str(seeds_dir)]) == 0
    assert seeds(seeds_dir) == before


def test_bad_document_is_refused_and_seeds_untouched(seeds_dir: Path, capsys) -> None:
    """One bad document among good ones: nothing is written, not even the good ones' seeds."""
    before = seeds(seeds_dir)
    path = INVALID / "row_value_count.txt"
    assert refused(capsys, str(DOCUMENT_2021), str(path), "--seeds-dir", str(seeds_dir)) == path.with_suffix(
        ".error").read_text(encoding="utf-8").strip()
    assert seeds(seeds_dir) == before  # nothing written, no temporary file left


def test_make_load_refuses_in_one_line_without_a_traceback(tmp_path: Path) -> None:
    """As `make load` runs it: a process of its own, exit status 1, the message on stderr."""
    path = INVALID / "bad_value.txt"
    result = subprocess.run([sys.executable, str(PROJECT_DIR / "scripts" / "nav-tiltak"), "load", "--seeds-dir",
                             str(tmp_path / "seeds"), "--", str(path)], capture_output=True, text=True,
                            env=dict(os.environ, DO_NOT_TRACK="1"), timeout=120, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (
        1, "", path.with_suffix(".error").read_text(encoding="utf-8"))
    assert not (tmp_path / "seeds").exists()


def test_file_in_neither_utf8_nor_windows_1252_is_refused(tmp_path: Path, capsys) -> None:
    mac = tmp_path / "mac.txt"
    mac.write_bytes("Januar - Desember 2021\n\nOppf\u00f8lging\n".encode("mac_roman"))
    assert refused(capsys, str(mac), "--seeds-dir", str(tmp_path / "seeds")) == (
        'mac.txt:3: neither UTF-8 (byte 0xBF at line 3) nor Windows-1252 text (byte 0xBF would be "¿"); '
        "save the file as UTF-8")


def test_missing_file_is_refused(tmp_path: Path, capsys) -> None:
    assert refused(capsys, str(tmp_path / "no-such-file.txt"), "--seeds-dir", str(tmp_path / "seeds")) == (
        f"{tmp_path / 'no-such-file.txt'}: cannot read the file: No such file or directory")


def test_byte_windows_1252_does_not_define_is_named_by_its_code(tmp_path: Path, capsys) -> None:
    document = tmp_path / "undefined.txt"
    document.write_bytes("Januar - Mars 2021\n\nOppf\u00f8lging\n".encode("cp1252") + b"\x81\n")
    assert refused(capsys, str(document), "--seeds-dir", str(tmp_path / "seeds")) == (
        "undefined.txt:4: neither UTF-8 (byte 0xF8 at line 3) nor Windows-1252 text (byte 0x81 is not defined "
        "in Windows-1252); save the file as UTF-8")


def test_control_characters_are_shown_escaped_never_sent_to_the_terminal(tmp_path: Path, capsys) -> None:
    """From the document (a NUL, an ANSI escape) and from its file name, a message shows them escaped."""
    document = tmp_path / "doc\x1b[2J.txt"
    document.write_text("Januar - Mars 2021\n\nOppfølging\n\n\tJanuar\nOs\x00lo\t12\n", encoding="utf-8")
    message = refused(capsys, str(document), "--seeds-dir", str(tmp_path / "seeds"))
    assert message == ("doc\\x1b[2J.txt:6: control character U+0000 at column 3: not a table NAV printed (save it "
                       "as plain text)")
    assert "\x1b" not in message and "\x00" not in message


@pytest.mark.parametrize("name, columns", [("raw_nav__tables", TABLE_COLUMNS), ("raw_nav__rows", ROW_COLUMNS),
                                           ("raw_nav__documents", DOCUMENT_COLUMNS)])
def test_raw_sources_read_the_columns_the_loader_writes(name: str, columns: list[str]) -> None:
    """DuckDB reads the raw CSVs by position with the types declared on the dbt sources: each source must
    list the loader's columns in the loader's order."""
    import yaml

    declared = yaml.safe_load((PROJECT_DIR / "models" / "staging" / "_nav__sources.yml").read_text(encoding="utf-8"))
    (source,) = declared["sources"]
    assert "{column_types}" in source["config"]["meta"]["external_location"]
    (table,) = [table for table in source["tables"] if table["name"] == name]
    assert re.findall(r"'(\w+)': '\w+'", table["config"]["meta"]["column_types"]) == columns


@pytest.fixture(scope="module")
def many_documents(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped documents (text and workbooks) and 20 synthetic editions: several tasks per worker."""
    from nav_tiltak.paths import DEFAULT_INPUT
    from nav_tiltak.synthetic import document

    folder = tmp_path_factory.mktemp("many")
    for path in DEFAULT_INPUT.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    for year in range(2030, 2050):
        (folder / f"synthetic-{year}.txt").write_text(document(year), encoding="utf-8")
    return folder


def test_parallel_loading_writes_the_seeds_one_process_writes(many_documents: Path, tmp_path: Path) -> None:
    from nav_tiltak.load import document_paths, load

    alone = load([many_documents], tmp_path / "alone", workers=1)
    parallel = load([many_documents], tmp_path / "parallel", workers=2)
    assert parallel == alone and len(alone) == len(document_paths([many_documents])) == 57
    assert seeds(tmp_path / "parallel") == seeds(tmp_path / "alone")
    assert (alone[0], alone[-1].split(",")[0]) == (  # in the order of the file names, as always
        "202312_TILT100_Tidsserie_maaned.xlsx: 2023, 3 tables, 300 cells (12 suppressed)", "synthetic-2049.txt: 2049")


@pytest.mark.parametrize("workers", [1, 2])
def test_parallel_loading_refuses_the_first_bad_document_in_order(many_documents: Path, tmp_path: Path,
                                                                  workers: int) -> None:
    """Two bad documents among many: the first by name is named, however the work was shared; and nothing is
    written. A document named twice is refused where it comes."""
    from nav_tiltak.load import load
    from nav_tiltak.messages import ParseError

    folder = tmp_path / "documents"
    folder.mkdir()
    for path in many_documents.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    bad = INVALID / "row_value_count.txt"
    (folder / "synthetic-2047.txt").write_bytes(bad.read_bytes())
    (folder / "synthetic-2048.txt").write_bytes((INVALID / "bad_value.txt").read_bytes())
    with pytest.raises(ParseError) as refusal:
        load([folder], tmp_path / "seeds", workers=workers)
    assert str(refusal.value) == bad.with_suffix(".error").read_text(encoding="utf-8").strip().replace(
        bad.name, "synthetic-2047.txt")
    assert not (tmp_path / "seeds").exists()
    twice = tmp_path / "twice"
    twice.mkdir()
    (twice / "synthetic-2031.txt").write_bytes((folder / "synthetic-2031.txt").read_bytes())
    with pytest.raises(ParseError, match=r"^synthetic-2031.txt: two input documents have this file name$"):
        load([twice, folder], tmp_path / "seeds", workers=workers)


def test_a_parse_error_crosses_processes_unchanged() -> None:
    import pickle

    from nav_tiltak.messages import ParseError

    error = ParseError("a.txt", 3, 'row "Oslo" has 2 values')
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is ParseError and str(copy) == str(error) == 'a.txt:3: row "Oslo" has 2 values'


def test_a_loader_worker_ignores_ctrl_c_and_dies_with_a_killed_loader() -> None:
    """Ctrl-C is the loader's to handle (it stops its workers); a loader killed outright (SIGKILL) can stop
    nothing, so its workers die with it instead of waiting for work forever."""
    import signal
    import time

    script = ("import multiprocessing, os, time\n"
              "from concurrent.futures import ProcessPoolExecutor\n"
              "from nav_tiltak.load import _start_worker\n"
              "pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context('fork'), "
              "initializer=_start_worker, initargs=(os.getpid(),))\n"
              "print(pool.submit(os.getpid).result(), flush=True)\n"
              "time.sleep(60)\n")
    loader = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=PROJECT_DIR,
                              env=dict(os.environ, PYTHONPATH=str(PROJECT_DIR)))
    worker = int(loader.stdout.readline())
    os.kill(worker, signal.SIGINT)
    time.sleep(0.2)
    os.kill(worker, 0)  # still there
    loader.kill()
    loader.wait()
    for _ in range(100):
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    os.kill(worker, signal.SIGKILL)
    pytest.fail("the worker outlived its loader")


def test_sigterm_while_parsing_leaves_no_seeds_no_folder_and_no_worker(tmp_path: Path) -> None:
    """Stopped while the documents are parsed in parallel and their seeds staged: nothing is left behind."""
    import signal
    import time

    from nav_tiltak.synthetic import document

    folder = tmp_path / "editions"
    folder.mkdir()
    for year in range(2100, 2400):  # 12 MB: parsed in parallel, for long enough to be stopped
        (folder / f"synthetic-{year}.txt").write_text(document(year), encoding="utf-8")
    seeds_dir = tmp_path / "new" / "seeds"
    loader = subprocess.Popen([sys.executable, str(PROJECT_DIR / "scripts" / "nav-tiltak"), "load", "--seeds-dir",
                               str(seeds_dir), "--", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True, env=dict(os.environ, DO_NOT_TRACK="1"))
    deadline = time.monotonic() + 60
    while not any(seeds_dir.parent.glob(".seeds.new.*/.*.tmp")):  # the new seeds, being written beside
        assert loader.poll() is None and time.monotonic() < deadline, "the loader ended before it was stopped"
        time.sleep(0.01)
    loader.send_signal(signal.SIGTERM)
    assert loader.wait(timeout=60) == 143
    assert loader.stderr.read().count("\n") == 1  # one line, no traceback
    assert not (tmp_path / "new").exists()
    busy = subprocess.run(["pgrep", "-f", f"--seeds-dir {seeds_dir}"], capture_output=True, text=True, check=False)
    assert busy.stdout == ""
