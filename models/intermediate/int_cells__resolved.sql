{#-
    One row per month, geography, main group and measure group that any document printed: the printed cell
    to use when several documents print the same cell (editions overlap, revisions reprint months).

    The same value printed twice is kept once (the document first by file name is cited). Different values
    stop the build, naming both files and lines, unless the build chooses a policy with the dbt variable
    `overlap_policy`: `latest_document` takes the document last by file name (name editions so that they
    sort by date). The cited source is `source_file`/`source_line`; the others are in `superseded_sources`.
-#}
{% set policy = var('overlap_policy', 'fail') %}
{% if policy not in ['fail', 'latest_document'] %}
    {{ exceptions.raise_compiler_error("overlap_policy must be 'fail' or 'latest_document', not '" ~ policy ~ "'") }}
{% endif %}
with

cells as (
    select * from {{ ref('stg_nav__cells') }}
),

compared as (
    {# Plain window aggregates, not count(distinct) over a window: a conflict is a cell whose smallest and
        largest printed value differ. #}
    select
        *,
        count(*) over cell as printed_count,
        min(value_key) over cell != max(value_key) over cell as has_conflict,
        row_number() over (
            cell order by source_file {{ 'desc' if policy == 'latest_document' else 'asc' }}, source_line
        ) as preference,
    from (select *, coalesce(cast(participant_count as varchar), '*') as value_key from cells)
    window cell as (partition by month_date, county_code, main_group_code, measure_group_code)
),

conflicts as (
    select
        count(distinct (month_date, county_code, main_group_code, measure_group_code)) as conflict_count,
        {# The first few conflicting prints with their files and lines, not thousands. #}
        array_to_string(list(
            format('{}:{} prints "{}" for {} / {} / {} {}', source_file, source_line, value_as_printed,
                table_title, row_label, month_label, year(month_date))
            order by month_date, main_group_code, measure_group_code, county_code, source_file
        )[1:10], '; ') || if(count(*) > 10, format('; and {} more', count(*) - 10), '') as conflict_list,
    from compared
    where has_conflict
),

{# Only cells printed by more than one document have other sources to cite. #}
sources as (
    select
        month_date,
        county_code,
        main_group_code,
        measure_group_code,
        string_agg(format('{}:{} = "{}"', source_file, source_line, value_as_printed), '; '
            order by source_file) filter (where preference > 1) as superseded_sources,
    from compared
    where printed_count > 1
    group by all
),

final as (
    select
        compared.* exclude (value_key, printed_count, has_conflict, preference),
        sources.superseded_sources,
    from compared
    left join sources using (month_date, county_code, main_group_code, measure_group_code)
    cross join conflicts
    where compared.preference = 1
        and (
            conflicts.conflict_count = 0
            or '{{ policy }}' != 'fail'
            or error(
                'int_cells__resolved: ' || conflicts.conflict_count || ' cell(s) printed with different values '
                || 'by different documents (choose a policy: make build OVERLAP=latest_document): '
                || conflicts.conflict_list
            )
        )
)

select * from final
