"""The re-audit, in the same build as the plan: one row per suppressed cell (primary `*` and each added
secondary) per pattern, with its interval as the strongest attacker computes it (a primary is 0..3, a
secondary at least 4; nav_tiltak/protect.py) and, for a primary, the width the protection rule asks of it.
Two patterns: `plan` (suppression_plan) and `one_per_disclosure` (the audit report's heuristic,
audit.second_suppressions), so the two are compared on the same tables."""


def model(dbt, session):
    dbt.config(materialized="table")
    import numpy as np

    from nav_tiltak import protect
    from nav_tiltak.dbt_python import temp_table

    dbt.ref("int_relations").create_view("relations_to_reaudit")
    dbt.ref("protection_requirements").create_view("requirements_to_check")
    dbt.ref("suppression_plan").create_view("planned_patterns")
    dbt.ref("second_suppressions").create_view("suggested_patterns")
    relations = protect.months_with_a_star(session, "relations_to_reaudit")
    patterns = {
        "plan": "select unnest(added_cell_ids) as cell_id from planned_patterns",
        "one_per_disclosure": "select distinct suppress_also_cell_id as cell_id from suggested_patterns "
                              "where suppress_also_cell_id is not null",
    }
    parts = []
    if len(relations.cell):
        required = protect.requirement_in(session, "requirements_to_check")
        for name, query in patterns.items():
            secondary = np.asarray(session.execute(query).fetchnumpy()["cell_id"], dtype=np.int64)
            found = protect.audit(relations, secondary)
            found["pattern"] = np.full(len(found["cell_id"]), name)
            found["is_secondary"] = np.isin(found["cell_id"], secondary)
            found["is_protected"], found["required_width"], found["attainable_width"] = required.of(found["cell_id"])
            parts.append(found)
    names = ["pattern", "cell_id", "is_secondary", "is_protected", "interval_low", "interval_high",
             "required_width", "attainable_width"]
    arrays = {name: np.concatenate([part[name] for part in parts]) if parts else np.zeros(0, dtype=np.int64)
              for name in names}
    # A secondary has no requirement of its own, nor has a primary the rule exempts (pinned at 0 by the
    # published tables, zeros not sensitive).
    return temp_table(session, "protected_cell_intervals", """
        select
            cast(pattern as varchar) as pattern,
            cast(cell_id as bigint) as cell_id,
            cast(is_secondary as boolean) as is_secondary,
            cast(is_protected as boolean) as is_protected,
            cast(interval_low as integer) as interval_low,
            cast(interval_high as integer) as interval_high,
            cast(case when is_protected then required_width end as integer) as required_width,
            cast(case when is_protected then attainable_width end as integer) as attainable_width,
        from reaudited
        order by pattern, cell_id
    """, {"reaudited": arrays},
        views=["relations_to_reaudit", "requirements_to_check", "planned_patterns", "suggested_patterns"])
