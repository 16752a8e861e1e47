{#- One row per loaded document: its checksum and the months its period line covers. -#}
with

source as (
    select * from {{ ref('raw_nav__documents') }}
),

renamed as (
    select
        source_file,
        sha256,
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
