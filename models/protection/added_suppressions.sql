{#-
    The side file of `make protect`: one row per printing of each cell the plan suppresses as well (a cell
    printed by two documents is suppressed in both), with where it is and what it printed.
-#}
with

plan as (
    select * from {{ ref('suppression_plan') }}
),

printed as (
    select * from {{ ref('int_cells__assembled') }}
    where not is_blank and not is_suppressed
),

added as (
    select
        component_cell_id,
        unnest(added_cell_ids) as cell_id,
    from plan
),

final as (
    select
        added.cell_id,
        added.component_cell_id,
        printed.month_date,
        printed.table_title,
        printed.row_label,
        printed.month_label,
        printed.value_as_printed,
        printed.participant_count_low as participant_count,
        printed.source_file,
        printed.source_sheet,
        printed.source_line,
        printed.header_line,
        printed.source_position,
    from added
    inner join printed
        on added.cell_id = printed.cell_id
)

select * from final
order by source_file, source_line, source_position
