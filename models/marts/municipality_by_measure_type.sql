{#-
    One row per month, municipality, measure group and measure type of NAV's municipality sheets ("Tiltak og
    kommune" in TILT110-TILT180, "Tiltaksdeltakere og kommune" in TILT100: all measures, `alle`, 2025 on):
    participants in all main groups together (`main_group` is `alle`), with the municipality's county. A
    municipality a printed block leaves out is 0; a cell the sheet leaves empty, a measure type with no
    block, and Norway's "I alt" (a county sheet's is in county_by_measure_type) have no row here. A suppressed cell is NULL with
    bounds 0..3.
-#}
with

cells as (
    select * from {{ ref('int_area_cells__gridded') }}
    where municipality_code is not null and not is_blank
),

municipalities as (
    select * from {{ ref('ref_municipalities') }}
),

counties as (
    select * from {{ ref('ref_counties') }}
),

series_breaks as (
    select * from {{ ref('ref_series_breaks') }}
),

final as (
    select
        cells.month_date,
        cells.municipality_code,
        municipalities.municipality_name,
        cells.county_code,
        counties.official_name as county_name,
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
    inner join municipalities
        on cells.municipality_code = municipalities.municipality_code
    inner join counties
        on cells.county_code = counties.county_code
)

{# Stored in key order, which the exports keep (see nav_tiltak.publish.export_marts). #}
select * from final
order by month_date, municipality_code, measure_group, measure_type
