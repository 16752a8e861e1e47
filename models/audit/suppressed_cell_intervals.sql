{#-
    One row per suppressed cell: the smallest and largest value consistent with everything NAV published
    for the month, and what that reveals. For the publisher, not for BI: the marts never show these.
-#}
with

printed_cells as (
    select * from {{ ref('int_cells__resolved') }}
    where is_suppressed
),

{# A `*` in no published relation (a TILT100 block whose total is not printed) keeps all of 0..3. #}
intervals as (
    select
        printed_cells.cell_id,
        coalesce(solved.interval_low, 0) as interval_low,
        coalesce(solved.interval_high, 3) as interval_high,
    from printed_cells
    left join {{ ref('suppressed_cell_lp_intervals') }} as solved
        on printed_cells.cell_id = solved.cell_id
),

relation_bounds as (
    select * from {{ ref('suppressed_cell_relation_bounds') }}
),

{# The cells the audit names: each printed `*` (a national block's total has no measure group of its own). #}
cells as (
    select
        cell_id,
        month_date,
        county_code,
        county_name,
        municipality_code,
        main_group,
        measure_group,
        measure_type,
        table_title,
        row_label,
        source_file,
        source_sheet,
        source_line,
        source_position,
    from printed_cells
),

{# The relations that pin the cell on their own; an exact cell without one is pinned by a combination. The
    tightest bound any single relation gives is kept too: the linear programs, which see every relation at
    once, must never be wider (tested). #}
revealing as (
    select
        cell_id,
        string_agg(relation_description, '; ' order by relation_kind)
        filter (where bound_low = bound_high) as revealed_by,
        string_agg(distinct relation_kind, ', ' order by relation_kind)
        filter (where bound_low = bound_high) as revealed_by_kinds,
        string_agg(relation_description, '; ' order by relation_kind) as relations,
        max(bound_low) as relation_bound_low,
        min(bound_high) as relation_bound_high,
    from relation_bounds
    group by cell_id
),

final as (
    select
        cells.cell_id,
        cells.month_date,
        cells.county_code,
        cells.county_name,
        cells.municipality_code,
        cells.main_group,
        cells.measure_group,
        cells.measure_type,
        cells.table_title,
        cells.row_label,
        cells.source_file,
        cells.source_sheet,
        cells.source_line,
        cells.source_position,
        intervals.interval_low,
        intervals.interval_high,
        case
            when intervals.interval_low = intervals.interval_high and intervals.interval_low >= 1
                then 'exact_positive'
            when intervals.interval_low = intervals.interval_high then 'exact_zero'
            when intervals.interval_high - intervals.interval_low < 3 then 'narrowed'
            else 'protected'
        end as status,
        case
            when intervals.interval_low = intervals.interval_high then coalesce(
                revealing.revealed_by,
                'only the published relations together (no single one): ' || revealing.relations
            )
        end as revealed_by,
        case
            when intervals.interval_low = intervals.interval_high
                then coalesce(revealing.revealed_by_kinds, 'relations together')
        end as revealed_by_kinds,
        revealing.relation_bound_low,
        revealing.relation_bound_high,
    from cells
    inner join intervals
        on cells.cell_id = intervals.cell_id
    left join revealing
        on cells.cell_id = revealing.cell_id
)

select * from final
