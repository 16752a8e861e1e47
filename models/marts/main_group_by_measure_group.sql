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
        main_group_code as main_group,
        measure_group_code as measure_group,
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
        main_group_code as main_group,
        'alle' as measure_group,
        {# An exact total only where every part is exact; else NULL with summed bounds. #}
        case when not bool_or(is_suppressed) then cast(sum(participant_count) as integer) end as participant_count,
        cast(sum(participant_count_low) as integer) as participant_count_low,
        cast(sum(participant_count_high) as integer) as participant_count_high,
        {# NAV prints no total over measure groups: this row is derived, never published. #}
        false as is_published,
        bool_or(is_suppressed) as is_suppressed,
    from cells
    group by month_date, county_code, county_name, main_group_code
),

final as (
    select * from single_measure_groups
    union all
    select * from all_measure_groups
)

select * from final
