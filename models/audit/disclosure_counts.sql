{#-
    The disclosure audit's counts that reveal no suppressed value, for the warehouse BI tools open: per table,
    per sheet (and the relations that reveal) and overall, how many `*` the published tables pin exactly (a
    value, 0 or 1-3, not said which), narrow, or leave protected. The cell-by-cell results, the months and
    whether an exact value is 0 are in the publisher's database only (disclosure_summary and the rest of
    this folder): a count over few cells would tell them.
-#}
with

summary as (
    select * from {{ ref('disclosure_summary') }}
    where summary_level in ('table', 'sheet', 'all')
),

final as (
    select
        summary_level,
        source_sheet,
        revealed_by_kinds,
        table_title,
        main_group,
        measure_group,
        suppressed_count,
        exact_positive_count + exact_zero_count as exact_count,
        narrowed_count,
        protected_count,
    from summary
)

select * from final
