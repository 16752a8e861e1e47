{#-
    One row per month, comparable region, main group and measure group: main_group_by_measure_group on
    one geography across the 2024 county reform. A region is a county of the 2020-2023 structure; from 2024
    its parts are added up (Viken = Østfold + Akershus + Buskerud, Vestfold og Telemark = Vestfold +
    Telemark, Troms og Finnmark = Troms + Finnmark). Exact where every part is; else NULL with summed bounds.
    A sum of several counties is derived, never published: `is_published` only where the region is one
    county in the month and NAV printed its figure. `is_series_break` as in main_group_by_measure_group.
-#}
with

cells as (
    select * from {{ ref('main_group_by_measure_group') }}
),

regions as (
    select * from {{ ref('ref_county_regions') }}
),

{# A region is named as its county of the 2020-2023 structure, officially (as county_name elsewhere). #}
counties as (
    select * from {{ ref('ref_counties') }}
),

series_breaks as (
    select * from {{ ref('ref_series_breaks') }}
),

{# The counties each region's figures add up, per month (the same for every group): a small table, so the
    sums below group by keys alone and no list is built per row. #}
region_months as (
    select
        month_counties.month_date,
        regions.region_code,
        array_to_string(list_sort(list(month_counties.county_code)), ' ') as county_codes,
    from (
        select distinct
            month_date,
            county_code,
        from cells
    ) as month_counties
    inner join regions
        on month_counties.county_code = regions.county_code
    group by month_counties.month_date, regions.region_code
),

summed as (
    select
        cells.month_date,
        regions.region_code,
        cells.main_group,
        cells.measure_group,
        {{ summed_counts('cells.participant_count', 'cells.participant_count_low', 'cells.participant_count_high') }},
        count(*) = 1 and bool_and(cells.is_published) as is_published,
    from cells
    inner join regions
        on cells.county_code = regions.county_code
    group by cells.month_date, regions.region_code, cells.main_group, cells.measure_group
),

final as (
    select
        summed.month_date,
        summed.region_code,
        counties.official_name as region_name,
        summed.main_group,
        summed.measure_group,
        summed.participant_count,
        summed.participant_count_low,
        summed.participant_count_high,
        summed.is_suppressed,
        region_months.county_codes,
        summed.is_published,
        {{ is_series_break('series_breaks', 'summed.main_group', 'summed.month_date') }} as is_series_break,
    from summed
    inner join region_months
        on summed.month_date = region_months.month_date
        and summed.region_code = region_months.region_code
    inner join counties
        on summed.region_code = counties.county_code
)

{# Stored in key order, which the exports keep (see nav_tiltak.publish.export_marts). #}
select * from final
order by month_date, region_code, main_group, measure_group
