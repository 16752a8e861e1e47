"""Command line: build dbt's documentation site as one self-contained page (reports/dbt-docs.html).

dbt reads the catalog (columns, types) from a database it opens for writing, and DuckDB allows no writer
beside readers; so the docs are generated from a copy of the published warehouse, never from the file BI
tools may hold open.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from nav_tiltak.dbt_runner import build_lock, run_dbt
from nav_tiltak.pages import published_arguments
from nav_tiltak.paths import PROJECT_DIR

DEFAULT_OUTPUT = PROJECT_DIR / "reports" / "dbt-docs.html"


def main(argv: list[str] | None = None) -> int:
    args = published_arguments(__doc__.splitlines()[0], DEFAULT_OUTPUT, argv)
    if args is None:
        return 1
    with build_lock(), tempfile.TemporaryDirectory() as folder:  # dbt's target/ is shared with builds
        copy = Path(folder) / "docs.duckdb"
        shutil.copyfile(args.warehouse, copy)
        if run_dbt(copy, ["docs", "generate", "--static"]) != 0:
            return 1
        args.output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PROJECT_DIR / "target" / "static_index.html", args.output)
    print(f"written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
