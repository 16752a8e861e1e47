{#-
    One row per table and month, per table, per month, per sheet (a workbook's sheet, or a text document:
    `source_sheet` empty) and the relations that reveal its cells, and overall (`summary_level`): how many
    suppressed cells the published totals reveal exactly, narrow, or leave protected.
-#}
with

intervals as (
    select * from {{ ref('suppressed_cell_intervals') }}
),

final as (
    select
        case
            when grouping(table_title) = 0 and grouping(month_date) = 0 then 'table_month'
            when grouping(table_title) = 0 then 'table'
            when grouping(month_date) = 0 then 'month'
            when grouping(source_sheet) = 0 then 'sheet'
            else 'all'
        end as summary_level,
        source_sheet,
        revealed_by_kinds,
        table_title,
        main_group,
        measure_group,
        month_date,
        count(*) as suppressed_count,
        count(*) filter (where status = 'exact_positive') as exact_positive_count,
        count(*) filter (where status = 'exact_zero') as exact_zero_count,
        count(*) filter (where status = 'narrowed') as narrowed_count,
        count(*) filter (where status = 'protected') as protected_count,
    from intervals
    group by grouping sets (
        (table_title, main_group, measure_group, month_date),
        (table_title, main_group, measure_group),
        (month_date),
        (source_sheet, revealed_by_kinds),
        ()
    )
)

select * from final
