"""The warehouse as BI tools meet it: a DuckDB 1.1 client in its own virtual environment reads every mart,
SQLAlchemy with duckdb-engine (what Superset uses) reflects them read-only, and the descriptions are in
the file as comments."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

import pytest

from conftest import PROJECT_DIR

MARTS = {"dim_county", "dim_main_group", "dim_measure_group", "dim_measure_type", "dim_month", "dim_municipality",
         "fct_printed_cells", "county_by_measure_type", "municipality_by_measure_type", "coverage",
         "main_group_by_measure_group", "main_group_by_measure_group_harmonised", "main_group_by_measure_type"}


@pytest.fixture(scope="module")
def bi_client() -> Path:
    """A separate virtual environment with DuckDB 1.1.3, SQLAlchemy 1.4 and duckdb-engine, made once per
    version of its requirements and kept in the user's cache (~/.cache/nav-tiltak): the same pins give the
    same environment."""
    requirements = PROJECT_DIR / "tests" / "bi_client" / "requirements.txt"
    digest = hashlib.sha256(requirements.read_bytes() + sys.version.encode()).hexdigest()[:16]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nav-tiltak"
    environment = cache / f"bi-client-{digest}"
    python = environment / "bin" / "python"
    if not python.exists():
        cache.mkdir(parents=True, exist_ok=True)
        staged = Path(tempfile.mkdtemp(prefix=f".bi-client-{digest}.", dir=cache))
        try:
            venv.create(staged, with_pip=True)
            subprocess.run([str(staged / "bin" / "python"), "-m", "pip", "install", "--quiet",
                            "--disable-pip-version-check", "-r", str(requirements)], check=True)
            staged.rename(environment)  # whole or not at all; a venv's scripts name its folder, so it is made here
        except OSError:  # another run made it first
            pass
        finally:
            shutil.rmtree(staged, ignore_errors=True)
    return python


def test_duckdb_1_1_and_sqlalchemy_read_every_mart(bi_client: Path, built_project: Path, warehouse) -> None:
    path = built_project / "warehouse" / "nav_tiltak.duckdb"
    output = subprocess.run([str(bi_client), str(PROJECT_DIR / "tests" / "bi_client" / "read_marts.py"), str(path)],
                            capture_output=True, text=True, check=True).stdout
    result = json.loads(output)
    assert result["duckdb_version"] == "1.1.3"
    expected = {t: warehouse.execute(f"select count(*) from marts.{t}").fetchone()[0] for t in MARTS}
    assert result["duckdb"] == expected
    assert {name.removeprefix("marts."): v["rows"] for name, v in result["sqlalchemy"].items()} == expected
    mart = result["sqlalchemy"]["marts.main_group_by_measure_group"]
    assert mart["columns"] == ["month_date", "county_code", "county_name", "main_group", "measure_group",
                               "participant_count", "participant_count_low", "participant_count_high",
                               "is_published", "is_suppressed", "is_series_break"]
    assert mart["comments"] == 11


def test_descriptions_are_stored_as_comments_in_norwegian_and_english(warehouse) -> None:
    tables = dict(warehouse.execute(
        "select table_name, comment from duckdb_tables() where schema_name = 'marts' union all "
        "select view_name, comment from duckdb_views() where schema_name = 'marts'").fetchall())
    assert set(tables) == MARTS and all(tables.values())
    assert tables["main_group_by_measure_group"].startswith("Deltakere i arbeidsrettede tiltak")
    assert "One row per month, geography, main group and measure group" in tables["main_group_by_measure_group"]
    columns = dict(warehouse.execute(
        "select column_name, comment from duckdb_columns() where schema_name = 'marts' "
        "and table_name = 'main_group_by_measure_group'").fetchall())
    assert all(columns.values()), [c for c, comment in columns.items() if not comment]
    assert columns["participant_count"].startswith("Deltakere: participants at the end of the month")
    assert columns["is_suppressed"].startswith("Skjult")
    assert columns["county_code"].startswith("Fylkesnummer")
