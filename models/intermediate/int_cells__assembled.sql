{#-
    One row per printed cell: each printed row split under its table's months (the n-th value under the
    n-th month of the header), with its table's groups and its bounds: a `*` is an unknown 0..3.

    Nothing is dropped here: a row without a table, a value without a month or a county outside its
    validity is kept with what is missing left NULL or flagged, and the tests in the YAML name it.
-#}
with

printed_rows as (
    select * from {{ ref('stg_nav__rows') }}
),

printed_tables as (
    select * from {{ ref('stg_nav__tables') }}
),

counties as (
    select * from {{ ref('ref_counties') }}
),

rows_in_tables as (
    select
        printed_rows.*,
        printed_tables.table_title,
        printed_tables.main_group,
        printed_tables.measure_group,
        printed_tables.month_labels,
        printed_tables.month_dates,
    from printed_rows
    left join printed_tables
        on printed_rows.source_file = printed_tables.source_file
        and printed_rows.header_line = printed_tables.header_line
),

{# Lists of unequal length unnest padded with NULLs: the test every_value_under_a_month refuses those. #}
cells as (
    select
        source_file,
        source_line,
        table_title,
        row_label,
        county_code,
        county_name,
        main_group,
        measure_group,
        unnest(month_labels) as month_label,
        unnest(month_dates) as month_date,
        unnest(values_as_printed) as value_as_printed,
        unnest(participant_counts) as participant_count,
    from rows_in_tables
),

bounded as (
    select
        cells.*,
        cells.value_as_printed = '*' as is_suppressed,
        coalesce(cells.participant_count, 0) as participant_count_low,
        coalesce(cells.participant_count, 3) as participant_count_high,
        counties.county_code is not null as is_county_valid,
    from cells
    left join counties
        on cells.county_code = counties.county_code
        and {{ county_valid_in('counties', 'cells.month_date') }}
)

select * from bounded
