{#-
    One row per month, main group, measure group and measure type, for Norway: NAV's national tables by
    measure type (TILT110-TILT180). A type NAV did not print in a covered block is 0; a type outside its
    validity (it did not exist yet, or any more) has no row. A suppressed cell is NULL with bounds 0..3.
-#}
with

cells as (
    select * from {{ ref('int_measure_type_cells__gridded') }}
),

series_breaks as (
    select * from {{ ref('ref_series_breaks') }}
),

final as (
    select
        cells.month_date,
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
)

{# Stored in key order, which the exports keep (see nav_tiltak.publish.export_marts). #}
select * from final
order by month_date, main_group, measure_type
