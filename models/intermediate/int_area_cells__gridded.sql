{#-
    One row per covered month, geography and measure type of NAV's county and municipality sheets (all main
    groups together, `alle`; TILT100's municipality sheet: all measures, `alle`), with the printed figure
    where there is one.

    Coverage is by block: a sheet's block covers its measure type in the months of its header (its
    document's period). A county block covers every county valid in the month, Norway (its "I alt" row) and
    NAV's rows 98 and 99; a municipality block every municipality valid in the month, and Norway. Inside a
    covered block a geography left out is a known 0 (NAV omits rows without participants). A cell a sheet
    leaves empty is unknown: it stays here, `is_blank`, with bounds 0..max_count, so that the relations hold
    with it, and is no mart figure. A measure type no block prints is not covered (unknown, never 0); so
    is a municipality sheet's row without a number (9899, 9999) where it is not printed.
-#}
with

cells as (
    select * from {{ ref('int_cells__resolved') }}
    where table_kind in ('county_sheet', 'municipality_sheet')
),

blank_cells as (
    select distinct cell_id
    from {{ ref('int_cells__assembled') }}
    where is_blank and table_kind in ('county_sheet', 'municipality_sheet')
),

{# The blocks of the county and municipality sheets (county tables have no measure type: `alle`). #}
tables as (
    select * from {{ ref('stg_nav__tables') }}
    where row_kind = 'municipality' or row_kind = 'county' and measure_type != 'alle'
),

counties as (
    select * from {{ ref('ref_counties') }}
),

municipalities as (
    select * from {{ ref('ref_municipalities') }}
),

main_groups as (
    select * from {{ ref('ref_main_groups') }}
),

measure_groups as (
    select * from {{ ref('ref_measure_groups') }}
),

measure_types as (
    select * from {{ ref('ref_measure_types') }}
),

blocks as (
    select distinct
        row_kind,
        measure_group,
        measure_type,
        unnest(month_dates) as month_date,
    from tables
),

{# Each block's geographies; Norway's "I alt" is the same cell in a county and a municipality sheet. #}
covered as (
    select
        blocks.*,
        counties.county_code,
        cast(null as varchar) as municipality_code,
        counties.geography_level,
    from blocks
    inner join counties
        on {{ county_valid_in('counties', 'blocks.month_date') }}
        and (blocks.row_kind = 'county' or counties.county_code = '00')
    union
    select
        blocks.*,
        municipalities.county_code,
        municipalities.municipality_code,
        municipalities.geography_level,
    from blocks
    inner join municipalities
        on {{ county_valid_in('municipalities', 'blocks.month_date') }}
        and municipalities.geography_level = 'municipality'
    where blocks.row_kind = 'municipality'
),

grid as (
    select distinct
        covered.month_date,
        covered.county_code,
        covered.municipality_code,
        'alle' as main_group,
        covered.measure_group,
        covered.measure_type,
        covered.geography_level,
        {{ cell_id(
            'covered.month_date', geography('covered.county_code', 'covered.municipality_code'),
            'main_groups.sort_order', 'measure_groups.sort_order',
            "coalesce(measure_types.sort_order, 0)"
        ) }} as cell_id,
    from covered
    inner join main_groups
        on main_groups.main_group_code = 'alle'
    inner join measure_groups
        on covered.measure_group = measure_groups.measure_group_code
    left join measure_types
        on covered.measure_type = measure_types.measure_type_code
),

{# A printed row the covered geographies do not hold (9899, 9999) is in the grid where it is printed. #}
printed_elsewhere as (
    select
        cells.month_date,
        cells.county_code,
        cells.municipality_code,
        cells.main_group,
        cells.measure_group,
        cells.measure_type,
        municipalities.geography_level,
        cells.cell_id,
    from cells
    inner join municipalities
        on cells.municipality_code = municipalities.municipality_code
    anti join grid
        on cells.cell_id = grid.cell_id
),

final as (
    select
        grid.*,
        cells.cell_id is not null as is_published,
        cells.cell_id is null and blank_cells.cell_id is not null as is_blank,
        coalesce(cells.is_suppressed, false) as is_suppressed,
        case when cells.cell_id is not null then cells.participant_count when blank_cells.cell_id is null then 0 end
            as participant_count,
        coalesce(cells.participant_count_low, 0) as participant_count_low,
        case
            when cells.cell_id is not null then cells.participant_count_high
            when blank_cells.cell_id is not null then {{ var('max_count') }}
            else 0
        end as participant_count_high,
    from (
        select * from grid
        union all
        select * from printed_elsewhere
    ) as grid
    left join cells
        on grid.cell_id = cells.cell_id
    left join blank_cells
        on grid.cell_id = blank_cells.cell_id
)

select * from final
