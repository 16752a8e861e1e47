{#-
    One row per printed cell: each printed row split under its table's months (the n-th value under the
    n-th month of the header), keyed by month, geography (a county, or a municipality of a county), main
    group, measure group and measure type (`alle` where the table is not by measure type; a county or
    municipality sheet's block gives its measure type to its rows), with its bounds (a `*` is an unknown
    0..3) and its place in the document: the line of a text document, the sheet and cell of a workbook
    ("Ark1!C21").

    A cell a workbook leaves empty is kept, flagged `is_blank` (not printed: the grid leaves its figure out,
    never 0). A national workbook's block total ("I alt ... på tiltak" in TILT110-180) is kept as
    `is_block_total`: the sum of its measure types (TILT180's spans two measure groups), checked, not a mart
    figure. Nothing is dropped: what does not fit is flagged, and the tests in the YAML name it.
-#}
with

printed_rows as (
    select * from {{ ref('int_rows__coded') }}
),

printed_tables as (
    select * from {{ ref('stg_nav__tables') }}
),

documents as (
    select * from {{ ref('stg_nav__documents') }}
),

counties as (
    select * from {{ ref('ref_counties') }}
),

municipalities as (
    select * from {{ ref('ref_municipalities') }}
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

rows_in_tables as (
    select
        printed_rows.*,
        printed_tables.table_title,
        printed_tables.main_group,
        printed_tables.first_value_column,
        printed_tables.month_labels,
        printed_tables.month_dates,
        documents.geography,
        documents.table_code,
        documents.period_end_date as document_period_end_date,
        coalesce(printed_rows.measure_group, printed_tables.measure_group) as table_measure_group,
        printed_tables.measure_type as table_measure_type,
    from printed_rows
    left join printed_tables
        on printed_rows.source_file = printed_tables.source_file
        and printed_rows.source_sheet is not distinct from printed_tables.source_sheet
        and printed_rows.header_line = printed_tables.header_line
    left join documents
        on printed_rows.source_file = documents.source_file
),

{# Lists of unequal length unnest padded with NULLs: the test every_value_under_a_month refuses those. #}
cells as (
    select
        source_file,
        source_sheet,
        source_line,
        header_line,
        first_value_column,
        table_title,
        table_code,
        geography,
        document_period_end_date,
        row_kind,
        row_label,
        is_total,
        county_code,
        county_name,
        municipality_code,
        main_group,
        table_measure_group,
        case when row_kind in ('county', 'municipality') then table_measure_type else measure_type end as measure_type,
        unnest(month_labels) as month_label,
        unnest(month_dates) as month_date,
        unnest(values_as_printed) as value_as_printed,
        unnest(participant_counts) as participant_count,
        unnest(generate_series(0, len(values_as_printed) - 1)) as value_index,
    from rows_in_tables
),

keyed as (
    select
        cells.* exclude (cells.table_measure_group, cells.value_index),
        {# A measure type's group comes from the reference seed; a block total's types span the table's groups. #}
        case
            when cells.row_kind != 'measure_type' then cells.table_measure_group
            when not cells.is_total then measure_types.measure_group_code
        end as measure_group,
        cells.row_kind = 'measure_type' and cells.is_total as is_block_total,
        {# Which of NAV's tables the cell is in: county tables (the text ones, or saved as a workbook), a
            national sheet (TILT100-180), or a county or a municipality sheet (a block per measure type). #}
        case
            when cells.row_kind in ('measure_group', 'measure_type') then 'national'
            when cells.row_kind = 'municipality' then 'municipality_sheet'
            when cells.measure_type != 'alle' then 'county_sheet'
            else 'county_table'
        end as table_kind,
        cells.value_as_printed = '' as is_blank,
        cells.value_as_printed = '*' as is_suppressed,
        coalesce(cells.participant_count, 0) as participant_count_low,
        coalesce(cells.participant_count, 3) as participant_count_high,
        case
            when cells.source_sheet is null then cast(cells.source_line as varchar)
            else format(
                '{}!{}{}', cells.source_sheet, {{ column_letter('cells.first_value_column + cells.value_index') }},
                cells.source_line
            )
        end as source_position,
        counties.county_code is not null as is_county_valid,
        municipalities.municipality_name,
        cells.municipality_code is null or municipalities.municipality_code is not null as is_municipality_valid,
        cells.measure_type = 'alle' or cells.value_as_printed = ''
        or measure_types.measure_type_code is not null and cells.month_date between measure_types.valid_from
        and coalesce(measure_types.valid_to, date '9999-12-31') as is_measure_type_valid,
        case when cells.measure_type = 'alle' then 0 else measure_types.sort_order end as measure_type_order,
    from cells
    left join counties
        on cells.county_code = counties.county_code
        and {{ county_valid_in('counties', 'cells.month_date') }}
    left join municipalities
        on cells.municipality_code = municipalities.municipality_code
        and {{ county_valid_in('municipalities', 'cells.month_date') }}
    left join measure_types
        on cells.measure_type = measure_types.measure_type_code
),

{# The cell's id (macros/cell_id.sql); a block total's names its table (TILT110 -> 110), not a group. #}
identified as (
    select
        keyed.* exclude (keyed.measure_type_order),
        case
            when keyed.is_block_total
                then {{ cell_id(
                    'keyed.month_date', geography('keyed.county_code'), 'main_groups.sort_order', '0',
                    "cast(regexp_extract(keyed.table_code, '\\d+$') as integer)"
                ) }}
            else {{ cell_id(
                'keyed.month_date', geography('keyed.county_code', 'keyed.municipality_code'),
                'main_groups.sort_order', 'measure_groups.sort_order', 'keyed.measure_type_order'
            ) }}
        end as cell_id,
    from keyed
    left join main_groups
        on keyed.main_group = main_groups.main_group_code
    left join measure_groups
        on keyed.measure_group = measure_groups.measure_group_code
)

select * from identified
