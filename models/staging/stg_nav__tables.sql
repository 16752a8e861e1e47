{#- One row per printed table: the groups its title names and the months its header names, as lists. -#}
with

source as (
    select * from {{ ref('raw_nav__tables') }}
),

renamed as (
    select
        source_file,
        header_line,
        title_line,
        table_title,
        main_group,
        measure_group,
        string_split(months_as_printed, chr(9)) as month_labels,
        cast(string_split(month_dates, chr(9)) as date[]) as month_dates,
    from source
)

select * from renamed
