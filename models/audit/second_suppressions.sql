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

printed as (
    select * from {{ ref('int_cells__resolved') }}
    where not is_suppressed
),

{# A relation reveals the cell on its own, or (no single one does) each relation takes part. #}
revealing as (
    select
        intervals.*,
        relation_bounds.relation_id,
    from intervals
    inner join relation_bounds
        on intervals.cell_id = relation_bounds.cell_id
    where
        intervals.status = 'exact_positive'
        and (relation_bounds.bound_low = relation_bounds.bound_high or intervals.revealed_by like 'only%')
),

{# The parts of each revealing relation printed exactly (not the revealed cell, not the total). #}
exact_parts as (
    select
        other.relation_id,
        other.cell_id,
        format(
            '{}:{} {} / {} / {} = "{}"', printed.source_file, printed.source_position, printed.table_title,
            printed.row_label, printed.month_label, printed.value_as_printed
        ) as candidate,
        printed.participant_count as candidate_count,
    from relations as other
    inner join printed
        on other.cell_id = printed.cell_id
    where
        not other.is_total
        and other.relation_id in (select revealing.relation_id from revealing)
),

candidates as (
    select
        revealing.*,
        exact_parts.candidate,
        exact_parts.candidate_count,
    from revealing
    left join exact_parts
        on revealing.relation_id = exact_parts.relation_id
        and revealing.cell_id != exact_parts.cell_id
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
