"""The tail every dbt Python model shares (nav_tiltak.dbt_python.temp_table): arrays in, the model's table
out, nothing of its own left behind."""

from __future__ import annotations

import duckdb
import numpy as np

from nav_tiltak.dbt_python import temp_table


def test_temp_table_casts_the_arrays_and_leaves_nothing_behind() -> None:
    with duckdb.connect() as session:
        session.execute("create view helper_view as select 1 as x")
        table = temp_table(session, "result", """
            select cast(cell_id as bigint) as cell_id, cast(low as integer) as low from found
            union all select cast(cell_id as bigint), null from empty
        """, {"found": {"cell_id": np.array([7, 3], dtype=np.int64), "low": np.array([0, 2], dtype=np.int64)},
              "empty": {"cell_id": np.zeros(0, dtype=np.int64)}}, views=["helper_view"])
        assert sorted(table.fetchall()) == [(3, 2), (7, 0)]
        assert [kind for _, kind, *_ in table.description] == ["BIGINT", "INTEGER"]
        names = {name for (name,) in session.execute(
            "select table_name from information_schema.tables").fetchall()}
        assert names == {"result"}  # the registered arrays and the helper view are gone
