{#-
    One row per printed data row: its label normalised to a stable code by what the rows of its table are
    (a county, a measure group, a measure type), and its values typed, one per month of its table's header,
    with suppression explicit: a `*` is a NULL count, and so is a cell a workbook leaves empty (not printed).

    Labels are looked up in the reference seeds of NAV's spellings (ref_county_labels,
    ref_measure_group_labels, ref_measure_type_labels). A row "I alt ..." is its table's total: Norway (00)
    in a county table, all measure groups or types (`alle`) in a national workbook. A label that names nothing
    stays NULL here, and the test `row_label_is_known` stops the build naming it and its place.
-#}
with

source as (
    select * from {{ source('nav', 'raw_nav__rows') }}
),

county_labels as (
    select * from {{ ref('ref_county_labels') }}
),

counties as (
    select * from {{ ref('ref_counties') }}
),

measure_group_labels as (
    select * from {{ ref('ref_measure_group_labels') }}
),

measure_type_labels as (
    select * from {{ ref('ref_measure_type_labels') }}
),

folded as (
    select
        source_file,
        source_sheet,
        source_line,
        header_line,
        row_kind,
        row_label,
        {{ normalise_label('row_label') }} as folded_label,
        {{ normalise_label('row_label') }} like 'i alt%' as is_total,
        string_split(values_as_printed, chr(9)) as values_as_printed,
    from source
),

coded as (
    select
        folded.*,
        case
            when folded.row_kind != 'county' then '00'
            when folded.is_total then '00'
            else county_labels.county_code
        end as county_code,
        case
            when folded.row_kind != 'measure_group' then null
            when folded.is_total then 'alle'
            else measure_group_labels.measure_group_code
        end as measure_group,
        case
            when folded.row_kind != 'measure_type' then 'alle'
            when folded.is_total then 'alle'
            else measure_type_labels.measure_type_code
        end as measure_type,
    from folded
    left join county_labels
        on folded.row_kind = 'county'
        and folded.folded_label = {{ normalise_label('county_labels.label') }}
    left join measure_group_labels
        on folded.row_kind = 'measure_group'
        and folded.folded_label = {{ normalise_label('measure_group_labels.label') }}
    left join measure_type_labels
        on folded.row_kind = 'measure_type'
        and folded.folded_label = {{ normalise_label('measure_type_labels.label') }}
),

typed as (
    select
        coded.source_file,
        coded.source_sheet,
        coded.source_line,
        coded.header_line,
        coded.row_kind,
        coded.row_label,
        coded.is_total,
        coded.county_code,
        counties.official_name as county_name,
        coded.measure_group,
        coded.measure_type,
        coded.values_as_printed,
        {# Thousands separators vary (space, no-break space, thin space): keep the digits. #}
        list_transform(
            coded.values_as_printed,
            lambda value: case when value not in ('*', '') then cast(regexp_replace(value, '\D', '', 'g') as integer) end  -- noqa: RF02
        ) as participant_counts,
    from coded
    left join counties
        on coded.county_code = counties.county_code
)

select * from typed
