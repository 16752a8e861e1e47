{#-
    One row per suppressed cell: the smallest and largest value consistent with everything NAV published
    for the month, and what that reveals. For the publisher, not for BI: the marts never show these.
-#}
with

cells as (
    select * from {{ ref('int_cells__gridded') }}
),

intervals as (
    select * from {{ ref('int_suppressed_cells__intervals') }}
),

relation_bounds as (
    select * from {{ ref('int_suppressed_cells__relation_bounds') }}
),

{# The relations that pin the cell on their own; an exact cell without one is pinned by a combination. #}
revealing as (
    select
        relation_bounds.month_date,
        relation_bounds.county_code,
        relation_bounds.main_group_code,
        relation_bounds.measure_group_code,
        string_agg(relation_bounds.relation_description, '; ' order by relation_bounds.relation_kind)
            filter (where relation_bounds.bound_low = relation_bounds.bound_high) as revealed_by,
        string_agg(relation_bounds.relation_description, '; ' order by relation_bounds.relation_kind)
            as relations,
    from relation_bounds
    group by all
),

final as (
    select
        cells.month_date,
        cells.county_code,
        cells.county_name,
        cells.main_group_code as main_group,
        cells.measure_group_code as measure_group,
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
    from intervals
    inner join cells
        on intervals.month_date = cells.month_date
        and intervals.county_code = cells.county_code
        and intervals.main_group_code = cells.main_group_code
        and intervals.measure_group_code = cells.measure_group_code
    left join revealing
        on intervals.month_date = revealing.month_date
        and intervals.county_code = revealing.county_code
        and intervals.main_group_code = revealing.main_group_code
        and intervals.measure_group_code = revealing.measure_group_code
)

select * from final
