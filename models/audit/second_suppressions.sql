{#-
    One row per exact disclosure of 1-3 people and relation that reveals it: the cheapest second cell to
    suppress there, the smallest cell printed exactly in that relation, so that the relation holds two
    unknowns instead of one. What the audit report suggests to the publisher.
-#}
with

intervals as (
    select * from {{ ref('suppressed_cell_intervals') }}
),

relation_bounds as (
    select * from {{ ref('suppressed_cell_relation_bounds') }}
),

cells as (
    select * from {{ ref('int_cells__gridded') }}
),

{# A relation reveals the cell on its own, or (no single one does) each relation takes part. #}
revealing as (
    select
        intervals.*,
        relation_bounds.relation_kind,
    from intervals
    inner join relation_bounds
        on intervals.month_date = relation_bounds.month_date
        and intervals.county_code = relation_bounds.county_code
        and intervals.main_group = relation_bounds.main_group
        and intervals.measure_group = relation_bounds.measure_group
    where
        intervals.status = 'exact_positive'
        and (relation_bounds.bound_low = relation_bounds.bound_high or intervals.revealed_by like 'only%')
),

candidates as (
    select
        revealing.*,
        other.row_label as candidate_label,
        other.table_title as candidate_table,
        other.participant_count as candidate_count,
    from revealing
    left join cells as other
        on revealing.month_date = other.month_date
        and revealing.measure_group = other.measure_group
        and other.is_published
        and not other.is_suppressed
        and (
            (
                revealing.relation_kind = 'rows_to_national_total'
                and revealing.main_group = other.main_group
                and other.county_code not in ('00', revealing.county_code)
            )
            or (
                revealing.relation_kind = 'main_groups_to_all_groups'
                and revealing.county_code = other.county_code
                and other.main_group not in ('alle', revealing.main_group)
            )
        )
),

final as (
    select
        table_title,
        month_date,
        row_label,
        interval_low as revealed_count,
        coalesce(
            arg_min(format('"{}" in "{}" ({:,})', candidate_label, candidate_table, candidate_count), candidate_count),
            'the total: no other cell in the relation is printed exactly'
        ) as suppress_also,
    from candidates
    group by table_title, month_date, row_label, interval_low
)

select * from final
