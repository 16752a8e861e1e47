"""One row per suppressed cell: its feasibility interval given every relation NAV published for its month.

The relations are int_relations (county tables, main groups, national blocks, measure types); nav_tiltak.audit
propagates bounds through all of them at once and solves linear programs (HiGHS) for the cells left open.
This model only feeds it the relations as arrays of integer ids and numbers (no Python object per cell).
Where the published figures contradict each other (no values of the `*` satisfy every relation), it gives
instead a row per relation where that shows (`contradicting_relation_id`), which its test names.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    import numpy as np

    from nav_tiltak.audit import audit_arrays
    from nav_tiltak.dbt_python import temp_table
    from nav_tiltak.solver import InfeasibleError

    # Only the relations that hold a suppressed cell: the others have nothing to solve (the data rules
    # have checked that they add up).
    dbt.ref("int_relations").create_view("relations_to_audit")
    columns = session.execute("""
        with open_relations as (
            select distinct relation_id from relations_to_audit
            where participant_count_low < participant_count_high
        )
        select relation_id, cell_id, is_total, participant_count_low, participant_count_high
        from relations_to_audit
        semi join open_relations using (relation_id)
    """).fetchnumpy()
    none = np.zeros(0, dtype=np.int64)
    cell, low, high, contradicting = none, none, none, none
    if len(columns["cell_id"]):
        try:
            cell, low, high = audit_arrays(*(np.asarray(columns[name]) for name in [
                "relation_id", "cell_id", "is_total", "participant_count_low", "participant_count_high"]))
        except InfeasibleError as error:  # figures that contradict each other: the test on this model names them
            contradicting = error.relations
    # Only the arrays reach DuckDB (nav_tiltak.dbt_python): no Python object per cell.
    return temp_table(session, "suppressed_cell_lp_intervals", """
        select
            cast(cell_id as bigint) as cell_id,
            cast(interval_low as integer) as interval_low,
            cast(interval_high as integer) as interval_high,
            cast(null as bigint) as contradicting_relation_id,
        from found_intervals
        union all
        select null, null, null, cast(relation_id as bigint) from contradicting
    """, {"found_intervals": {"cell_id": cell, "interval_low": low, "interval_high": high},
          "contradicting": {"relation_id": contradicting}}, views=["relations_to_audit"])
