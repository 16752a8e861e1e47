{#- One row per loaded document: its checksum, what it covers (county tables, or NAV's national workbooks)
    and the months its period covers. -#}
with

source as (
    select * from {{ source('nav', 'raw_nav__documents') }}
),

renamed as (
    select
        source_file,
        sha256,
        table_code,
        geography,
        period_label,
        period_line,
        period_year,
        period_start_date,
        period_end_date,
        table_count,
        cell_count,
    from source
)

select * from renamed
