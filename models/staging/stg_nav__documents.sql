{#- One row per loaded document, with the months its period line covers. -#}
with

documents as (
    select * from {{ ref('raw_nav__documents') }}
),

months as (
    select * from {{ ref('ref_months') }}
),

final as (
    select
        documents.source_file,
        documents.sha256,
        documents.period_label,
        documents.period_line,
        documents.period_year,
        make_date(documents.period_year, first_month.month_number, 1) as period_start_date,
        make_date(documents.period_year, last_month.month_number, 1) as period_end_date,
        documents.table_count,
        documents.cell_count,
    from documents
    left join months as first_month
        on {{ normalise_label("regexp_extract(documents.period_label, '^\s*(\S+)', 1)") }}
        = {{ normalise_label('first_month.month_name_nb') }}
    left join months as last_month
        on {{ normalise_label("regexp_extract(documents.period_label, '(\S+)\s+\d{4}\s*$', 1)") }}
        = {{ normalise_label('last_month.month_name_nb') }}
)

select * from final
