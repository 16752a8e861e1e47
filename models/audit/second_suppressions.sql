{#-
    One row per exact disclosure of 1-3 people: the cheapest second cell to suppress in a relation that
    reveals it, the smallest part printed exactly in that relation (not the cell, not the total), so that the
    relation holds two unknowns instead of one. What the audit report suggests to the publisher.
-#}
with

intervals as (
    select * from {{ ref('suppressed_cell_intervals') }}
),

relation_bounds as (
    select * from {{ ref('suppressed_cell_relation_bounds') }}
),

relations as (
    select * from {{ ref('int_relations') }}
),

{# A relation reveals the cell on its own, or (no single one does) each relation takes part. #}
revealing as (
    select
        intervals.*,
        relation_bounds.relation_key,
    from intervals
    inner join relation_bounds
        on intervals.cell_key = relation_bounds.cell_key
    where
        intervals.status = 'exact_positive'
        and (relation_bounds.bound_low = relation_bounds.bound_high or intervals.revealed_by like 'only%')
),

candidates as (
    select
        revealing.*,
        other.cell_description as candidate,
        other.participant_count_low as candidate_count,
    from revealing
    left join relations as other
        on revealing.relation_key = other.relation_key
        and revealing.cell_key != other.cell_key
        and not other.is_total
        and other.participant_count_low = other.participant_count_high
        and other.participant_count_low > 0
),

final as (
    select
        table_title,
        month_date,
        row_label,
        interval_low as revealed_count,
        coalesce(
            arg_min(format('{} ({:,})', candidate, candidate_count), candidate_count),
            'the total: no other cell in the relation is printed exactly'
        ) as suppress_also,
    from candidates
    group by table_title, month_date, row_label, interval_low
)

select * from final
