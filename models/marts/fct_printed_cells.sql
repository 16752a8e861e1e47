{#- One row per cell NAV printed, with its source file and line: the grain every mart figure traces back
    to. Suppressed cells are NULL with bounds 0..3.

    A view (see the YAML): int_cells__resolved is stored in this mart's key order, which its scans, BI tools'
    and the exports keep, so a copy of every printed cell would only cost time. -#}
with

{# A national block's total is checked against its parts (int_relations), and is no figure of a group. #}
cells as (
    select * from {{ ref('int_cells__resolved') }}
    where not is_block_total
),

final as (
    select
        month_date,
        county_code,
        municipality_code,
        main_group,
        measure_group,
        measure_type,
        participant_count,
        participant_count_low,
        participant_count_high,
        is_suppressed,
        value_as_printed,
        table_title,
        row_label,
        month_label,
        source_file,
        source_line,
        source_position,
        superseded_sources,
    from cells
)

select * from final
