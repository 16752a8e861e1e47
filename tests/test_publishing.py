"""Safe publishing, with real processes: a reader during a rebuild, a build killed with SIGKILL, two builds
at once. (A build with a failing data test is in test_build.py: the published file stays byte for byte.)"""

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from conftest import DOCUMENT_2021, copy_project, run_script

OSLO_JANUARY = ("select participant_count from marts.main_group_by_measure_group where month_date = "
                "date '2021-01-01' and county_code = '03' and main_group = 'alle' and measure_group = 'avklaring'")


def consistent_edition(path: Path) -> Path:
    """The 2021 document with Oslo's January avklaring one higher everywhere it enters (all groups, the
    nedsatt arbeidsevne table, and both tables' I alt rows), so every data rule still holds."""
    replacements = [("Oslo\t399\t365", "399", "400"), ("I alt avklaringstiltak\t3 704", "3 704", "3 705"),
                    ("Oslo\t333\t300", "333", "334"),
                    ("I alt nedsatt arbeidsevne, på tiltak, avklaringstiltak\t2 875", "2 875", "2 876")]
    lines = DOCUMENT_2021.read_text(encoding="utf-8").split("\n")
    for start, old, new in replacements:
        index = next(i for i, line in enumerate(lines) if line.startswith(start))
        lines[index] = lines[index].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("publishing") / "project")
    assert run_script(project, "build.py").returncode == 0
    return project


def published(project: Path) -> Path:
    return project / "warehouse" / "nav_tiltak.duckdb"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def start_build(project: Path, *arguments: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(project / "scripts" / "build.py"), *arguments], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL,
                            env=dict(os.environ, DO_NOT_TRACK="1"), start_new_session=True)


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


def test_reader_is_never_blocked_and_sees_one_warehouse(project: Path, tmp_path: Path) -> None:
    reader = subprocess.Popen([sys.executable, "-c", READER, str(published(project)), OSLO_JANUARY],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert reader.stdout.readline().strip() == "ready"
    build = start_build(project, str(consistent_edition(tmp_path / "edition.txt")))
    while build.poll() is None:  # the reader queries all through the build
        reader.stdin.write("go\n")
        reader.stdin.flush()
        time.sleep(0.05)
    assert build.returncode == 0, build.stderr.read()
    reader.stdin.write("stop\n")
    reader.stdin.flush()
    assert reader.stdout.readline().strip() == "[399]"  # the warehouse it opened, consistent throughout
    assert reader.wait(timeout=30) == 0
    with duckdb.connect(str(published(project)), read_only=True) as connection:  # a new connection: new data
        assert connection.execute(OSLO_JANUARY).fetchone() == (400,)
    assert run_script(project, "build.py").returncode == 0  # back to the shipped document


def test_build_killed_part_way_leaves_the_warehouse(project: Path) -> None:
    before = digest(published(project))
    building = published(project).with_name(".nav_tiltak.duckdb.building")
    build = start_build(project)
    deadline = time.time() + 120
    while not building.exists() and time.time() < deadline:  # dbt is writing the new file
        time.sleep(0.02)
    assert building.exists()
    time.sleep(0.5)
    os.killpg(build.pid, signal.SIGKILL)  # the build and its dbt, at once
    build.wait()
    assert digest(published(project)) == before
    with duckdb.connect(str(published(project)), read_only=True) as connection:
        assert connection.execute(OSLO_JANUARY).fetchone() == (399,)
    result = run_script(project, "build.py")  # the next build clears the leftover and publishes
    assert result.returncode == 0, result.stderr
    assert not building.exists()


def test_two_builds_at_once_take_turns(project: Path, tmp_path: Path) -> None:
    first = start_build(project)
    time.sleep(0.3)
    second = start_build(project, str(consistent_edition(tmp_path / "edition.txt")))
    first_out, first_err = first.communicate(timeout=600)
    second_out, second_err = second.communicate(timeout=600)
    assert first.returncode == 0, first_err
    assert second.returncode == 0, second_err
    assert "another build" in second_err and "waiting for it to finish" in second_err
    with duckdb.connect(str(published(project)), read_only=True) as connection:
        assert connection.execute(OSLO_JANUARY).fetchone() == (400,)  # the second build, published last
        assert connection.execute("select count(*) from marts.main_group_by_measure_group").fetchone() == (6720,)
    assert run_script(project, "build.py").returncode == 0
