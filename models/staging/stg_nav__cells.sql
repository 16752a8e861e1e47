{#-
    One row per printed cell, typed and labelled with stable codes.

    Unlike a plain staging model this one joins the reference label seeds: mapping NAV's printed labels to
    codes is the normalisation staging exists for, and every later model needs the codes. A label that
    matches no reference entry stops the build with the label and its line (see `final`), so no cell is
    ever dropped or left without a code.
-#}
with

cells as (
    {# Small inputs arrive as the seed, large ones through DuckDB's CSV reader (see raw_nav__cells_bulk). #}
    select * from {{ ref('raw_nav__cells') }}
    union all
    select * from {{ ref('raw_nav__cells_bulk') }}
),

documents as (
    select * from {{ ref('raw_nav__documents') }}
),

months as (
    select * from {{ ref('ref_months') }}
),

counties as (
    select * from {{ ref('ref_counties') }}
),

county_labels as (
    select * from {{ ref('ref_county_labels') }}
),

main_group_labels as (
    select * from {{ ref('ref_main_group_labels') }}
),

measure_group_labels as (
    select * from {{ ref('ref_measure_group_labels') }}
),

{# A title is a measure group label (all main groups) or "<main group label>, <measure group label>";
    nav_tiltak/parse.py's Vocabulary.table_codes reads titles the same way. #}
table_titles as (
    select
        measure.label as title_label,
        'alle' as main_group_code,
        measure.measure_group_code,
    from measure_group_labels as measure
    union all
    select
        main.label || ', ' || measure.label as title_label,
        main.main_group_code,
        measure.measure_group_code,
    from main_group_labels as main
    cross join measure_group_labels as measure
),

labelled as (
    select
        cells.source_file,
        cells.source_line,
        cells.table_title,
        cells.row_label,
        cells.month_label,
        cells.value_as_printed,
        make_date(documents.period_year, months.month_number, 1) as month_date,
        {# NAV labels the national row "I alt <table title>". #}
        case
            when {{ normalise_label('cells.row_label') }} like 'i alt%' then '00'
            else county_labels.county_code
        end as county_code,
        table_titles.main_group_code,
        table_titles.measure_group_code,
    from cells
    left join documents
        on cells.source_file = documents.source_file
    left join months
        on {{ normalise_label('cells.month_label') }} = {{ normalise_label('months.month_name_nb') }}
    left join county_labels
        on {{ normalise_label('cells.row_label') }} = {{ normalise_label('county_labels.label') }}
    left join table_titles
        on {{ normalise_label('cells.table_title') }} = {{ normalise_label('table_titles.title_label') }}
),

typed as (
    select
        labelled.*,
        counties.official_name as county_name,
        labelled.value_as_printed = '*' as is_suppressed,
        {# Thousands separators vary (space, no-break space, thin space): keep the digits. #}
        case
            when not is_suppressed then cast(regexp_replace(labelled.value_as_printed, '\D', '', 'g') as integer)
        end as participant_count,
        case when is_suppressed then 0 else participant_count end as participant_count_low,
        case when is_suppressed then 3 else participant_count end as participant_count_high,
    from labelled
    left join counties
        on labelled.county_code = counties.county_code
        and labelled.month_date between counties.valid_from and coalesce(counties.valid_to, date '9999-12-31')
),

{%- set problem -%}
    concat_ws(', ',
        case when month_date is null then format('month "{}"', month_label) end,
        case when county_code is null then format('county label "{}"', row_label) end,
        case when county_code is not null and county_name is null
            then format('county "{}" (code {}) in {}, outside its validity', row_label, county_code, month_label) end,
        case when main_group_code is null then format('table title "{}"', table_title) end
    ) || format(' at {}:{}', source_file, source_line)
{%- endset %}

unmatched as (
    select
        count(*) as problem_count,
        string_agg(problem, '; ' order by source_file, source_line) as problems,
    from (
        select distinct source_file, source_line, {{ problem }} as problem
        from typed
        where month_date is null or county_name is null or main_group_code is null
    )
),

final as (
    select
        typed.source_file,
        typed.source_line,
        typed.table_title,
        typed.row_label,
        typed.month_label,
        typed.value_as_printed,
        typed.month_date,
        typed.county_code,
        typed.county_name,
        typed.main_group_code,
        typed.measure_group_code,
        typed.participant_count,
        typed.is_suppressed,
        typed.participant_count_low,
        typed.participant_count_high,
    from typed
    cross join unmatched
    where unmatched.problem_count = 0
        or error(
            'stg_nav__cells: ' || unmatched.problem_count || ' printed label(s) match no reference entry '
            || '(add a spelling to seeds/reference/ref_*_labels.csv if it names a known entity): '
            || unmatched.problems
        )
)

select * from final
