{#-
    One row per month, geography, main group and measure group: the BI contract, from every source (the
    county tables and NAV's national workbooks). The single measure groups come from the grid (printed, or
    0 where NAV printed nothing in a covered table); `measure_group = 'alle'` is NAV's printed total where a
    table prints one (TILT100's "I alt ... på tiltak"), else the sum of the groups with bounds;
    `main_group = 'alle'` is the printed all-groups table, or where none is printed (the national workbooks)
    the sum of the three main groups. A suppressed cell is never shown tighter than 0..3.
-#}
with

cells as (
    select * from {{ ref('int_cells__gridded') }}
),

printed_totals as (
    select * from {{ ref('int_cells__resolved') }}
    where measure_type = 'alle' and measure_group = 'alle' and table_kind in ('county_table', 'national')
),

series_breaks as (
    select * from {{ ref('ref_series_breaks') }}
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

summed_measure_groups as (
    select
        month_date,
        county_code,
        county_name,
        main_group,
        {{ summed_counts() }},
    from cells
    group by month_date, county_code, county_name, main_group
),

{# Where NAV prints the total over measure groups it is the figure; else it is derived, never published. #}
all_measure_groups as (
    select
        summed.month_date,
        summed.county_code,
        summed.county_name,
        summed.main_group,
        'alle' as measure_group,
        case when printed.source_file is null then summed.participant_count else printed.participant_count end
            as participant_count,
        coalesce(printed.participant_count_low, summed.participant_count_low) as participant_count_low,
        coalesce(printed.participant_count_high, summed.participant_count_high) as participant_count_high,
        printed.source_file is not null as is_published,
        coalesce(printed.is_suppressed, summed.is_suppressed) as is_suppressed,
    from summed_measure_groups as summed
    left join printed_totals as printed
        on summed.month_date = printed.month_date
        and summed.county_code = printed.county_code
        and summed.main_group = printed.main_group
),

by_main_group as (
    select * from single_measure_groups
    union all by name
    select * from all_measure_groups
),

{# The national workbooks print no all-groups block: its figures are the sums of the three main groups. #}
all_main_groups as (
    select
        by_main_group.month_date,
        by_main_group.county_code,
        by_main_group.county_name,
        'alle' as main_group,
        by_main_group.measure_group,
        {{ summed_counts('by_main_group.participant_count', 'by_main_group.participant_count_low', 'by_main_group.participant_count_high') }},
        false as is_published,
    from by_main_group
    where
        not exists (
            select 1 from cells
            where
                cells.month_date = by_main_group.month_date
                and cells.county_code = by_main_group.county_code
                and cells.main_group = 'alle'
        )
    group by by_main_group.month_date, by_main_group.county_code, by_main_group.county_name, by_main_group.measure_group
),

final as (
    select
        figures.month_date,
        figures.county_code,
        figures.county_name,
        figures.main_group,
        figures.measure_group,
        figures.participant_count,
        figures.participant_count_low,
        figures.participant_count_high,
        figures.is_published,
        figures.is_suppressed,
        {{ is_series_break('series_breaks', 'figures.main_group', 'figures.month_date') }} as is_series_break,
    from (
        select * from by_main_group
        union all by name
        select * from all_main_groups
    ) as figures
)

{# Stored in key order, which the exports keep (see nav_tiltak.publish.export_marts). #}
select * from final
order by month_date, county_code, main_group, measure_group
