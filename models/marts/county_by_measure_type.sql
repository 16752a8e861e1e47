{#-
    One row per month, geography, measure group and measure type of NAV's county sheets ("Tiltak og fylke",
    TILT110-TILT180, 2024 on): participants in all main groups together (`main_group` is `alle`), for Norway
    (00, the block's "I alt" row), each county valid in the month, "Svalbard og øvrige områder" (98) and
    "Ukjent" (99). A county a printed block leaves out is 0; a cell the sheet leaves empty, and a measure
    type with no block, has no row (unknown, never 0). A suppressed cell is NULL with bounds 0..3.
-#}
with

cells as (
    select * from {{ ref('int_area_cells__gridded') }}
    where municipality_code is null and not is_blank
),

{# The measure types and months a county sheet prints a block for (a municipality sheet's Norway row is not one). #}
county_blocks as (
    select distinct
        measure_type,
        unnest(month_dates) as month_date,
    from {{ ref('stg_nav__tables') }}
    where row_kind = 'county' and measure_type != 'alle'
),

counties as (
    select * from {{ ref('ref_counties') }}
),

regions as (
    select * from {{ ref('ref_county_regions') }}
),

series_breaks as (
    select * from {{ ref('ref_series_breaks') }}
),

final as (
    select
        cells.month_date,
        cells.county_code,
        counties.official_name as county_name,
        regions.region_code,
        cells.main_group,
        cells.measure_group,
        cells.measure_type,
        cells.participant_count,
        cells.participant_count_low,
        cells.participant_count_high,
        cells.is_published,
        cells.is_suppressed,
        {{ is_series_break('series_breaks', 'cells.main_group', 'cells.month_date') }} as is_series_break,
    from cells
    semi join county_blocks
        on cells.measure_type = county_blocks.measure_type
        and cells.month_date = county_blocks.month_date
    inner join counties
        on cells.county_code = counties.county_code
    left join regions
        on cells.county_code = regions.county_code
)

{# Stored in key order, which the exports keep (see nav_tiltak.publish.export_marts). #}
select * from final
order by month_date, county_code, measure_type
