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
from nav_tiltak.paths import PROJECT_DIR
from nav_tiltak.publish import Layout


def docs_page(warehouse: Path) -> str | None:
    """The site generated from a copy of ``warehouse``, as one page's HTML; None if dbt failed (it said why)."""
    with build_lock(), tempfile.TemporaryDirectory() as folder:  # dbt's target/ is shared with builds
        copy = Path(folder) / "docs.duckdb"
        shutil.copyfile(warehouse, copy)
        audit = Layout.for_paths(warehouse).audit
        if audit.exists():  # the publisher's models' columns too
            shutil.copyfile(audit, audit_database_of(copy))
        if run_dbt(copy, ["docs", "generate", "--static"]).status != 0:
            return None
        return (PROJECT_DIR / "target" / "static_index.html").read_text(encoding="utf-8")
