{#-
    One row per covered month, geography, main group and (single) measure group: the complete grid of what
    NAV could print, with the printed cell where there is one. A document covers the months its period line
    names (the loader refuses one whose tables do not print each of them); in a covered month NAV omits rows,
    tables and months without participants, so a cell it did not print is a known 0, not an unknown. A month
    no document covers is not in the grid.
-#}
with

cells as (
    select * from {{ ref('int_cells__resolved') }}
),

documents as (
    select * from {{ ref('stg_nav__documents') }}
),

counties as (
    select * from {{ ref('ref_counties') }}
),

main_groups as (
    select * from {{ ref('ref_main_groups') }}
),

measure_groups as (
    select * from {{ ref('ref_measure_groups') }}
),

covered_months as (
    select distinct cast(unnest(generate_series(period_start_date, period_end_date, interval 1 month)) as date) as month_date,
    from documents
),

grid as (
    select
        covered_months.month_date,
        counties.county_code,
        counties.official_name as county_name,
        main_groups.main_group_code as main_group,
        measure_groups.measure_group_code as measure_group,
    from covered_months
    inner join counties
        on {{ county_valid_in('counties', 'covered_months.month_date') }}
    cross join main_groups
    cross join measure_groups
    where measure_groups.measure_group_code != 'alle'
),

final as (
    select
        grid.month_date,
        grid.county_code,
        grid.county_name,
        grid.main_group,
        grid.measure_group,
        cells.source_file is not null as is_published,
        coalesce(cells.is_suppressed, false) as is_suppressed,
        case when cells.source_file is null then 0 else cells.participant_count end as participant_count,
        coalesce(cells.participant_count_low, 0) as participant_count_low,
        coalesce(cells.participant_count_high, 0) as participant_count_high,
        cells.value_as_printed,
        cells.table_title,
        cells.row_label,
        cells.month_label,
        cells.source_file,
        cells.source_line,
    from grid
    left join cells
        on grid.month_date = cells.month_date
        and grid.county_code = cells.county_code
        and grid.main_group = cells.main_group
        and grid.measure_group = cells.measure_group
)

select * from final
