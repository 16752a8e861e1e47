{#-
    One row per printed data row: its label as printed, flagged where it is its table's total ("I alt ..."),
    and its values split and typed, one per month of its table's header, with suppression explicit: a `*` is
    a NULL count, and so is a cell a workbook leaves empty (not printed). What the label names (a county, a
    measure group, a measure type) is looked up in intermediate (int_rows__coded).
-#}
with

source as (
    select * from {{ source('nav', 'raw_nav__rows') }}
),

split as (
    select
        source_file,
        source_sheet,
        source_line,
        header_line,
        row_kind,
        row_label,
        {{ normalise_label('row_label') }} like 'i alt%' as is_total,
        string_split(values_as_printed, chr(9)) as values_as_printed,
    from source
),

typed as (
    select
        *,
        {# Thousands separators vary (space, no-break space, thin space): keep the digits. #}
        list_transform(
            values_as_printed,
            lambda value: case when value not in ('*', '') then cast(regexp_replace(value, '\D', '', 'g') as integer) end  -- noqa: RF02
        ) as participant_counts,
    from split
)

select * from typed
