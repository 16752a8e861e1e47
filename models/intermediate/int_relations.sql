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
    - block_total_to_groups: a TILT110-180 block's "I alt" row is the TILT100 figures of its measure groups
      added up (implied by the two before, and named on its own: two tables that contradict each other only
      together, each within the bounds of its own `*`, fail here, naming both).

    And NAV's county and municipality sheets (int_area_cells__gridded: all main groups together), where
    both sides are covered and the total printed:
    - rows_to_national_total: a county sheet's block, its counties with "Svalbard og øvrige områder" and
      "Ukjent" (an empty cell there is an unknown, 0..max_count), add up to its "I alt" row;
    - main_groups_to_all_groups: that "I alt" row is the national sheet's three main groups added up;
    - municipalities_to_county: a county's municipalities add up to the county's figure of the measure type;
    - types_to_group: a county's measure types of a measure group add up to the group's figure (county
      tables) where every type of the group is covered.

    Cells not printed in a covered table are 0 (the grids); a printed `*` is 0..3. Cells and relations are
    named by integer ids (macros/cell_id.sql); `macros/describe_relation_cell.sql` turns a cell's id back
    into what was printed when a data rule fails.
-#}
with

grid as (
    select * from {{ ref('int_cells__gridded') }}
),

measure_type_grid as (
    select * from {{ ref('int_measure_type_cells__gridded') }}
),

area_grid as (
    select * from {{ ref('int_area_cells__gridded') }}
),

measure_types as (
    select * from {{ ref('ref_measure_types') }}
),

resolved as (
    select * from {{ ref('int_cells__resolved') }}
),

nav_tables as (
    select * from {{ ref('ref_nav_tables') }}
),

printed_group_totals as (
    select * from resolved
    where measure_type = 'alle' and measure_group = 'alle' and table_kind in ('county_table', 'national')
),

{# A block printed by two editions is one cell (the same id), resolved like any other. #}
block_totals as (
    select * from resolved
    where is_block_total
),

rows_to_national_total as (
    select
        {{ relation_row('rows_to_national_total', 'county', "county_code = '00'") }},
    from grid
    where is_county_table
),

main_groups_to_all_groups as (
    select
        {{ relation_row('main_groups_to_all_groups', 'main_group', "main_group = 'alle'") }},
    from grid
    where is_county_table
),

groups_to_main_group_total as (
    select
        {{ relation_row('groups_to_main_group_total', 'measure_group', 'true', is_printed='true') }},
    from printed_group_totals
    union all
    select
        {{ relation_row('groups_to_main_group_total', 'measure_group', 'false', source='grid') }},
    from grid
    semi join printed_group_totals
        on grid.month_date = printed_group_totals.month_date
        and grid.county_code = printed_group_totals.county_code
        and grid.main_group = printed_group_totals.main_group
),

types_to_group as (
    select
        {{ relation_row('types_to_group', 'measure_type', 'false', source='measure_type_grid') }},
    from measure_type_grid
    semi join grid
        on measure_type_grid.month_date = grid.month_date
        and grid.county_code = '00'
        and measure_type_grid.main_group = grid.main_group
        and measure_type_grid.measure_group = grid.measure_group
    union all
    select
        {{ relation_row('types_to_group', 'measure_type', 'true', source='grid') }},
    from grid
    semi join measure_type_grid
        on grid.month_date = measure_type_grid.month_date
        and grid.main_group = measure_type_grid.main_group
        and grid.measure_group = measure_type_grid.measure_group
    where grid.county_code = '00'
),

{# A block's id keeps its table's number: its measure group (0) is what it sums over. #}
types_to_block_total as (
    select
        {{ relation_row('types_to_block_total', 'measure_group', 'true', is_printed='true') }},
    from block_totals
    union all
    select distinct
        {{ relation_row(
            'types_to_block_total', 'measure_group', 'false', source='measure_type_grid',
            id_of='block_totals.cell_id'
        ) }},
    from block_totals
    inner join nav_tables
        on block_totals.table_code = nav_tables.table_code
    inner join measure_type_grid
        on block_totals.month_date = measure_type_grid.month_date
        and block_totals.main_group = measure_type_grid.main_group
        and nav_tables.measure_group_code = measure_type_grid.measure_group
),

{# Where the national groups are covered (TILT100 loaded for the month). #}
block_total_to_groups as (
    select
        {{ relation_row('block_total_to_groups', 'measure_group', 'true', is_printed='true') }},
    from block_totals
    semi join grid
        on block_totals.month_date = grid.month_date
        and grid.county_code = '00'
        and block_totals.main_group = grid.main_group
    union all
    select
        {{ relation_row(
            'block_total_to_groups', 'measure_group', 'false', source='grid', id_of='block_totals.cell_id'
        ) }},
    from block_totals
    inner join nav_tables
        on block_totals.table_code = nav_tables.table_code
    inner join grid
        on block_totals.month_date = grid.month_date
        and grid.county_code = '00'
        and block_totals.main_group = grid.main_group
        and nav_tables.measure_group_code = grid.measure_group
),

{# The county and municipality sheets' relations, where the county rows, municipalities and national
    figures on either side are covered. #}
printed_area_totals as (
    select * from area_grid
    where is_published and geography_level in ('national', 'county')
),

area_county_rows as (
    select
        {{ relation_row('rows_to_national_total', 'county', "area_grid.county_code = '00'", source='area_grid') }},
    from area_grid
    semi join printed_area_totals as totals
        on area_grid.month_date = totals.month_date
        and totals.county_code = '00'
        and area_grid.measure_group = totals.measure_group
        and area_grid.measure_type = totals.measure_type
    where
        area_grid.municipality_code is null
        and exists (
            select 1 from area_grid as county
            where
                county.geography_level = 'county'
                and county.month_date = area_grid.month_date
                and county.measure_type = area_grid.measure_type
                and county.measure_group = area_grid.measure_group
        )
),

area_main_groups as (
    select
        {{ relation_row('main_groups_to_all_groups', 'main_group', 'true', source='totals') }},
    from printed_area_totals as totals
    semi join measure_type_grid
        on totals.month_date = measure_type_grid.month_date
        and totals.measure_type = measure_type_grid.measure_type
    where totals.county_code = '00' and totals.measure_type != 'alle'
    union all
    select
        {{ relation_row('main_groups_to_all_groups', 'main_group', 'false', source='measure_type_grid') }},
    from measure_type_grid
    semi join printed_area_totals as totals
        on measure_type_grid.month_date = totals.month_date
        and totals.county_code = '00'
        and measure_type_grid.measure_type = totals.measure_type
),

{# A county's own municipalities (Svalbard, in no county, and the rows without a number are not). #}
area_municipalities as (
    select
        {{ relation_row('municipalities_to_county', 'municipality', 'true', source='totals') }},
    from printed_area_totals as totals
    semi join area_grid
        on totals.month_date = area_grid.month_date
        and totals.county_code = area_grid.county_code
        and totals.measure_type = area_grid.measure_type
        and totals.measure_group = area_grid.measure_group
        and area_grid.geography_level = 'municipality'
    where totals.geography_level = 'county'
    union all
    select
        {{ relation_row('municipalities_to_county', 'municipality', 'false', source='area_grid') }},
    from area_grid
    semi join printed_area_totals as totals
        on area_grid.month_date = totals.month_date
        and area_grid.county_code = totals.county_code
        and area_grid.measure_type = totals.measure_type
        and area_grid.measure_group = totals.measure_group
        and totals.geography_level = 'county'
    where area_grid.geography_level = 'municipality' and left(area_grid.municipality_code, 2) = area_grid.county_code
),

{# Where a county table prints a measure group for all main groups and the sheets cover its every type. #}
covered_groups as (
    select
        area_grid.month_date,
        area_grid.county_code,
        area_grid.measure_group,
    from area_grid
    where area_grid.municipality_code is null
    group by area_grid.month_date, area_grid.county_code, area_grid.measure_group
    having count(distinct area_grid.measure_type) = (
        select count(*) from measure_types
        where
            measure_types.measure_group_code = area_grid.measure_group
            and area_grid.month_date between measure_types.valid_from
            and coalesce(measure_types.valid_to, date '9999-12-31')
    )
),

area_types_to_group as (
    select
        {{ relation_row('types_to_group', 'measure_type', 'true', source='grid') }},
    from grid
    semi join covered_groups
        on grid.month_date = covered_groups.month_date
        and grid.county_code = covered_groups.county_code
        and grid.measure_group = covered_groups.measure_group
    where grid.main_group = 'alle' and grid.is_published
    union all
    select
        {{ relation_row('types_to_group', 'measure_type', 'false', source='area_grid') }},
    from area_grid
    semi join grid
        on area_grid.month_date = grid.month_date
        and area_grid.county_code = grid.county_code
        and area_grid.measure_group = grid.measure_group
        and grid.main_group = 'alle'
        and grid.is_published
    semi join covered_groups
        on area_grid.month_date = covered_groups.month_date
        and area_grid.county_code = covered_groups.county_code
        and area_grid.measure_group = covered_groups.measure_group
    where area_grid.municipality_code is null
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
    union all
    select * from block_total_to_groups
    union all
    select * from area_county_rows
    union all
    select * from area_main_groups
    union all
    select * from area_municipalities
    union all
    select * from area_types_to_group
)

select * from final
