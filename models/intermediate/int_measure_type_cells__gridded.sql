{#-
    One row per covered month, main group and measure type (Norway): the complete grid of NAV's national
    tables by measure type (TILT110-TILT180), with the printed figure where there is one.

    A workbook covers its printed months, the three main groups, and the measure types of its measure
    groups (seeds/reference/ref_nav_tables.csv) that exist in the month (ref_measure_types: a type outside
    its validity has no figure, not a 0). In a covered month a type NAV did not print for a main group is a
    known 0 (NAV omits empty rows and blocks); a cell left empty has no figure (unless
    another document prints it).
-#}
with

cells as (
    select * from {{ ref('int_cells__resolved') }}
    where measure_type != 'alle' and table_kind = 'national'
),

blank_cells as (
    select cell_id
    from {{ ref('int_cells__assembled') }}
    where is_blank and measure_type != 'alle' and table_kind = 'national'
),

documents as (
    select * from {{ ref('stg_nav__documents') }}
),

nav_tables as (
    select * from {{ ref('ref_nav_tables') }}
),

measure_types as (
    select * from {{ ref('ref_measure_types') }}
),

main_groups as (
    select * from {{ ref('ref_main_groups') }}
),

measure_groups as (
    select * from {{ ref('ref_measure_groups') }}
),

covered_months as (
    select distinct
        documents.table_code,
        cast(
            unnest(generate_series(documents.period_start_date, documents.period_end_date, interval 1 month))
            as date
        ) as month_date,
    from documents
    where documents.geography = 'national' and documents.table_code != 'TILT100'
),

grid as (
    select distinct
        covered_months.month_date,
        main_groups.main_group_code as main_group,
        measure_types.measure_group_code as measure_group,
        measure_types.measure_type_code as measure_type,
        {{ cell_id(
            'covered_months.month_date', '0', 'main_groups.sort_order', 'measure_groups.sort_order',
            'measure_types.sort_order'
        ) }} as cell_id,
    from covered_months
    inner join nav_tables
        on covered_months.table_code = nav_tables.table_code
    inner join measure_types
        on nav_tables.measure_group_code = measure_types.measure_group_code
        and covered_months.month_date between measure_types.valid_from
        and coalesce(measure_types.valid_to, date '9999-12-31')
    inner join measure_groups
        on measure_types.measure_group_code = measure_groups.measure_group_code
    cross join main_groups
    where main_groups.main_group_code != 'alle'
),

{# See macros/grid_figures.sql. #}
figures as (
    {{ printed_or_blank('cells', 'blank_cells') }}
),

final as (
    select
        grid.month_date,
        '00' as county_code,
        grid.main_group,
        grid.measure_group,
        grid.measure_type,
        grid.cell_id,
        {{ grid_figure('figures') }},
    from grid
    left join figures
        on grid.cell_id = figures.cell_id
    where not coalesce(figures.is_blank, false)
)

select * from final
