"""Writing a page (the overview, the audit report) from the published warehouse, opened read-only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb


def write_from_warehouse(warehouse: Path, output: Path, render: Callable[[duckdb.DuckDBPyConnection], str],
                         echo: bool = False) -> int:
    """Render a page from ``warehouse`` and write it to ``output`` (printing it too if ``echo``)."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        text = render(connection)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    if echo:
        print(text)
    print(f"written to {output}")
    return 0
