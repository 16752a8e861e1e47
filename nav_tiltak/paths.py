"""Where things are: the project's folders and the defaults every command shares."""

from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = PROJECT_DIR / "data" / "raw"
REFERENCE_DIR = PROJECT_DIR / "seeds" / "reference"
# The raw seeds of the last successful build (or `make load`): what the published warehouse was built from.
RAW_SEEDS_DIR = PROJECT_DIR / "seeds" / "raw"
# A build writes its raw seeds here, and dbt reads them from here (dbt variable raw_dir, relative to the
# project: never a path a user typed pasted into SQL); they replace seeds/raw only when the build succeeds.
BUILD_RAW_DIR = Path("target") / "build" / "raw"
DEFAULT_WAREHOUSE = PROJECT_DIR / "warehouse" / "nav_tiltak.duckdb"
LOCK_FILE = PROJECT_DIR / "target" / "build.lock"
REPORTS_DIR = PROJECT_DIR / "reports"
