{#-
    One row per month, comparable region, main group and measure group: main_group_by_measure_group on
    one geography across the 2024 county reform. A region is a county of the 2020-2023 structure; from 2024
    its parts are added up (Viken = Østfold + Akershus + Buskerud, Vestfold og Telemark = Vestfold +
    Telemark, Troms og Finnmark = Troms + Finnmark). Exact where every part is; else NULL with summed bounds.
-#}
with

cells as (
    select * from {{ ref('main_group_by_measure_group') }}
),

regions as (
    select * from {{ ref('ref_county_regions') }}
),

final as (
    select
        cells.month_date,
        regions.region_code,
        regions.region_name,
        cells.main_group,
        cells.measure_group,
        {{ summed_counts('cells.participant_count', 'cells.participant_count_low', 'cells.participant_count_high') }},
        {# A sorted list, not an ordered aggregate: DuckDB sorts each group's rows for the latter. #}
        array_to_string(list_sort(list(cells.county_code)), ' ') as county_codes,
    from cells
    inner join regions
        on cells.county_code = regions.county_code
    group by cells.month_date, regions.region_code, regions.region_name, cells.main_group, cells.measure_group
)

select * from final
