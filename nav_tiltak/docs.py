"""dbt's documentation site as one self-contained page (``nav-tiltak docs``: reports/dbt-docs.html).

dbt reads the catalog (columns, types) from a database it opens for writing, and DuckDB allows no writer
beside readers; so the docs are generated from a copy of the published warehouse, never from the file BI
tools may hold open.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from nav_tiltak.dbt_runner import audit_database_of, build_lock, run_dbt
from nav_tiltak.messages import shown
from nav_tiltak.paths import PROJECT_DIR
from nav_tiltak.publish import Layout


def write_docs(warehouse: Path, output: Path) -> int:
    """Generate the site from a copy of ``warehouse`` and write it to ``output``; returns the exit status."""
    with build_lock(), tempfile.TemporaryDirectory() as folder:  # dbt's target/ is shared with builds
        copy = Path(folder) / "docs.duckdb"
        shutil.copyfile(warehouse, copy)
        audit = Layout.for_paths(warehouse).audit
        if audit.exists():  # the publisher's models' columns too
            shutil.copyfile(audit, audit_database_of(copy))
        if run_dbt(copy, ["docs", "generate", "--static"]).status != 0:
            return 1
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PROJECT_DIR / "target" / "static_index.html", output)
    print(f"written to {shown(str(output), 300)}")
    return 0
