{#-
    One row per covered month, geography, main group and (single) measure group: the complete grid of what
    NAV could print by measure group, with the printed figure where there is one.

    Coverage: a document covers what it prints. County tables cover the months their period line names (the
    loader refuses a document whose tables do not print each of them), every county valid in the month,
    Norway and NAV's two other rows, and all four main groups; a national TILT100 workbook covers its
    printed months, Norway only, and the three main groups (a block it omits has no participants). NAV omits
    rows, tables and months without participants, so a cell it did not print is a known 0, not an unknown;
    a cell a workbook leaves empty has no figure here (unknown, never 0) unless another document prints
    it, and what no document covers is not in the grid.
-#}
with

cells as (
    select * from {{ ref('int_cells__resolved') }}
    where measure_type = 'alle' and measure_group != 'alle' and table_kind in ('county_table', 'national')
),

blank_cells as (
    select cell_id
    from {{ ref('int_cells__assembled') }}
    where is_blank and measure_type = 'alle' and table_kind in ('county_table', 'national')
),

documents as (
    select * from {{ ref('stg_nav__documents') }}
),

counties as (
    select * from {{ ref('ref_counties') }}
),

main_groups as (
    select * from {{ ref('ref_main_groups') }}
),

measure_groups as (
    select * from {{ ref('ref_measure_groups') }}
),

covered_months as (
    select distinct
        geography,
        table_code,
        cast(unnest(generate_series(period_start_date, period_end_date, interval 1 month)) as date) as month_date,
    from documents
    where geography = 'county' or table_code = 'TILT100'
),

covered as (
    select distinct
        covered_months.month_date,
        counties.county_code,
        main_groups.main_group_code as main_group,
        main_groups.sort_order as main_group_order,
        covered_months.geography = 'county' as is_county_table,
    from covered_months
    inner join counties
        on {{ county_valid_in('counties', 'covered_months.month_date') }}
        and (covered_months.geography = 'county' or counties.county_code = '00')
    inner join main_groups
        on covered_months.geography = 'county' or main_groups.main_group_code != 'alle'
),

{# A month both county tables and a national workbook cover is one cell; the county tables' scope wins. #}
scoped as (
    select
        month_date,
        county_code,
        main_group,
        main_group_order,
        bool_or(is_county_table) as is_county_table,
    from covered
    group by month_date, county_code, main_group, main_group_order
),

grid as (
    select
        scoped.month_date,
        scoped.county_code,
        counties.official_name as county_name,
        scoped.main_group,
        measure_groups.measure_group_code as measure_group,
        {{ cell_id(
            'scoped.month_date', geography('scoped.county_code'), 'scoped.main_group_order',
            'measure_groups.sort_order', '0'
        ) }} as cell_id,
        scoped.is_county_table,
    from scoped
    inner join counties
        on scoped.county_code = counties.county_code
    cross join measure_groups
    where measure_groups.measure_group_code != 'alle'
),

{# See macros/grid_figures.sql. #}
figures as (
    {{ printed_or_blank('cells', 'blank_cells') }}
),

final as (
    select
        grid.month_date,
        grid.county_code,
        grid.county_name,
        grid.main_group,
        grid.measure_group,
        'alle' as measure_type,
        grid.cell_id,
        grid.is_county_table,
        {{ grid_figure('figures') }},
    from grid
    left join figures
        on grid.cell_id = figures.cell_id
    where not coalesce(figures.is_blank, false)
)

select * from final
