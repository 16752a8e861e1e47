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
        other.cell_id as candidate_cell_id,
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
        exact_parts.candidate_cell_id,
    from revealing
    left join exact_parts
        on revealing.relation_id = exact_parts.relation_id
        and revealing.cell_id != exact_parts.candidate_cell_id
),

{# The smallest candidate; among equal ones the first by id, so that the text and the id name the same cell. #}
cheapest as (
    select
        table_title,
        month_date,
        row_label,
        interval_low as revealed_count,
        arg_min(
            struct_pack(text := format('{} ({:,})', candidate, candidate_count), cell_id := candidate_cell_id),
            [candidate_count, candidate_cell_id]
        ) filter (where candidate_cell_id is not null) as cheapest_candidate,
    from candidates
    group by table_title, month_date, row_label, interval_low
),

final as (
    select
        table_title,
        month_date,
        row_label,
        revealed_count,
        coalesce(
            struct_extract(cheapest_candidate, 'text'), 'the total: no other cell in the relation is printed exactly'
        ) as suppress_also,
        struct_extract(cheapest_candidate, 'cell_id') as suppress_also_cell_id,
    from cheapest
)

select * from final
