"""One row per component of the relations (cells linked by published relations, within one month) that
holds a primary `*` the protection rule protects: the secondary suppressions chosen for it
(nav_tiltak/protect.py: a master integer program and the attacker's linear programs, HiGHS), what they
cost and the master's bound on that cost. Built only by `make protect` (dbt var `protect`)."""


def model(dbt, session):
    dbt.config(materialized="table")
    import numpy as np

    from nav_tiltak import protect
    from nav_tiltak.dbt_python import temp_table

    # dbt hands a Python model only the config keys its code names in dbt.config.get(...) calls.
    cost = dbt.config.get("protection_cost")
    dbt.ref("int_relations").create_view("relations_to_protect")
    dbt.ref("protection_requirements").create_view("requirements_to_meet")
    relations = protect.months_with_a_star(session, "relations_to_protect")
    required = protect.requirement_in(session, "requirements_to_meet")
    components = protect.plan(relations, cost=cost, required=required) if len(relations.cell) else []
    planned = {
        "component_cell_id": np.array([c.first_cell for c in components], dtype=np.int64),
        "protected_primaries": np.array([c.primaries for c in components], dtype=np.int64),
        "added_cells": np.array([len(c.added) for c in components], dtype=np.int64),
        "added_participants": np.array([c.participants for c in components], dtype=np.int64),
        "objective": np.array([c.objective for c in components], dtype=np.float64),
        "bound": np.array([c.bound for c in components], dtype=np.float64),
        "cuts": np.array([c.cuts for c in components], dtype=np.int64),
        "seconds": np.array([c.seconds for c in components], dtype=np.float64),
    }
    added = [(c.first_cell, cell) for c in components for cell in c.added.tolist()]
    return temp_table(session, "suppression_plan", f"""
        select
            planned.*,
            '{cost}' as cost_measure,
            coalesce(list(added.cell_id order by added.cell_id) filter (where added.cell_id is not null), [])
                as added_cell_ids,
        from planned
        left join added using (component_cell_id)
        group by all
        order by component_cell_id
    """, {"planned": planned, "added": {"component_cell_id": np.array([a for a, _ in added], dtype=np.int64),
                                        "cell_id": np.array([b for _, b in added], dtype=np.int64)}},
        views=["relations_to_protect", "requirements_to_meet"])
