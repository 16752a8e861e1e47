{#-
    One row per cell in each relation NAV's tables publish: a total and the parts that add up to it. The
    data rules check each relation with exact suppression bounds, and the disclosure audit solves them all
    at once for every suppressed cell. A relation holds within one month, so months are independent.

    - rows_to_national_total: in each county table, the county rows (with "Øvrige områder" and "Ukjent") add
      up to the "I alt" row.
    - main_groups_to_all_groups: for each geography and measure group of the county tables, the three
      main-group tables add up to the all-groups table.
    - groups_to_main_group_total: in a TILT100 block, the measure groups add up to "I alt <main group> på
      tiltak" (where that total is printed).
    - types_to_group: the measure types of a measure group (TILT110-180) add up to the group's TILT100 figure.
    - types_to_block_total: in a TILT110-180 block, the measure types add up to its "I alt" row (TILT180's
      spans Jobbskaping og egenetablering and Tilrettelegging).

    Cells not printed in a covered table are 0 (the grids); a printed `*` is 0..3.
-#}
with

grid as (
    select * from {{ ref('int_cells__gridded') }}
),

measure_type_grid as (
    select * from {{ ref('int_measure_type_cells__gridded') }}
),

resolved as (
    select * from {{ ref('int_cells__resolved') }}
),

assembled as (
    select * from {{ ref('int_cells__assembled') }}
),

nav_tables as (
    select * from {{ ref('ref_nav_tables') }}
),

main_groups as (
    select * from {{ ref('ref_main_groups') }}
),

measure_groups as (
    select * from {{ ref('ref_measure_groups') }}
),

printed_group_totals as (
    select * from resolved
    where measure_type = 'alle' and measure_group = 'alle'
),

block_totals as (
    select * from assembled
    where is_block_total and not is_blank
),

{# Every cell a relation can name (a failing rule describes it by its key: macros/describe_relation_cell). #}
grid_cells as (
    select
        {{ cell_key() }} as cell_key,
        month_date,
        county_code,
        county_name,
        main_group,
        measure_group,
        measure_type,
        participant_count_low,
        participant_count_high,
        is_published as is_printed,
        is_county_table,
        table_title,
    from grid
),

total_cells as (
    select
        {{ cell_key() }} as cell_key,
        month_date,
        county_code,
        main_group,
        measure_group,
        measure_type,
        participant_count_low,
        participant_count_high,
        true as is_printed,
        table_title,
    from printed_group_totals
),

type_cells as (
    select
        {{ cell_key() }} as cell_key,
        month_date,
        county_code,
        main_group,
        measure_group,
        measure_type,
        participant_count_low,
        participant_count_high,
        is_published as is_printed,
        table_title,
    from measure_type_grid
),

block_cells as (
    select
        {{ block_key() }} as cell_key,
        month_date,
        county_code,
        main_group,
        table_code,
        participant_count_low,
        participant_count_high,
        true as is_printed,
        table_title,
    from block_totals
),

rows_to_national_total as (
    select
        'rows_to_national_total' as relation_kind,
        concat_ws('|', month_date, main_group, measure_group) as relation_key,
        county_code = '00' as is_total,
        cell_key,
        month_date,
        participant_count_low,
        participant_count_high,
        is_printed,
        table_title as relation_name,
    from grid_cells
    where is_county_table
),

main_groups_to_all_groups as (
    select
        'main_groups_to_all_groups' as relation_kind,
        concat_ws('|', grid_cells.month_date, grid_cells.county_code, grid_cells.measure_group) as relation_key,
        grid_cells.main_group = 'alle' as is_total,
        grid_cells.cell_key,
        grid_cells.month_date,
        grid_cells.participant_count_low,
        grid_cells.participant_count_high,
        grid_cells.is_printed,
        format('{}, {}', grid_cells.county_name, measure_groups.measure_group_name_nb) as relation_name,
    from grid_cells
    inner join measure_groups
        on grid_cells.measure_group = measure_groups.measure_group_code
    where grid_cells.is_county_table
),

groups_to_main_group_total as (
    select
        'groups_to_main_group_total' as relation_kind,
        concat_ws('|', total_cells.month_date, total_cells.county_code, total_cells.main_group) as relation_key,
        true as is_total,
        total_cells.cell_key,
        total_cells.month_date,
        total_cells.participant_count_low,
        total_cells.participant_count_high,
        total_cells.is_printed,
        total_cells.table_title as relation_name,
    from total_cells
    union all
    select
        'groups_to_main_group_total' as relation_kind,
        concat_ws('|', grid_cells.month_date, grid_cells.county_code, grid_cells.main_group) as relation_key,
        false as is_total,
        grid_cells.cell_key,
        grid_cells.month_date,
        grid_cells.participant_count_low,
        grid_cells.participant_count_high,
        grid_cells.is_printed,
        total_cells.table_title as relation_name,
    from grid_cells
    inner join total_cells
        on grid_cells.month_date = total_cells.month_date
        and grid_cells.county_code = total_cells.county_code
        and grid_cells.main_group = total_cells.main_group
),

types_to_group as (
    select
        'types_to_group' as relation_kind,
        concat_ws('|', type_cells.month_date, type_cells.main_group, type_cells.measure_group) as relation_key,
        false as is_total,
        type_cells.cell_key,
        type_cells.month_date,
        type_cells.participant_count_low,
        type_cells.participant_count_high,
        type_cells.is_printed,
        format(
            '{}, {} (measure types against the measure group)', main_groups.main_group_name_nb,
            measure_groups.measure_group_name_nb
        ) as relation_name,
    from type_cells
    inner join main_groups
        on type_cells.main_group = main_groups.main_group_code
    inner join measure_groups
        on type_cells.measure_group = measure_groups.measure_group_code
    where
        exists (
            select 1 from grid_cells
            where
                grid_cells.month_date = type_cells.month_date
                and grid_cells.county_code = '00'
                and grid_cells.main_group = type_cells.main_group
                and grid_cells.measure_group = type_cells.measure_group
        )
    union all
    select
        'types_to_group' as relation_kind,
        concat_ws('|', grid_cells.month_date, grid_cells.main_group, grid_cells.measure_group) as relation_key,
        true as is_total,
        grid_cells.cell_key,
        grid_cells.month_date,
        grid_cells.participant_count_low,
        grid_cells.participant_count_high,
        grid_cells.is_printed,
        format(
            '{}, {} (measure types against the measure group)', main_groups.main_group_name_nb,
            measure_groups.measure_group_name_nb
        ) as relation_name,
    from grid_cells
    inner join main_groups
        on grid_cells.main_group = main_groups.main_group_code
    inner join measure_groups
        on grid_cells.measure_group = measure_groups.measure_group_code
    where
        grid_cells.county_code = '00'
        and exists (
            select 1 from type_cells
            where
                type_cells.month_date = grid_cells.month_date
                and type_cells.main_group = grid_cells.main_group
                and type_cells.measure_group = grid_cells.measure_group
        )
),

types_to_block_total as (
    select
        'types_to_block_total' as relation_kind,
        block_cells.cell_key as relation_key,
        true as is_total,
        block_cells.cell_key,
        block_cells.month_date,
        block_cells.participant_count_low,
        block_cells.participant_count_high,
        block_cells.is_printed,
        block_cells.table_title as relation_name,
    from block_cells
    union all
    select
        'types_to_block_total' as relation_kind,
        block_cells.cell_key as relation_key,
        false as is_total,
        type_cells.cell_key,
        type_cells.month_date,
        type_cells.participant_count_low,
        type_cells.participant_count_high,
        type_cells.is_printed,
        block_cells.table_title as relation_name,
    from block_cells
    inner join nav_tables
        on block_cells.table_code = nav_tables.table_code
    inner join type_cells
        on block_cells.month_date = type_cells.month_date
        and block_cells.main_group = type_cells.main_group
        and nav_tables.measure_group_code = type_cells.measure_group
),

final as (
    select * from rows_to_national_total
    union all
    select * from main_groups_to_all_groups
    union all
    select * from groups_to_main_group_total
    union all
    select * from types_to_group
    union all
    select * from types_to_block_total
)

select * from final
