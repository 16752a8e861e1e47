"""Safe publishing, with real processes: every promise of the README's *Safe publishing* section.

A build publishes the warehouse, its exports and the seeds only when everything has passed, in one step; a
failure of any kind (a data rule, Ctrl-C, SIGTERM, SIGKILL, a full or read-only disk, a path that would
overwrite an input) ends in one line and leaves all three byte for byte as they were. (A build with a
failing data test is in test_build.py.) Each test publishes into a warehouse of its own (own_warehouse),
so that no test depends on what another left behind."""

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from nav_tiltak.paths import PROJECT_DIR

from conftest import (
    DOCUMENT_2021,
    OSLO_JANUARY,
    assert_refused_in_one_line,
    can_mount,
    consistent_edition,
    copy_project,
    link_venv,
    make_environment,
    oslo_january,
    published_files,
    run_cli,
)

needs_mount = pytest.mark.skipif(not can_mount(), reason="mounting a small tmpfs needs root on Linux")


def builds(warehouse: Path) -> Path:
    return warehouse.with_name(f".{warehouse.name}.builds")


def start_build(project: Path, *arguments: str, dbt_seconds: float = 0) -> subprocess.Popen:
    """A build in a process group of its own; ``dbt_seconds``: how long the stand-in dbt takes to write."""
    return subprocess.Popen([sys.executable, str(project / "scripts" / "nav-tiltak"), "build", *arguments],
                            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            stdin=subprocess.DEVNULL, start_new_session=True,
                            env=dict(os.environ, DO_NOT_TRACK="1", NAV_TILTAK_STANDIN_SECONDS=str(dbt_seconds)))


def wait_for(path: Path, process: subprocess.Popen, timeout: float = 120) -> bool:
    deadline = time.time() + timeout
    while not path.exists() and process.poll() is None and time.time() < deadline:
        time.sleep(0.005)
    return path.exists()


def assert_lock_free(project: Path, warehouse: Path) -> None:
    """The build lock is released: a new build starts at once (it would say it is waiting)."""
    result = run_cli(project, "build", "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr
    assert "waiting" not in result.stderr


def test_warehouse_and_exports_are_published_together_in_one_step(built_project: Path, own_warehouse: Path,
                                                                  tmp_path: Path) -> None:
    """The warehouse path and its exports are links into one build folder; a new build replaces that
    folder for both at once, and keeps the previous one for readers that opened it."""
    exports = own_warehouse.with_name("nav_tiltak_exports")
    first = own_warehouse.resolve().parent
    assert exports.resolve() == first / "exports"
    result = run_cli(built_project, "build", str(consistent_edition(tmp_path / "edition.txt")), "--warehouse",
                     str(own_warehouse))
    assert result.returncode == 0, result.stderr
    second = own_warehouse.resolve().parent
    assert second != first and exports.resolve() == second / "exports"
    assert os.readlink(builds(own_warehouse) / "current") == second.name
    assert os.readlink(builds(own_warehouse) / "previous") == first.name  # kept for readers of the old one
    assert oslo_january(own_warehouse) == 400
    with duckdb.connect() as connection:
        assert connection.execute(
            "select participant_count from read_parquet(?) where month_date = date '2021-01-01' and county_code = '03' "
            "and main_group = 'alle' and measure_group = 'avklaring'",
            [str(exports / "main_group_by_measure_group.parquet")]).fetchone() == (400,)
    assert run_cli(built_project, "build", "--warehouse", str(own_warehouse)).returncode == 0
    third = os.readlink(builds(own_warehouse) / "current")
    kept = {".nav-tiltak.json", "current", "previous", third, second.name}  # the marker: the project's
    assert {p.name for p in builds(own_warehouse).iterdir()} - {"failed"} == kept  # a failed build's, if any


def test_exports_belong_to_their_warehouse(built_project: Path, tmp_path: Path) -> None:
    """A build of another warehouse publishes its exports beside it and leaves the project's as they were."""
    before = {k: v for k, v in published_files(built_project).items() if not k.startswith("seeds/")}
    other = tmp_path / "other.duckdb"
    result = run_cli(built_project, "build", str(consistent_edition(tmp_path / "edition.txt")), "--warehouse",
                     str(other))
    assert result.returncode == 0, result.stderr
    assert {k: v for k, v in published_files(built_project).items() if not k.startswith("seeds/")} == before
    assert (tmp_path / "other_exports").resolve().parent == other.resolve().parent
    assert oslo_january(other) == 400


def test_identical_input_gives_byte_identical_exports(built_project: Path, own_warehouse: Path) -> None:
    exports = own_warehouse.with_name("nav_tiltak_exports")

    def contents() -> dict[str, bytes]:
        return {path.name: path.read_bytes() for path in sorted(exports.iterdir())}

    before = contents()
    first = own_warehouse.resolve()
    assert run_cli(built_project, "build", "--warehouse", str(own_warehouse)).returncode == 0
    assert own_warehouse.resolve() != first  # a new build, published
    assert contents() == before



def test_exports_are_in_each_marts_key_order(own_warehouse: Path) -> None:
    """The exports are written in stored order (no sort of their own): each mart model sorts by the key its
    primary_key test declares, and both files keep that order."""
    import yaml

    specification = yaml.safe_load((PROJECT_DIR / "models" / "marts" / "_marts__models.yml").read_text())
    keys = {model["name"]: test["primary_key"]["arguments"]["columns"] for model in specification["models"]
            for test in model.get("data_tests", []) if isinstance(test, dict) and "primary_key" in test
            and test["primary_key"]["name"].endswith("_primary_key")}
    exports = own_warehouse.with_name("nav_tiltak_exports")
    assert {path.stem for path in exports.glob("*.csv")} == set(keys)
    with duckdb.connect() as connection:
        for name, columns in keys.items():
            for path in (exports / f"{name}.csv", exports / f"{name}.parquet"):
                rows = connection.execute(f"select {', '.join(columns)} from '{path}'").fetchall()
                assert rows, path
                assert rows == sorted(rows, key=lambda row: tuple(str(value) for value in row)), path

READER = """
import sys, time, duckdb
connection = duckdb.connect(sys.argv[1], read_only=True)
query = sys.argv[2]
seen = set()
print("ready", flush=True)
deadline = time.time() + 120
while time.time() < deadline:
    seen.add(connection.execute(query).fetchone()[0])
    connection.execute("select count(*) from marts.main_group_by_measure_group").fetchone()
    if sys.stdin.readline().strip() == "stop":
        break
print(sorted(seen), flush=True)
"""


def test_reader_is_never_blocked_and_sees_one_warehouse(built_project: Path, own_warehouse: Path,
                                                        tmp_path: Path) -> None:
    reader = subprocess.Popen([sys.executable, "-c", READER, str(own_warehouse), OSLO_JANUARY],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert reader.stdout.readline().strip() == "ready"
    build = start_build(built_project, str(consistent_edition(tmp_path / "edition.txt")), "--warehouse",
                        str(own_warehouse))
    while build.poll() is None:  # the reader queries all through the build
        reader.stdin.write("go\n")
        reader.stdin.flush()
        time.sleep(0.05)
    assert build.returncode == 0, build.stderr.read()
    reader.stdin.write("stop\n")
    reader.stdin.flush()
    assert reader.stdout.readline().strip() == "[399]"  # the warehouse it opened, consistent throughout
    assert reader.wait(timeout=30) == 0
    assert oslo_january(own_warehouse) == 400  # a new connection: the new warehouse


def test_build_killed_part_way_leaves_everything(built_project: Path, own_warehouse: Path, tmp_path: Path) -> None:
    """SIGKILL to the build and its dbt at once, while dbt writes: nothing changes; the next build removes
    the leftover and publishes."""
    before = published_files(built_project, own_warehouse)
    build = start_build(built_project, str(consistent_edition(tmp_path / "edition.txt")), "--warehouse",
                        str(own_warehouse), dbt_seconds=3)
    assert wait_for(built_project / "target" / "build" / "warehouse.duckdb", build)
    time.sleep(0.5)
    os.killpg(build.pid, signal.SIGKILL)
    build.wait()
    assert published_files(built_project, own_warehouse) == before
    assert oslo_january(own_warehouse) == 399
    result = run_cli(built_project, "build", "--warehouse", str(own_warehouse))
    assert result.returncode == 0, result.stderr
    assert not (builds(own_warehouse) / "next").exists()


# Ctrl-C (SIGINT to the whole process group, as a terminal sends it) and SIGTERM (to the build alone, as
# `kill` or a scheduler sends it), at different moments: while starting and loading, while dbt writes the
# database, and while the marts are exported.
MOMENTS = {
    "starting": lambda project, warehouse: None,
    "dbt_writing": lambda project, warehouse: project / "target" / "build" / "warehouse.duckdb",
    "exporting": lambda project, warehouse: builds(warehouse) / "next" / "exports",
}


@pytest.mark.parametrize("signal_number, moment", [(signal.SIGINT, "starting"), (signal.SIGTERM, "dbt_writing"),
                                                   (signal.SIGINT, "dbt_writing"), (signal.SIGTERM, "exporting")],
                         ids=["ctrl_c-starting", "sigterm-dbt_writing", "ctrl_c-dbt_writing", "sigterm-exporting"])
def test_interrupted_build_changes_nothing(built_project: Path, own_warehouse: Path, tmp_path: Path,
                                           signal_number: int, moment: str) -> None:
    before = published_files(built_project, own_warehouse)
    build = start_build(built_project, str(consistent_edition(tmp_path / "edition.txt")), "--warehouse",
                        str(own_warehouse), dbt_seconds=3 if moment == "dbt_writing" else 0)
    marker = MOMENTS[moment](built_project, own_warehouse)
    if marker is None:
        time.sleep(0.3)
    else:
        assert wait_for(marker, build), build.communicate()
    if signal_number == signal.SIGINT:
        os.killpg(build.pid, signal.SIGINT)
    else:
        os.kill(build.pid, signal.SIGTERM)
    stdout, stderr = build.communicate(timeout=120)
    result = subprocess.CompletedProcess(build.args, build.returncode, stdout, stderr)
    assert_refused_in_one_line(result, f"interrupted ({signal.Signals(signal_number).name})"
                               if moment != "starting" else "interrupted")
    assert build.returncode == 128 + signal_number
    assert published_files(built_project, own_warehouse) == before
    assert not (builds(own_warehouse) / "next").exists()
    assert_lock_free(built_project, own_warehouse)


@pytest.mark.parametrize("case", ["warehouse_is_the_input", "warehouse_is_a_text_file", "warehouse_is_a_folder",
                                  "exports_is_the_input_folder", "exports_holds_other_files"])
def test_paths_that_would_overwrite_something_are_refused(built_project: Path, tmp_path: Path, case: str) -> None:
    """Refused before anything is written: the input, the files and the published warehouse stay."""
    folder = tmp_path / "input"
    folder.mkdir()
    document = folder / "doc.txt"
    shutil.copyfile(DOCUMENT_2021, document)
    other = tmp_path / "notes.txt"
    other.write_text("my notes\n")
    (tmp_path / "folder").mkdir()
    (tmp_path / "outbox").mkdir()
    (tmp_path / "outbox" / "keep.txt").write_text("mine\n")
    arguments, expected = {
        "warehouse_is_the_input": (["--warehouse", str(document)], "would overwrite the input"),
        "warehouse_is_a_text_file": (["--warehouse", str(other)], "exists and is a file this project did not publish"),
        "warehouse_is_a_folder": (["--warehouse", str(tmp_path / "folder")], "is a folder"),
        "exports_is_the_input_folder": (["--exports", str(folder)], "would overwrite the input"),
        "exports_holds_other_files": (["--exports", str(tmp_path / "outbox")], "is not an empty folder"),
    }[case]
    before = published_files(built_project)
    result = run_cli(built_project, "build", str(folder), *arguments)
    assert_refused_in_one_line(result, expected)
    assert document.read_bytes() == DOCUMENT_2021.read_bytes() and other.read_text() == "my notes\n"
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == [
        "folder", "input", "input/doc.txt", "notes.txt", "outbox", "outbox/keep.txt"]
    assert published_files(built_project) == before


@pytest.mark.parametrize("kind", ["fifo", "device", "folder_without_documents"])
def test_input_that_is_not_a_document_is_refused(built_project: Path, tmp_path: Path, kind: str) -> None:
    if kind == "fifo":
        path = tmp_path / "pipe.txt"
        os.mkfifo(path)
        expected = "is a FIFO, not a document"
    elif kind == "device":
        path, expected = Path("/dev/zero"), "is a device, not a document"
    else:
        path, expected = tmp_path, "the folder holds no *.txt or *.xlsx documents"
    before = published_files(built_project)
    result = run_cli(built_project, "build", str(path), timeout=60)
    assert_refused_in_one_line(result, f"{path}: {expected}")
    assert published_files(built_project) == before


def test_two_builds_at_once_take_turns(built_project: Path, own_warehouse: Path, tmp_path: Path) -> None:
    first = start_build(built_project, "--warehouse", str(own_warehouse))
    time.sleep(0.3)
    second = start_build(built_project, str(consistent_edition(tmp_path / "edition.txt")), "--warehouse",
                         str(own_warehouse))
    _, first_err = first.communicate(timeout=600)
    _, second_err = second.communicate(timeout=600)
    assert first.returncode == 0, first_err
    assert second.returncode == 0, second_err
    assert "another build" in second_err and "waiting for it to finish" in second_err
    assert oslo_january(own_warehouse) == 400  # the second build, published last
    with duckdb.connect(str(own_warehouse), read_only=True) as connection:
        assert connection.execute("select count(*) from marts.main_group_by_measure_group").fetchone() == (6720,)


def test_seeds_are_published_readable(built_project: Path) -> None:
    seeds = sorted((built_project / "seeds" / "raw").glob("*.csv"))
    assert [path.name for path in seeds] == ["raw_nav__documents.csv", "raw_nav__rows.csv", "raw_nav__tables.csv"]
    for path in seeds:
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~current_umask(), path


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Disks that refuse: a small tmpfs holding a copy of the project, made full or read-only after a first
# build. Real mounts, as the kernel reports ENOSPC and EROFS, not a simulation.

@pytest.fixture
def mounted(tmp_path: Path):
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=128m", "tmpfs", str(mount)], check=True)
    try:
        project = copy_project(mount / "project", standin=True)
        result = run_cli(project, "build")
        assert result.returncode == 0, result.stderr
        yield mount, project
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@needs_mount
def test_full_disk_changes_nothing(mounted, tmp_path: Path) -> None:
    mount, project = mounted
    warehouse = project / "warehouse" / "nav_tiltak.duckdb"
    before = published_files(project)
    with open(mount / "filler", "wb") as filler:  # leave about a megabyte
        free = shutil.disk_usage(mount).free
        filler.write(b"\0" * max(0, free - 1_000_000))
    result = run_cli(project, "build", str(consistent_edition(tmp_path / "edition.txt")))
    assert_refused_in_one_line(result)
    assert "No space left on device" in result.stdout + result.stderr
    (mount / "filler").unlink()
    assert published_files(project) == before
    assert oslo_january(warehouse) == 399
    assert not (builds(warehouse) / "next").exists()
    assert_lock_free(project, warehouse)


@needs_mount
def test_a_full_disk_under_the_warehouse_is_named(built_project: Path, tmp_path: Path) -> None:
    """The project on a disk with room, the warehouse on a full one: the line names the file being written
    there (the copy's destination), not the build's file it was copied from."""
    mount = tmp_path / "small"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], check=True)
    try:
        result = run_cli(built_project, "build", "--warehouse", str(mount / "w.duckdb"))
        assert_refused_in_one_line(result, "(the disk is full)")
        assert result.stderr.startswith(str(mount)), result.stderr
        assert not (mount / "w.duckdb").exists()
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@needs_mount
def test_read_only_disk_changes_nothing(mounted, tmp_path: Path) -> None:
    mount, project = mounted
    before = published_files(project)
    subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
    result = run_cli(project, "build", str(consistent_edition(tmp_path / "edition.txt")))
    assert_refused_in_one_line(result, "Read-only file system")
    assert published_files(project) == before
    assert oslo_january(project / "warehouse" / "nav_tiltak.duckdb") == 399


def test_make_passes_any_path_as_one_argument(built_project: Path, tmp_path: Path) -> None:
    """The Makefile quotes what a user types: spaces, quotes, parentheses, &, $ and a leading -- reach the
    build as one path (or are refused as a path), never as shell syntax or an option."""
    folder = tmp_path / "it's a (test) & $HOME"
    folder.mkdir()
    document = folder / "doc (2021).txt"
    shutil.copyfile(DOCUMENT_2021, document)
    warehouse = folder / "ware'house.duckdb"
    make = ["make", "-C", str(built_project), "build", f"INPUT={document}", f"WAREHOUSE={warehouse}"]
    environment = make_environment()
    link_venv(built_project)
    result = subprocess.run(make, capture_output=True, text=True, env=environment, timeout=600, check=False)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    assert oslo_january(warehouse) == 399
    assert (folder / "ware'house_exports" / "fct_printed_cells.csv").exists()
    option = subprocess.run(["make", "-C", str(built_project), "build", "INPUT=--warehouse=/x"], capture_output=True,
                            text=True, env=environment, timeout=600, check=False)
    ours = "\n".join(line for line in option.stderr.splitlines() if not line.startswith("make: "))  # make's own
    assert_refused_in_one_line(subprocess.CompletedProcess(make, option.returncode, option.stdout, ours),
                               "--warehouse=/x: cannot read the file")


def test_csv_exports_never_hold_a_formula(built_project: Path, tmp_path: Path) -> None:
    """A text cell that a spreadsheet would run as a formula is written with a leading quote (OWASP)."""
    document = tmp_path / '=HYPERLINK("http:x").txt'
    shutil.copyfile(DOCUMENT_2021, document)
    warehouse = tmp_path / "w.duckdb"
    result = run_cli(built_project, "build", str(document), "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr
    exports = tmp_path / "w_exports"
    with duckdb.connect() as connection:
        sources = connection.execute("select distinct source_file from read_csv(?, all_varchar = true)",
                                     [str(exports / "fct_printed_cells.csv")]).fetchall()
        assert sources == [("'" + document.name,)]
        assert connection.execute("select distinct source_file from read_parquet(?)",
                                  [str(exports / "fct_printed_cells.parquet")]).fetchall() == [(document.name,)]
