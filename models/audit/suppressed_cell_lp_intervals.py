"""One row per suppressed cell: its feasibility interval given every relation NAV published for its month.

The relations are int_relations (county tables, main groups, national blocks, measure types); the linear
programs are built and solved (HiGHS) by nav_tiltak.audit; this model only feeds it the relations.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from nav_tiltak.audit import audit_relations

    relations = dbt.ref("int_relations").project(
        "month_date, relation_key, cell_key, is_total, participant_count_low, participant_count_high"
    )
    intervals = audit_relations(relations.fetchall())
    columns = ["cell_key", "interval_low", "interval_high"]
    values = {name: [row[i] for row in intervals] for i, name in enumerate(columns)}
    # Materialise here, once: a relation over the parameter lists would be re-run by dbt-duckdb's own
    # materialisation, which took twice the audit's time and gigabytes of memory at 100 editions.
    session.execute(
        "create or replace temp table suppressed_cell_lp_intervals as select "
        + ", ".join(f"unnest(${name}::{kind}[]) as {name}" for name, kind in zip(
            columns, ["varchar", "integer", "integer"], strict=True))
        + " order by all",
        values,
    )
    return session.table("suppressed_cell_lp_intervals")
