{#-
    One row per month, mart and geography level, every month from the first any document covers to the last:
    whether a document covers it, which documents do, and, for the county and municipality sheets, which
    measure types (a sheet covers the types it prints a block for). So a BI user sees "2022: not covered"
    rather than inferring it from rows that are missing, and never reads a missing row as 0.
-#}
with

tables as (
    select * from {{ ref('stg_nav__tables') }}
),

{# What each printed table feeds: county tables both geography levels, a sheet's block its own. #}
printed as (
    select
        tables.source_file,
        tables.measure_type,
        unnest(tables.month_dates) as month_date,
        case
            when tables.row_kind in ('county', 'measure_group') and tables.measure_type = 'alle'
                then 'main_group_by_measure_group'
            when tables.row_kind = 'measure_type' then 'main_group_by_measure_type'
            when tables.row_kind = 'county' then 'county_by_measure_type'
            else 'municipality_by_measure_type'
        end as mart,
        case
            when tables.row_kind = 'municipality' then ['municipality']
            when tables.row_kind = 'county' and tables.measure_type = 'alle' then ['national', 'county']
            when tables.row_kind = 'county' then ['county']
            else ['national']
        end as levels,
    from tables
),

covered as (
    select
        month_date,
        mart,
        unnest(levels) as geography_level,
        source_file,
        {# The area marts' measure types ('alle' where a sheet prints all measures together). #}
        case when mart in ('county_by_measure_type', 'municipality_by_measure_type') then measure_type end
            as measure_type,
    from printed
),

calendar as (
    select cast(unnest(generate_series(min(month_date), max(month_date), interval 1 month)) as date) as month_date
    from covered
),

{# Each mart's geography levels, whether or not anything covers them yet. #}
levels as (
    select * from (
        values
        ('main_group_by_measure_group', 'national'),
        ('main_group_by_measure_group', 'county'),
        ('main_group_by_measure_type', 'national'),
        ('county_by_measure_type', 'county'),
        ('municipality_by_measure_type', 'municipality')
    ) as levels (mart, geography_level)  -- noqa: AL05
),

final as (
    select
        calendar.month_date,
        strftime(calendar.month_date, '%Y-%m') as year_month,  -- noqa: RF04
        levels.mart,
        levels.geography_level,
        count(covered.source_file) > 0 as is_covered,
        string_agg(distinct covered.source_file, ', ' order by covered.source_file) as source_files,
        string_agg(distinct covered.measure_type, ', ' order by covered.measure_type) as measure_types,
        case
            when count(covered.source_file) = 0 then 'not covered: no document prints this month'
            when count(covered.measure_type) > 0
                then format('covered for {} measure type(s)', count(distinct covered.measure_type))
            else 'covered'
        end as coverage_note,
    from calendar
    cross join levels
    left join covered
        on calendar.month_date = covered.month_date
        and levels.mart = covered.mart
        and levels.geography_level = covered.geography_level
    group by calendar.month_date, levels.mart, levels.geography_level
)

{# Stored in key order, which the exports keep (see nav_tiltak.publish.export_marts). #}
select * from final
order by month_date, mart, geography_level
