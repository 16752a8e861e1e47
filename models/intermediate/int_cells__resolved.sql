{#-
    One row per month, geography, main group, measure group and measure type that any document printed: the
    printed cell to use when several documents print the same cell (editions overlap, revisions reprint
    months). Cells a workbook leaves empty and national block totals are not figures here (see
    int_cells__assembled).

    The same value printed twice is kept once (the document first by file name is cited). Different values
    are a conflict (`has_conflict`), which the test `no_cell_printed_with_different_values` refuses, naming
    both files and lines, unless the build chooses the policy `latest_document` (dbt variable
    `overlap_policy`): the document last by file name wins (name editions so that they sort by date). The
    cited source is `source_file`/`source_line`; the others are in `superseded_sources`.
-#}
{#- The variable's value is checked before the run (macros/check_variables.sql, on-run-start). -#}
{% set policy = var('overlap_policy', 'fail') %}
with

cells as (
    select * from {{ ref('int_cells__assembled') }}
    where not is_blank and not is_block_total
),

keyed as (
    select
        *,
        coalesce(cast(participant_count as varchar), '*') as value_key,
    from cells
),

{# Plain window aggregates, not count(distinct) over a window: a conflict is a cell whose smallest and
    largest printed value differ. #}
compared as (
    select
        *,
        count(*) over cell as printed_count,
        min(value_key) over cell != max(value_key) over cell as has_conflict,
        row_number() over (
            cell order by source_file {{ 'desc' if policy == 'latest_document' else 'asc' }}, source_line asc
        ) as preference,
    from keyed
    window cell as (partition by month_date, county_code, main_group, measure_group, measure_type)
),

{# Only cells printed by more than one document have other sources to cite. #}
sources as (
    select
        month_date,
        county_code,
        main_group,
        measure_group,
        measure_type,
        string_agg(
            format('{}:{} = "{}"', source_file, source_position, value_as_printed), '; ' order by source_file
        ) filter (where preference > 1) as superseded_sources,
    from compared
    where printed_count > 1
    group by all
),

final as (
    select
        compared.* exclude (compared.value_key, compared.printed_count, compared.preference),
        sources.superseded_sources,
    from compared
    left join sources
        on compared.month_date = sources.month_date
        and compared.county_code = sources.county_code
        and compared.main_group = sources.main_group
        and compared.measure_group = sources.measure_group
        and compared.measure_type = sources.measure_type
    where compared.preference = 1
)

select * from final
