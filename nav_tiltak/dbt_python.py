"""What dbt's Python models (models/audit/*.py, models/protection/*.py) share: handing what a model computed
in numpy back to DuckDB as the model's table.

A model reads its refs through views it makes (``dbt.ref(...).create_view(name)``: dbt finds a model's refs
in its own code, so those calls stay there), computes arrays, and ends with ``temp_table``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import duckdb
import numpy as np


def temp_table(session: duckdb.DuckDBPyConnection, name: str, select: str,
               arrays: Mapping[str, Mapping[str, np.ndarray]],
               views: Iterable[str] = ()) -> duckdb.DuckDBPyRelation:
    """The model's result: temp table ``name`` made by ``select`` (casts to the model's column types), which
    reads each entry of ``arrays`` (columns by name) by its key. The arrays are handed to DuckDB as they are
    (no Python object per cell), and the table is materialised here, once: a relation over them would be
    re-run by dbt-duckdb's own materialisation. Then the arrays are unregistered and ``views``, made for this
    model only, dropped: neither is left in the warehouse."""
    for key, columns in arrays.items():
        session.register(key, columns)
    session.execute(f"create or replace temp table {name} as {select}")
    for key in arrays:
        session.unregister(key)
    for view in views:
        session.execute(f"drop view {view}")
    return session.table(name)
