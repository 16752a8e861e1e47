{#-
    One row per printed cell, typed and labelled with stable codes.

    The loader writes one raw row per printed line; here each row is matched to its table and labels once,
    then split into its cells (the n-th value under the n-th month of the table's header).

    Unlike a plain staging model this one joins the reference label seeds: mapping NAV's printed labels to
    codes is the normalisation staging exists for, and every later model needs the codes. A label that
    matches no reference entry stops the build with the label and its line (see `final`), so no cell is
    ever dropped or left without a code.
-#}
with

printed_rows as (
    select * from {{ ref('raw_nav__rows') }}
),

printed_tables as (
    select * from {{ ref('raw_nav__tables') }}
),

documents as (
    select * from {{ ref('raw_nav__documents') }}
),

counties as (
    select * from {{ ref('ref_counties') }}
),

county_labels as (
    select * from {{ ref('ref_county_labels') }}
),

{# The groups a title names and the months a header names were decided by the loader
    (nav_tiltak/parse.py), which wrote them beside the title and header as printed: read, not re-parsed. #}
labelled_rows as (
    select
        printed_rows.source_file,
        printed_rows.source_line,
        printed_rows.header_line,
        printed_tables.table_title,
        printed_rows.row_label,
        printed_tables.months_as_printed,
        printed_tables.month_numbers,
        printed_rows.values_as_printed,
        documents.period_year,
        {# NAV labels the national row "I alt <table title>". #}
        case
            when {{ normalise_label('printed_rows.row_label') }} like 'i alt%' then '00'
            else county_labels.county_code
        end as county_code,
        printed_tables.main_group_code,
        printed_tables.measure_group_code,
    from printed_rows
    left join printed_tables
        on printed_rows.source_file = printed_tables.source_file
        and printed_rows.header_line = printed_tables.header_line
    left join documents
        on printed_rows.source_file = documents.source_file
    left join county_labels
        on {{ normalise_label('printed_rows.row_label') }} = {{ normalise_label('county_labels.label') }}
),

cells as (
    {# Lists of unequal length would unnest padded with NULLs: `final` refuses those. #}
    select
        source_file,
        source_line,
        table_title,
        row_label,
        period_year,
        county_code,
        main_group_code,
        measure_group_code,
        unnest(string_split(months_as_printed, chr(9))) as month_label,
        unnest(string_split(month_numbers, chr(9))) as month_number,
        unnest(string_split(values_as_printed, chr(9))) as value_as_printed,
    from labelled_rows
),

labelled as (
    select
        cells.* exclude (period_year, month_number),
        make_date(cells.period_year, cast(cells.month_number as integer), 1) as month_date,
    from cells
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

{#- What is wrong with a printed row (its table, county label or title), or with one of its cells. -#}
{%- set row_problem -%}
    concat_ws(', ',
        case when table_title is null then format('no month header at line {}', header_line) end,
        case when county_code is null then format('county label "{}"', row_label) end
    )
{%- endset %}
{%- set cell_problem -%}
    concat_ws(', ',
        case when month_label is null or value_as_printed is null
            then 'a different number of values than months in its header' end,
        case when county_code is not null and county_name is null and month_date is not null
            then format('county "{}" (code {}) in {}, outside its validity', row_label, county_code, month_label) end
    )
{%- endset %}

unmatched as (
    select
        count(*) as problem_count,
        {# The first few, named with their file and line: a document with thousands of bad labels gives a
            message a person reads, not one line of hundreds of kilobytes. #}
        array_to_string(list(problem || format(' at {}:{}', source_file, source_line)
            order by source_file, source_line)[1:5], '; ') as problems,
    from (
        select distinct source_file, source_line, {{ row_problem }} as problem
        from labelled_rows
        where table_title is null or county_code is null
        union
        select distinct source_file, source_line, {{ cell_problem }} as problem
        from typed
        where month_label is null or value_as_printed is null or month_date is null
            or (county_code is not null and county_name is null)
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
            || unmatched.problems || if(unmatched.problem_count > 5, format('; and {} more', unmatched.problem_count - 5), '')
        )
)

select * from final
