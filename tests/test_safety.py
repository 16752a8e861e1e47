"""Nothing the user has is lost, and nothing wrong is published: a test per class of fault a hostile user
found (real processes and real files), each failing when its fix is undone.

1. Never remove or overwrite what the project did not write (a user's folder, database or file).
2. Nothing wrong is published (a workbook's year, a hidden sheet, tables that contradict each other only
   together, editions in NAV's two name formats, a `*` in no relation).
3. Hostile workbooks are refused, not obeyed (a grid of billions of cells, a zip bomb, other formats).
4. One clean line, every time (a page from a file that is no warehouse, a path with a line break or an escape
   sequence, Python without the project's packages, dbt run by hand).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest

from nav_tiltak.layout import read_layout
from nav_tiltak.load import load_documents
from nav_tiltak.messages import ParseError
from nav_tiltak.protected_tables import OUTPUT_KIND, SIDE_FILE

from conftest import (
    DOCUMENT_2021,
    PROJECT_DIR,
    assert_refused_in_one_line,
    can_mount,
    connect_warehouse,
    copy_project,
    link_venv,
    make_environment,
    oslo_january,
    published_files,
    run_cli,
)

RAW = PROJECT_DIR / "data" / "raw"
LAYOUT = read_layout()
NATIONAL_SHEET = "Arbeidsmarkedsstatus og tiltaks"


def refused(path: Path) -> str:
    with pytest.raises(ParseError) as error:
        load_documents([path], LAYOUT)
    return str(error.value)


# 1. Never remove or overwrite what the project did not write ----------------------------------------------

def test_a_users_database_named_as_warehouse_is_refused_and_kept(built_project: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mydb.duckdb"
    with duckdb.connect(str(mine)) as connection:
        connection.execute("create table precious as select 42 as answer")
    result = run_cli(built_project, "build", "--warehouse", str(mine))
    assert_refused_in_one_line(result, "exists and is a DuckDB database this project did not publish")
    with duckdb.connect(str(mine), read_only=True) as connection:
        assert connection.execute("select answer from precious").fetchone() == (42,)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["mydb.duckdb"]


@pytest.mark.parametrize("case", ["failed_is_a_users_file", "builds_folder_is_a_users"])
def test_a_users_file_where_a_build_keeps_its_own_is_refused(built_project: Path, tmp_path: Path, case: str) -> None:
    warehouse = tmp_path / "w.duckdb"
    if case == "failed_is_a_users_file":
        (tmp_path / "w.failed.duckdb").write_text("my notes\n")
        expected = "is not a link this project made"
    else:
        (tmp_path / ".w.duckdb.builds").mkdir()
        (tmp_path / ".w.duckdb.builds" / "next").write_text("my notes\n")
        expected = "is not a folder this project made"
    before = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    assert_refused_in_one_line(run_cli(built_project, "build", "--warehouse", str(warehouse)), expected)
    assert {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()} == before


@pytest.mark.parametrize("case", ["warehouse_in_input_folder", "exports_in_input_folder", "warehouse_under_seeds",
                                  "exports_under_seeds", "warehouse_under_target_build", "exports_in_builds_folder"])
def test_outputs_where_they_would_break_the_project_are_refused(built_project: Path, tmp_path: Path,
                                                                case: str) -> None:
    """Refused before anything is written, saying why; nothing appears where the output would have gone."""
    folder = tmp_path / "input"
    folder.mkdir()
    shutil.copyfile(DOCUMENT_2021, folder / "doc.txt")
    builds = built_project / "warehouse" / ".nav_tiltak.duckdb.builds"
    arguments, expected = {
        "warehouse_in_input_folder": (["--warehouse", str(folder / "w.duckdb")], "is inside the input folder"),
        "exports_in_input_folder": (["--exports", str(folder / "out")], "is inside the input folder"),
        "warehouse_under_seeds": (["--warehouse", str(built_project / "seeds" / "w.duckdb")],
                                  "is inside the project's seeds/"),
        "exports_under_seeds": (["--exports", str(built_project / "seeds" / "out")], "is inside the project's seeds/"),
        "warehouse_under_target_build": (["--warehouse", str(built_project / "target" / "build" / "w.duckdb")],
                                         "is inside the project's target/"),
        "exports_in_builds_folder": (["--exports", str(builds / "out")], "a folder of builds"),
    }[case]
    before = published_files(built_project)
    result = run_cli(built_project, "build", str(folder), *arguments)
    assert_refused_in_one_line(result, expected)
    assert published_files(built_project) == before
    assert sorted(path.name for path in folder.iterdir()) == ["doc.txt"]
    assert not (built_project / "seeds" / "w.duckdb").exists() and not (built_project / "seeds" / "out").exists()
    assert not (builds / "out").exists()


def test_another_warehouse_keeps_its_seeds_with_its_build_and_seeds_raw_stays_the_default_ones(
        built_project: Path, tmp_path: Path) -> None:
    seeds = {path.name: path.read_bytes() for path in (built_project / "seeds" / "raw").iterdir()}
    other = tmp_path / "other.duckdb"
    result = run_cli(built_project, "build", "--warehouse", str(other), "--", str(DOCUMENT_2021))
    assert result.returncode == 0, result.stderr
    assert {path.name: path.read_bytes() for path in (built_project / "seeds" / "raw").iterdir()} == seeds
    kept = other.resolve().parent / "raw" / "raw_nav__documents.csv"
    assert kept.read_text(encoding="utf-8").count("\n") == 2  # the one document it was built from
    assert "deltakere-arbeidsrettede-tiltak-2021.txt" in kept.read_text(encoding="utf-8")


@pytest.mark.e2e
def test_protect_replaces_only_a_folder_it_wrote_and_unchanged(tmp_path: Path) -> None:
    """`make protect` never takes a folder for its own because of a file name, never touches a user's folder
    named like its old backup, and refuses its own output once a user has put a file in it."""
    project = copy_project(tmp_path / "project", standin=True)
    lookalike = tmp_path / "thesis"
    lookalike.mkdir()
    (lookalike / SIDE_FILE).write_text("mine\n")
    (lookalike / "thesis.docx").write_bytes(b"four years of work")
    result = run_cli(project, "protect", "--output", str(lookalike), "--", str(DOCUMENT_2021))
    assert result.returncode == 1 and "is not a folder `make protect` wrote" in result.stderr, result.stderr
    assert (lookalike / "thesis.docx").read_bytes() == b"four years of work"

    output = tmp_path / "out"
    backup_named = tmp_path / ".out.previous"  # a user's folder, named like the backup protect once made
    backup_named.mkdir()
    (backup_named / "keep.txt").write_text("mine\n")
    for _ in range(2):  # the second run replaces the first's output, which is its own and unchanged
        result = run_cli(project, "protect", "--output", str(output), "--", str(DOCUMENT_2021))
        assert result.returncode == 0, result.stdout + result.stderr
    assert (backup_named / "keep.txt").read_text() == "mine\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == [".out.previous", "out", "project", "thesis"]
    (output / "notes.txt").write_text("my notes on the protected tables\n")
    result = run_cli(project, "protect", "--output", str(output), "--", str(DOCUMENT_2021))
    assert result.returncode == 1 and "holds files it did not write" in result.stderr, result.stderr
    assert (output / "notes.txt").read_text() == "my notes on the protected tables\n"
    assert (output / DOCUMENT_2021.name).exists()  # its own files are still there too
    assert OUTPUT_KIND in (output / ".nav-tiltak.json").read_text()


def test_load_never_writes_into_a_users_folder_or_seeds_raw(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "raw_nav__rows.csv").write_text("my own rows\n")
    for folder, expected in [(mine, "is not a folder `load` wrote"),
                             (project / "seeds" / "raw", "holds the default warehouse's seeds")]:
        result = run_cli(project, "load", "--seeds-dir", str(folder), "--", str(DOCUMENT_2021))
        assert result.returncode == 1 and expected in result.stderr, result.stderr
    assert (mine / "raw_nav__rows.csv").read_text() == "my own rows\n"
    assert not (project / "seeds" / "raw").exists()
    result = run_cli(project, "load", "--", str(DOCUMENT_2021))
    assert result.returncode == 0, result.stderr
    assert (project / "target" / "load" / "raw_nav__rows.csv").exists()
    assert run_cli(project, "load", "--", str(DOCUMENT_2021)).returncode == 0  # its own folder, again


# 2. Nothing wrong is published ------------------------------------------------------------------------------

def test_a_workbook_whose_name_and_sheets_disagree_on_the_year_is_refused(tmp_path: Path) -> None:
    renamed = tmp_path / "202512_TILT100_Tidsserie_maaned.xlsx"
    shutil.copyfile(RAW / "202412_TILT100_Tidsserie_maaned.xlsx", renamed)
    assert refused(renamed) == (f"{renamed.name}:{NATIONAL_SHEET}!A1: names the year 2024, but the file's name "
                                "gives 202512 (the year 2025): refusing to publish one year's figures as another's")
    # The running year's period line ("januar-april 2026") must end with the name's month.
    early = tmp_path / "2026.03_TILT100_Tidsserie_maaned.xlsx"
    shutil.copyfile(RAW / "2026.04_TILT100_Tidsserie_maaned.xlsx", early)
    assert refused(early) == (f"{early.name}:Om tabellen!A5: prints a period ending in April, but the file's name "
                              "gives 2026.03 (Mars): refusing to publish one period's figures as another's")


@pytest.mark.filterwarnings("ignore:Title is more than 31 characters")  # a decoy Excel itself would not name
def test_a_hidden_sheet_is_never_read_and_two_data_sheets_are_refused(tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(RAW / "202412_TILT100_Tidsserie_maaned.xlsx")
    decoy = workbook.copy_worksheet(workbook[NATIONAL_SHEET])
    decoy.title = "Arbeidsmarkedsstatus og tiltaks 2"
    decoy["C9"] = 99_999  # a hidden decoy's figure must never be published
    decoy.sheet_state = "hidden"
    workbook.move_sheet(decoy, offset=-2)  # first of the sheets
    path = tmp_path / "202412_TILT100_Tidsserie_maaned.xlsx"
    workbook.save(path)
    (loaded,) = load_documents([path], LAYOUT)
    assert {table.sheet for table in loaded.document.tables} == {NATIONAL_SHEET}
    assert not any("99 999" in values for table in loaded.document.tables for values in table.row_values)
    summary = run_cli(PROJECT_DIR, "load", "--seeds-dir", str(tmp_path / "seeds"), "--", str(path)).stdout
    assert "; hidden, never read: 'Arbeidsmarkedsstatus og tiltaks 2'" in summary  # named, never silently
    decoy.sheet_state = "visible"
    workbook.save(path)
    assert refused(path) == (f"{path.name}: more than one sheet could be the data: Arbeidsmarkedsstatus og tiltaks 2, "
                             f"{NATIONAL_SHEET}; keep one")


def test_tables_that_contradict_each_other_only_together_fail_naming_both(built_project: Path,
                                                                          tmp_path: Path) -> None:
    """TILT110's block total two above TILT100's Lønnstilskudd (within the bounds of the block's own `*`):
    a data test names both cells and the relation; the audit never sees it."""
    folder = tmp_path / "2024"
    folder.mkdir()
    shutil.copyfile(RAW / "202412_TILT100_Tidsserie_maaned.xlsx", folder / "202412_TILT100_Tidsserie_maaned.xlsx")
    workbook = openpyxl.load_workbook(RAW / "202412_TILT110_Tidsserie_maaned.xlsx")
    assert workbook["Arbeidsmarkedsstatus og tiltak"]["C5"].value == 1591
    workbook["Arbeidsmarkedsstatus og tiltak"]["C5"] = 1593
    workbook.save(folder / "202412_TILT110_Tidsserie_maaned.xlsx")
    result = run_cli(built_project, "build", "--warehouse", str(tmp_path / "w.duckdb"), "--", str(folder))
    assert_refused_in_one_line(
        result, "(test block_total_is_its_measure_groups,",
        '202412_TILT110_Tidsserie_maaned.xlsx:Arbeidsmarkedsstatus og tiltak!C5: I alt arbeidssøkere, på tiltak / '
        'Januar = "1 593": the total is 1593, but its 1 parts (0 suppressed) add up to 1591: '
        '202412_TILT100_Tidsserie_maaned.xlsx:Arbeidsmarkedsstatus og tiltaks!C9: Lønnstilskudd / Januar = "1 591"')
    assert "Traceback" not in result.stdout and "InfeasibleError" not in result.stdout


def test_editions_in_both_name_formats_and_a_revised_block_resolve_by_the_period_read(built_project: Path,
                                                                                      tmp_path: Path) -> None:
    """March's edition named 202603_ and April's 2026.04_ ("." sorts before "0"): under latest_document the
    edition whose period ends latest wins, block totals included; and the README's one-workbook example
    builds (a `*` in no published relation keeps 0..3)."""
    folder = tmp_path / "editions"
    folder.mkdir()
    for code in ("TILT100", "TILT110"):
        shutil.copyfile(RAW / f"2026.04_{code}_Tidsserie_maaned.xlsx", folder / f"2026.04_{code}_Tidsserie_maaned.xlsx")
        march = openpyxl.load_workbook(RAW / f"2026.04_{code}_Tidsserie_maaned.xlsx")
        about, data = march.worksheets[0], march.worksheets[1]
        for row in about.iter_rows():
            if isinstance(row[0].value, str):
                row[0].value = row[0].value.replace("januar-april", "januar-mars")
        for sheet in march.worksheets[1:]:  # the national sheet, and the county and municipality sheets
            for row in sheet.iter_rows(min_row=4):
                if row[1].value != "Gjennomsnitt hittil i år":  # a data row, not a month header
                    row[1].value = None  # the average over the months so far: left out
                    row[5].value = None  # April's column, F: not printed yet in March
        # A revision: March's Lønnstilskudd for arbeidssøkere, its block total and its types one higher.
        for cell in ("C9",) if code == "TILT100" else ("C5", "C6"):
            data[cell] = data[cell].value + 1
        march.save(folder / f"202603_{code}_Tidsserie_maaned.xlsx")
    warehouse = tmp_path / "w.duckdb"
    result = run_cli(built_project, "build", "--warehouse", str(warehouse), "--overlap-policy", "latest_document",
                     "--", str(folder))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        figure, source = connection.execute(
            "select participant_count, source_file from marts.fct_printed_cells where month_date = '2026-01-01' "
            "and main_group = 'arbeidssokere' and measure_group = 'lonnstilskudd' and measure_type = 'alle'"
        ).fetchone()
    assert source == "2026.04_TILT100_Tidsserie_maaned.xlsx"
    assert figure == openpyxl.load_workbook(RAW / "2026.04_TILT100_Tidsserie_maaned.xlsx").worksheets[1]["C9"].value

    one = run_cli(built_project, "build", "--warehouse", str(tmp_path / "one.duckdb"), "--",
                  str(RAW / "202412_TILT100_Tidsserie_maaned.xlsx"))
    assert one.returncode == 0, one.stdout[-3000:] + one.stderr
    with connect_warehouse(tmp_path / "one.duckdb") as connection:
        alone = connection.execute("select count(*) from publisher.audit.suppressed_cell_intervals "
                                   "where relation_bound_low is null and interval_low = 0 and interval_high = 3"
                                   ).fetchone()[0]
    assert alone > 0


def test_an_empty_national_cell_where_its_type_exists_fails_naming_it(built_project: Path, tmp_path: Path) -> None:
    """An empty cell on a national sheet is no figure; where its measure type exists NAV prints a number or
    `*`, and a sum over the row's neighbours would read the empty cell as 0: a data rule names it."""
    workbook = openpyxl.load_workbook(RAW / "202412_TILT110_Tidsserie_maaned.xlsx")
    sheet = workbook["Arbeidsmarkedsstatus og tiltak"]
    assert sheet["A6"].value == "Midlertidig lønnstilskudd" and sheet["D6"].value is not None
    sheet["B6"] = sheet["D6"] = None  # and the row's average, which a month not printed leaves empty
    workbook.save(tmp_path / "202412_TILT110_Tidsserie_maaned.xlsx")
    result = run_cli(built_project, "build", "--warehouse", str(tmp_path / "w.duckdb"), "--",
                     str(tmp_path / "202412_TILT110_Tidsserie_maaned.xlsx"))
    assert_refused_in_one_line(
        result, "(test national_cell_empty_only_where_its_type_does_not_exist,",
        '202412_TILT110_Tidsserie_maaned.xlsx:Arbeidsmarkedsstatus og tiltak!D6: row "Midlertidig lønnstilskudd", '
        "Februar 2024: empty, where NAV prints a number or *")


# 3. Hostile workbooks are refused, not obeyed ---------------------------------------------------------------

def test_a_workbook_reaching_cell_xfd1048576_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """An 8 KB workbook whose one far cell would make the reader allocate 17 billion cells: refused in its own
    process, with its sheet and the limit, and nothing left where the seeds would go."""
    workbook = openpyxl.load_workbook(RAW / "202412_TILT100_Tidsserie_maaned.xlsx")
    workbook[NATIONAL_SHEET]["XFD1048576"] = "x"
    path = tmp_path / "202412_TILT100_Tidsserie_maaned.xlsx"
    workbook.save(path)
    assert path.stat().st_size < 20_000
    seeds = tmp_path / "seeds"
    result = run_cli(PROJECT_DIR, "load", "--seeds-dir", str(seeds), "--", str(path), timeout=60)
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip() == (f"{path.name}:{NATIONAL_SHEET}: the sheet reaches row 1,048,576 and column "
                                     "16,384; a NAV sheet is within 100,000 rows, 256 columns and 4,000,000 cells in "
                                     "all")
    assert not seeds.exists()


def test_a_zip_bomb_is_refused_by_its_unpacked_size(tmp_path: Path) -> None:
    path = tmp_path / "202412_TILT100_Tidsserie_maaned.xlsx"
    with zipfile.ZipFile(RAW / path.name) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * 300_000_000)
            bomb.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    assert path.stat().st_size < 1_000_000
    assert refused(path) == (f"{path.name}: unpacks to 286 MiB; a NAV workbook unpacks to a few megabytes (the limit "
                             "is 256 MiB)")


@pytest.mark.parametrize("name, expected", [
    ("tiltak.xlsm", "is an Excel workbook with macros, which the loader does not read: open it in Excel or "
                    "LibreOffice and save it as an Excel workbook (.xlsx)"),
    ("tiltak.xls", "is an old Excel workbook (.xls), which the loader does not read"),
    ("tiltak.txt", "is a zip file (an Excel workbook?), not text: if it is a workbook, name it .xlsx"),
])
def test_other_spreadsheet_formats_are_named_not_read_as_text(tmp_path: Path, name: str, expected: str) -> None:
    path = tmp_path / name
    shutil.copyfile(RAW / "202412_TILT100_Tidsserie_maaned.xlsx", path)
    message = refused(path)
    assert message.startswith(f"{name}: {expected}") and "UTF-8" not in message


def test_an_old_xls_named_xlsx_is_named(tmp_path: Path) -> None:
    path = tmp_path / "202412_TILT100_Tidsserie_maaned.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    assert refused(path).startswith(f"{path.name}: is an old Excel workbook (.xls), not a .xlsx one")


# 4. One clean line, every time ------------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["report", "audit", "docs"])
def test_pages_from_a_file_that_is_no_warehouse_say_so_in_one_line(tmp_path: Path, command: str) -> None:
    text = tmp_path / "notes.duckdb"
    text.write_text("not a database\n")
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    for path, expected in [(text, "is not a DuckDB database"), (empty, "is not a nav-tiltak warehouse"),
                           (tmp_path / "missing.duckdb", "no warehouse yet")]:
        result = run_cli(PROJECT_DIR, command, "--warehouse", str(path), "--output", str(tmp_path / "page"))
        assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr, result.stderr
        assert result.stderr.strip() == f"{path}: {expected}" or result.stderr.startswith(f"{path}: {expected}")
        assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "page").exists()


def test_a_path_with_a_line_break_or_an_escape_passes_through_make_and_is_shown_escaped(built_project: Path,
                                                                                        tmp_path: Path) -> None:
    folder = tmp_path / "odd\nname \x1b[31mred"
    folder.mkdir()
    document = folder / "doc\x1b]0;title\x07.txt"
    shutil.copyfile(DOCUMENT_2021, document)
    link_venv(built_project)
    result = subprocess.run(["make", "-C", str(built_project), "load", f"INPUT={document}"], capture_output=True,
                            text=True, env=make_environment(), timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "\x1b" not in result.stdout + result.stderr and "\x07" not in result.stdout + result.stderr
    assert "loaded doc\\x1b]0;title\\x07.txt: 2021, 32 tables" in result.stdout


def test_without_the_projects_packages_the_command_says_so_in_one_line() -> None:
    # -S: no site-packages, as a Python outside the project's virtual environment.
    result = subprocess.run([sys.executable, "-S", str(PROJECT_DIR / "scripts" / "nav-tiltak"), "build"],
                            capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("nav-tiltak needs the project's virtual environment (no module ")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_dbt_run_by_hand_finds_the_projects_package(built_project: Path, tmp_path: Path) -> None:
    """`.venv/bin/dbt ...` as dbt users run it, without PYTHONPATH: the audit's Python model imports
    nav_tiltak from the package `make` installs into the environment."""
    database = tmp_path / "by-hand.duckdb"
    shutil.copyfile(built_project / "warehouse" / "nav_tiltak.duckdb", database)
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), "run", "--select", "suppressed_cell_lp_intervals",
         "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        cwd=built_project, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300, check=False,
        env={**environment, "DO_NOT_TRACK": "1", "NAV_TILTAK_DATABASE": str(database)})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert "No module named" not in result.stdout
    assert oslo_january(database) == 399


@pytest.mark.e2e
@pytest.mark.skipif(not can_mount(), reason="mounting a small tmpfs needs root on Linux")
def test_a_full_disk_under_target_says_the_disk_is_full(tmp_path: Path) -> None:
    """dbt's database under target/ on a disk that fills up: the one line says the disk is full (not that a
    data rule failed), and nothing is published or kept."""
    project = copy_project(tmp_path / "project")
    (project / "target").mkdir(exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(project / "target")], check=True)
    try:
        result = run_cli(project, "build")
    finally:
        subprocess.run(["umount", "-l", str(project / "target")], check=False)
    assert_refused_in_one_line(result, "dbt build failed: the disk is full (", "No space left on device")
    assert "the failing rows are in" not in result.stderr
    assert not (project / "warehouse" / "nav_tiltak.duckdb").exists()
    assert not (project / "seeds" / "raw").exists()


# The second hostile round ------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", ["a_users_file", "a_users_link"])
def test_seeds_raw_holding_a_users_file_or_link_is_refused_and_kept(built_project: Path, tmp_path: Path,
                                                                  case: str) -> None:
    """seeds/raw is the link the project makes to the default warehouse's seeds: a user's file in its place,
    or a link of theirs, is refused before anything is written, and kept."""
    seeds = built_project / "seeds" / "raw"
    saved = tmp_path / "saved-link"
    os.rename(seeds, saved)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "important.csv").write_text("a\n")
    try:
        if case == "a_users_file":
            seeds.mkdir()
            (seeds / "my_notes.csv").write_text("x\n")
        else:
            seeds.symlink_to(mine)
        result = run_cli(built_project, "build")
        assert_refused_in_one_line(result, "seeds/raw")
        assert (mine / "important.csv").read_text() == "a\n" and sorted(p.name for p in mine.iterdir()) == [
            "important.csv"]
        if case == "a_users_file":
            assert (seeds / "my_notes.csv").read_text() == "x\n"
    finally:
        shutil.rmtree(seeds) if seeds.is_dir() and not seeds.is_symlink() else seeds.unlink(missing_ok=True)
        os.rename(saved, seeds)


def test_a_users_file_saved_in_a_published_build_keeps_that_build(built_project: Path, own_warehouse: Path) -> None:
    """The exports folder is the published build's: a file a user saves there makes that build theirs, and
    later builds never remove it."""
    exports = own_warehouse.with_name("nav_tiltak_exports")
    mine = exports.resolve() / "my_analysis.txt"
    mine.write_text("a\n")
    for _ in range(2):
        assert run_cli(built_project, "build", "--warehouse", str(own_warehouse)).returncode == 0
    assert mine.read_text() == "a\n"


@pytest.mark.parametrize("where", ["seeds", "input_folder", "builds_folder", "models"])
def test_load_and_protect_refuse_outputs_where_they_break_the_project(built_project: Path, tmp_path: Path,
                                                                      where: str) -> None:
    folder = tmp_path / "input"
    folder.mkdir()
    shutil.copyfile(DOCUMENT_2021, folder / "doc.txt")
    place = {"seeds": built_project / "seeds" / "mine", "input_folder": folder / "out",
             "builds_folder": built_project / "warehouse" / ".nav_tiltak.duckdb.builds" / "next",
             "models": built_project / "models" / "x"}[where]
    for command, option in [("load", "--seeds-dir"), ("protect", "--output")]:
        result = run_cli(built_project, command, option, str(place), "--", str(folder))
        assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert not place.exists(), (command, place)


def test_what_a_killed_load_or_protect_left_is_cleaned_and_nothing_else(tmp_path: Path) -> None:
    """A run killed between its renames leaves its new folder (marked as the project's) or an empty one
    beside the output: the next run removes those, and never a user's folder named like them."""
    from nav_tiltak import ownership

    seeds = tmp_path / "seeds"
    assert run_cli(PROJECT_DIR, "load", "--seeds-dir", str(seeds), "--", str(DOCUMENT_2021)).returncode == 0
    killed = ownership.staging_folder(seeds)
    (killed / ".raw_nav__rows.csv.abc.tmp").write_text("half\n")
    empty = tmp_path / ".seeds.replaced.x1"
    empty.mkdir()
    users = tmp_path / ".seeds.new.mine"
    users.mkdir()
    (users / "notes.txt").write_text("mine\n")
    result = run_cli(PROJECT_DIR, "load", "--seeds-dir", str(seeds), "--", str(DOCUMENT_2021))
    assert result.returncode == 0, result.stderr
    assert not killed.exists() and not empty.exists()
    assert (users / "notes.txt").read_text() == "mine\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == [".seeds.new.mine", "seeds"]


def test_a_warehouse_that_appears_during_the_build_is_never_replaced(built_project: Path, tmp_path: Path) -> None:
    """A file created at WAREHOUSE while dbt runs (the path was free when checked): the build stops at
    publishing, the file is kept, and nothing is published."""
    from test_publishing import start_build, wait_for

    warehouse = tmp_path / "w.duckdb"
    build = start_build(built_project, "--warehouse", str(warehouse), dbt_seconds=3)
    assert wait_for(built_project / "target" / "build" / "warehouse.duckdb", build)
    warehouse.write_text("precious\n")
    _, stderr = build.communicate(timeout=120)
    assert build.returncode == 1 and "File exists" in stderr, stderr
    assert warehouse.read_text() == "precious\n"
    assert not (tmp_path / "w_exports").exists()


def test_make_never_runs_what_a_value_holds_and_a_fifo_warehouse_is_refused(built_project: Path,
                                                                            tmp_path: Path) -> None:
    link_venv(built_project)
    marker = tmp_path / "PWNED"
    for variable in ("INPUT", "WAREHOUSE"):
        subprocess.run(["make", "-C", str(built_project), "load" if variable == "INPUT" else "build",
                        f"{variable}=/tmp/x$(shell touch {marker}).txt"], capture_output=True, text=True,
                       env=make_environment(), timeout=600, check=False)
        assert not marker.exists(), variable
    fifo = tmp_path / "f.duckdb"
    os.mkfifo(fifo)
    result = run_cli(built_project, "build", "--warehouse", str(fifo), timeout=60)
    assert_refused_in_one_line(result, "exists and is a file this project did not publish")


def test_a_data_rule_broken_is_named_in_the_one_line_with_its_file_and_line(built_project: Path,
                                                                           tmp_path: Path) -> None:
    from conftest import edited

    document = tmp_path / "off.txt"
    document.write_text(edited([("I alt tilrettelagt arbeid\t", "11 872", "11 873")]), encoding="utf-8")
    result = run_cli(built_project, "build", "--warehouse", str(tmp_path / "w.duckdb"), "--", str(document))
    assert_refused_in_one_line(result)
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("off.txt:") and "(data rule broken: test county_rows_sum_to_national_total" in line, line


def test_odd_inputs_and_early_signals_are_one_line(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    shutil.copyfile(DOCUMENT_2021, tmp_path / "docs" / "2021.txt")
    shutil.copyfile(RAW / "202412_TILT100_Tidsserie_maaned.xlsx", tmp_path / "docs" / "macros.xlsm")
    result = run_cli(PROJECT_DIR, "load", "--seeds-dir", str(tmp_path / "s"), "--", str(tmp_path / "docs"))
    assert result.returncode == 1 and result.stderr.startswith("macros.xlsm: is an Excel workbook with macros")
    empty = run_cli(PROJECT_DIR, "load", "--seeds-dir", str(tmp_path / "s"), "")
    assert empty.returncode == 2 and empty.stderr.strip().count("\n") == 0 and "is empty" in empty.stderr
    docs = run_cli(PROJECT_DIR, "docs", "--warehouse", str(tmp_path / "fake.duckdb"))
    with duckdb.connect(str(tmp_path / "fake.duckdb")) as connection:
        connection.execute("create schema marts; create table marts.x (a int)")
    docs = run_cli(PROJECT_DIR, "docs", "--warehouse", str(tmp_path / "fake.duckdb"))
    assert docs.returncode == 1 and "is not a nav-tiltak warehouse" in docs.stderr
    early = subprocess.Popen([sys.executable, str(PROJECT_DIR / "scripts" / "nav-tiltak"), "load", "--seeds-dir",
                              str(tmp_path / "s2"), "--", str(DOCUMENT_2021)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    time.sleep(0.15)
    early.send_signal(signal.SIGTERM)
    stdout, stderr = early.communicate(timeout=60)
    # It may have finished: then the signal, ignored once the seeds are in place, changes nothing.
    finished = "raw seeds written" in stdout and early.returncode == 0
    stopped = early.returncode == 143 and stderr.startswith("interrupted (SIGTERM)")
    assert finished and "Traceback" not in stderr or stopped
    assert stderr.count("\n") <= 1


def test_pages_and_workbooks_replace_only_files_the_project_wrote(built_project: Path, tmp_path: Path) -> None:
    """`report`, `audit`, `docs` and `workbooks` write a file only where it is new or the project's own: a
    user's file, a link (to the warehouse, say), the project's files and folders, an input folder are
    refused in one line, unchanged; a page of its own is replaced."""
    user = tmp_path / "thesis.html"
    user.write_text("mine", encoding="utf-8")
    link = tmp_path / "link.html"
    link.symlink_to(built_project / "warehouse" / "nav_tiltak.duckdb")
    warehouse_bytes = (built_project / "warehouse" / "nav_tiltak.duckdb").read_bytes()
    makefile = (built_project / "Makefile").read_bytes()
    refusals = {user: "exists and is not a page nav-tiltak wrote", link: "is a link or not a file",
                built_project / "Makefile": "exists and is not a page nav-tiltak wrote",
                built_project / "seeds" / "page.csv": "is inside the project's seeds/",
                built_project / "data" / "raw" / "page.txt": "is inside the input folder"}
    for command, (output, why) in zip(["report", "audit", "docs", "report", "audit"], refusals.items(), strict=True):
        result = run_cli(built_project, command, "--output", str(output))
        assert result.returncode == 1 and why in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert user.read_text(encoding="utf-8") == "mine" and link.is_symlink()
    assert (built_project / "warehouse" / "nav_tiltak.duckdb").read_bytes() == warehouse_bytes
    assert (built_project / "Makefile").read_bytes() == makefile
    assert not (built_project / "seeds" / "page.csv").exists()
    assert not (built_project / "data" / "raw" / "page.txt").exists()
    page = tmp_path / "page.html"
    for _ in range(2):  # new, then its own
        assert run_cli(built_project, "report", "--output", str(page)).returncode == 0
    assert "<!doctype html>" in page.read_text(encoding="utf-8")

    folder = tmp_path / "workbooks"
    folder.mkdir()
    theirs = folder / "2026.04_TILT100_Tidsserie_maaned.xlsx"  # NAV's name, a workbook a user saved
    with zipfile.ZipFile(RAW / "2026.04_TILT100_Tidsserie_maaned.xlsx") as source, \
            zipfile.ZipFile(theirs, "w") as archive:
        for entry in source.infolist():
            content = source.read(entry)
            archive.writestr(entry, content.replace(b"nav-tiltak", b"Kari Nordmann")
                             if entry.filename == "docProps/core.xml" else content)
    before = theirs.read_bytes()
    result = run_cli(built_project, "workbooks", "--output", str(folder))
    assert result.returncode == 1 and "is a workbook nav-tiltak did not write" in result.stderr
    assert theirs.read_bytes() == before and sorted(folder.iterdir()) == [theirs]
    result = run_cli(built_project, "workbooks", "--output", str(built_project / "seeds" / "reference"))
    assert result.returncode == 1 and "is inside the project's seeds/" in result.stderr
    assert not list((built_project / "seeds" / "reference").glob("*.xlsx"))


def test_a_long_text_cell_is_read_in_time(tmp_path: Path) -> None:
    """A title cell of a million letters (a run the period's pattern once took minutes over) is read in
    seconds: the workbook loads as its figures do. Written into the sheet's XML as an inline string: Excel
    and openpyxl cut a cell at 32,767 characters, a hostile file need not."""
    (tmp_path / "in").mkdir()
    with zipfile.ZipFile(RAW / "202312_TILT110_Tidsserie_maaned.xlsx") as source, \
            zipfile.ZipFile(tmp_path / "in" / "202312_TILT110_Tidsserie_maaned.xlsx", "w", zipfile.ZIP_DEFLATED) as out:
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":  # "Om tabellen"
                assert b"<t>Kilde:" in content
                content = content.replace(b"<t>Kilde:", b"<t>" + b"A" * 1_000_000 + b" Kilde:")
            out.writestr(entry, content)
    started = time.monotonic()
    result = run_cli(PROJECT_DIR, "load", "--seeds-dir", str(tmp_path / "seeds"), "--", str(tmp_path / "in"),
                     timeout=60)
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 30


def test_a_signal_after_publishing_changes_nothing() -> None:
    """Once a build has published, a signal is ignored until the process ends (exit 0, no message): Python's
    exit does not put the default handler back and die of it."""
    code = ("import os, signal, time\n"
            "from nav_tiltak.build import stopped_by_signals, uninterrupted\n"
            "with stopped_by_signals():\n"
            "    with uninterrupted():\n"
            "        pass\n"
            "for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):\n"
            "    os.kill(os.getpid(), number)\n"
            "time.sleep(0.2)\n"
            "print('published')\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_DIR, capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0 and result.stdout == "published\n" and result.stderr == ""
