"""One row per suppressed cell: its feasibility interval given every relation NAV published for its month.

The relations are int_relations (county tables, main groups, national blocks, measure types); nav_tiltak.audit
propagates bounds through all of them at once and solves linear programs (HiGHS) for the cells left open.
This model only feeds it the relations as integer ids and numbers (no Python object per cell).
"""


def model(dbt, session):
    dbt.config(materialized="table")
    import numpy as np

    from nav_tiltak.audit import audit_arrays

    # Only the relations that hold a suppressed cell: the others have nothing to solve (the data rules
    # have checked that they add up). Months, relations and cells numbered from 0 for the arrays.
    dbt.ref("int_relations").create_view("relations_to_audit")
    session.execute("""
        create or replace temp table audit_entries as
        with relations as (
            select * from relations_to_audit
            where relation_key in (
                select relation_key from relations_to_audit where participant_count_low < participant_count_high
            )
        )
        select
            dense_rank() over (order by month_date) - 1 as month_id,
            dense_rank() over (order by relation_key) - 1 as relation_id,
            dense_rank() over (order by cell_key) - 1 as cell_id,
            cell_key,
            is_total,
            participant_count_low,
            participant_count_high,
        from relations
    """)
    columns = session.execute(
        "select month_id, relation_id, cell_id, is_total, participant_count_low, participant_count_high "
        "from audit_entries").fetchnumpy()
    if len(columns["cell_id"]):
        cell, low, high = audit_arrays(*(np.asarray(columns[name]) for name in [
            "month_id", "relation_id", "cell_id", "is_total", "participant_count_low", "participant_count_high"]))
    else:
        cell, low, high = (np.zeros(0, dtype=np.int64),) * 3
    # Materialise here, once: a relation over the parameter lists would be re-run by dbt-duckdb's own
    # materialisation, which took twice the audit's time and gigabytes of memory at 100 editions.
    session.execute("""
        create or replace temp table suppressed_cell_lp_intervals as
        with intervals as (
            select unnest($cell::bigint[]) as cell_id, unnest($low::integer[]) as interval_low,
                unnest($high::integer[]) as interval_high
        ),
        keys as (select distinct cell_id, cell_key from audit_entries)
        select keys.cell_key, intervals.interval_low, intervals.interval_high
        from intervals inner join keys using (cell_id)
        order by keys.cell_key
    """, {"cell": cell.tolist(), "low": low.tolist(), "high": high.tolist()})
    return session.table("suppressed_cell_lp_intervals")
