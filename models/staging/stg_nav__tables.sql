{#- One row per printed table (a block of a workbook sheet): the groups and measure type its title names,
    what its rows are, and the months its header names, as lists. -#}
with

source as (
    select * from {{ source('nav', 'raw_nav__tables') }}
),

renamed as (
    select
        source_file,
        source_sheet,
        header_line,
        title_line,
        table_title,
        main_group,
        measure_group,
        measure_type,
        row_kind,
        first_value_column,
        string_split(months_as_printed, chr(9)) as month_labels,
        cast(string_split(month_dates, chr(9)) as date[]) as month_dates,
    from source
)

select * from renamed
