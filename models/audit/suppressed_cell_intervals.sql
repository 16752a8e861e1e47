{#-
    One row per suppressed cell: the smallest and largest value consistent with everything NAV published
    for the month, and what that reveals. For the publisher, not for BI: the marts never show these.
-#}
with

cells as (
    select * from {{ ref('int_cells__gridded') }}
),

intervals as (
    select * from {{ ref('suppressed_cell_lp_intervals') }}
),

relation_bounds as (
    select * from {{ ref('suppressed_cell_relation_bounds') }}
),

{# The relations that pin the cell on their own; an exact cell without one is pinned by a combination. The
    tightest bound any single relation gives is kept too: the linear programs, which see every relation at
    once, must never be wider (tested). #}
revealing as (
    select
        month_date,
        county_code,
        main_group,
        measure_group,
        string_agg(relation_description, '; ' order by relation_kind)
        filter (where bound_low = bound_high) as revealed_by,
        string_agg(relation_description, '; ' order by relation_kind) as relations,
        max(bound_low) as relation_bound_low,
        min(bound_high) as relation_bound_high,
    from relation_bounds
    group by all
),

final as (
    select
        cells.month_date,
        cells.county_code,
        cells.county_name,
        cells.main_group,
        cells.measure_group,
        cells.table_title,
        cells.row_label,
        cells.source_file,
        cells.source_line,
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
        revealing.relation_bound_low,
        revealing.relation_bound_high,
    from intervals
    inner join cells
        on intervals.month_date = cells.month_date
        and intervals.county_code = cells.county_code
        and intervals.main_group = cells.main_group
        and intervals.measure_group = cells.measure_group
    left join revealing
        on intervals.month_date = revealing.month_date
        and intervals.county_code = revealing.county_code
        and intervals.main_group = revealing.main_group
        and intervals.measure_group = revealing.measure_group
)

select * from final
