{#-
    One row per cell (month, geography, main group, measure group and measure type, or a national block's
    total: one `cell_id`) that any document printed: the printed cell to use when several documents print
    the same cell (editions overlap, revisions reprint months). Cells a workbook leaves empty are not figures
    here (see int_cells__assembled); a national block's total is kept, flagged `is_block_total`, for the
    relations, and is no mart figure.

    The same value printed twice is kept once (the document first by file name is cited). Different values
    are a conflict (`has_conflict`), which the test `no_cell_printed_with_different_values` refuses, naming
    both files and places, unless the build chooses the policy `latest_document` (dbt variable
    `overlap_policy`): the document whose period ends latest, as the loader read it, wins (between documents
    of the same period, the last by file name). The cited source is `source_file`/`source_line`; the others
    are in `superseded_sources`.
-#}
{#- The variable's value is checked before the run (macros/check_variables.sql, on-run-start). -#}
{% set policy = var('overlap_policy', 'fail') %}
{% set preferred = 'document_period_end_date desc, source_file desc' if policy == 'latest_document'
    else 'source_file asc' %}
with

cells as (
    select * from {{ ref('int_cells__assembled') }}
    where not is_blank
),

{# Most cells are printed once: only the few printed more than once are compared and ranked (a window over
    every cell sorted all of them, the slowest step of the build at 1,000 editions). #}
repeated_keys as (
    select cell_id
    from cells
    group by cell_id
    having count(*) > 1
),

repeated as (
    select cells.*
    from cells
    semi join repeated_keys
        on cells.cell_id = repeated_keys.cell_id
),

{# Plain window aggregates, not count(distinct) over a window: a conflict is a cell whose smallest and
    largest printed value differ. #}
compared as (
    select
        *,
        min(coalesce(cast(participant_count as varchar), '*')) over cell
        != max(coalesce(cast(participant_count as varchar), '*')) over cell as has_conflict,
        {# Two sheets of one document (a county sheet's and a municipality sheet's "I alt") are no editions:
            no policy chooses between them. #}
        min(coalesce(cast(participant_count as varchar), '*')) over document_cell
        != max(coalesce(cast(participant_count as varchar), '*')) over document_cell as has_document_conflict,
        row_number() over (cell order by {{ preferred }}, source_line asc, source_position asc) as preference,
    from repeated
    window cell as (partition by cell_id), document_cell as (partition by cell_id, source_file)
),

sources as (
    select
        cell_id,
        string_agg(
            format('{}:{} = "{}"', source_file, source_position, value_as_printed), '; ' order by source_file
        ) filter (where preference > 1) as superseded_sources,
    from compared
    group by cell_id
),

printed_once as (
    select
        cells.*,
        false as has_conflict,
        false as has_document_conflict,
        cast(null as varchar) as superseded_sources,
    from cells
    anti join repeated_keys
        on cells.cell_id = repeated_keys.cell_id
),

chosen as (
    select
        compared.* exclude (compared.preference),
        sources.superseded_sources,
    from compared
    inner join sources
        on compared.cell_id = sources.cell_id
    where compared.preference = 1
),

final as (
    select * from printed_once
    union all by name
    select * from chosen
)

{# Stored in key order: fct_printed_cells is a view of this table, and its exports keep the order. #}
select * from final
order by month_date, county_code, municipality_code nulls first, main_group, measure_group, measure_type, cell_id
