"""One row per primary `*` the protection rule protects (every `*`, less those the published tables pin
at 0 unless zeros are sensitive): the width the rule asks of it and the widest any pattern attains
(nav_tiltak/protect.py). Computed once, for the plan and for its re-audit. Built only by `make protect`."""


def model(dbt, session):
    dbt.config(materialized="table")
    from nav_tiltak import protect
    from nav_tiltak.dbt_python import temp_table

    # dbt hands a Python model only the config keys its code names in dbt.config.get(...) calls.
    rule = protect.rule_of(dbt.config.get("protection_width"), dbt.config.get("protection_zero_sensitive"))
    dbt.ref("int_relations").create_view("relations_to_require")
    required = protect.requirement(protect.months_with_a_star(session, "relations_to_require"), rule)
    return temp_table(session, "protection_requirements", """
        select
            cast(cell_id as bigint) as cell_id,
            cast(required_width as integer) as required_width,
            cast(attainable_width as integer) as attainable_width,
        from required
        order by cell_id
    """, {"required": {"cell_id": required.cells, "required_width": required.width,
                       "attainable_width": required.attainable}}, views=["relations_to_require"])
