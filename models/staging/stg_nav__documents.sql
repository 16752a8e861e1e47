{#- One row per loaded document, with the months its period line covers (as the loader read them). -#}
with

documents as (
    select * from {{ ref('raw_nav__documents') }}
),

final as (
    select
        source_file,
        sha256,
        period_label,
        period_line,
        period_year,
        make_date(period_year, period_first_month, 1) as period_start_date,
        make_date(period_year, period_last_month, 1) as period_end_date,
        table_count,
        cell_count,
    from documents
)

select * from final
