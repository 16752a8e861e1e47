{#-
    One row per month, geography, main group and measure group: the BI contract. The single measure groups
    come from the printed cells (0 where NAV printed nothing); `measure_group = 'alle'` is their sum, with
    bounds where suppressed cells enter. A suppressed cell is never shown tighter than 0..3.
-#}
with

cells as (
    select * from {{ ref('int_cells__gridded') }}
),

single_measure_groups as (
    select
        month_date,
        county_code,
        county_name,
        main_group,
        measure_group,
        participant_count,
        participant_count_low,
        participant_count_high,
        is_published,
        is_suppressed,
    from cells
),

all_measure_groups as (
    select
        month_date,
        county_code,
        county_name,
        main_group,
        'alle' as measure_group,
        {{ summed_counts() }},
        {# NAV prints no total over measure groups: this row is derived, never published. #}
        false as is_published,
    from cells
    group by month_date, county_code, county_name, main_group
),

final as (
    select * from single_measure_groups
    union all by name
    select * from all_measure_groups
)

select * from final
