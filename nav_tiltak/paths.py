"""Where things are: the project's folders and the defaults every command shares."""

import shutil
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = PROJECT_DIR / "data" / "raw"
REFERENCE_DIR = PROJECT_DIR / "seeds" / "reference"
# The raw seeds of the last successful build (or `make load`): what the published warehouse was built from.
RAW_SEEDS_DIR = PROJECT_DIR / "seeds" / "raw"
# A build's own files, made afresh by each build: its raw seeds, which dbt reads from here (dbt variable
# raw_dir, relative to the project: never a path a user typed pasted into SQL) and which replace seeds/raw
# only when the build succeeds; and the database dbt writes, which moves into the warehouse's build folder
# when every test has passed. The same paths for every build, so that dbt reuses what it parsed before
# (its profile names the database file).
BUILD_DIR = Path("target") / "build"
LOADED_SEEDS_DIR = PROJECT_DIR / "target" / "load"  # `nav-tiltak load`: a check of the documents, no build
BUILD_RAW_DIR = BUILD_DIR / "raw"
BUILD_DATABASE = PROJECT_DIR / BUILD_DIR / "warehouse.duckdb"
DEFAULT_WAREHOUSE = PROJECT_DIR / "warehouse" / "nav_tiltak.duckdb"
LOCK_FILE = PROJECT_DIR / "target" / "build.lock"
REPORTS_DIR = PROJECT_DIR / "reports"
PAGES = {"audit": "disclosure-audit.md", "report": "overview.html", "docs": "dbt-docs.html"}  # in reports/
DEFAULT_PROTECTED = PROJECT_DIR / "protected"  # what `make protect` writes for the publisher

# What a fresh clone does not have: built, installed or generated.
_NOT_COPIED = {".git", ".venv", "target", "logs", "warehouse", "exports", "reports", "protected", ".pytest_cache",
               "nav_tiltak.egg-info",
               "__pycache__"}


def copy_project(destination: Path) -> Path:
    """A copy of the project as a fresh clone has it (no raw seeds, no warehouse), to build in without
    touching this checkout's seeds or warehouse: for the tests and the benchmark."""
    def not_copied(folder: str, names: list[str]) -> list[str]:
        return [name for name in names if name in _NOT_COPIED or Path(folder, name) == RAW_SEEDS_DIR]

    shutil.copytree(PROJECT_DIR, destination, symlinks=True, ignore=not_copied)
    return destination
