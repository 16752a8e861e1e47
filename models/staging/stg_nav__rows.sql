{#-
    One row per printed data row: its county label normalised to the county's code and official name, and
    its values typed, one per month of its table, with suppression explicit: a `*` is a NULL count.

    The row label is looked up in the reference seed of NAV's spellings (ref_county_labels); NAV labels the
    national row "I alt <table title>". A label that names no county stays NULL here, and the test
    `county_label_is_known` stops the build naming it and its line.
-#}
with

source as (
    select * from {{ ref('raw_nav__rows') }}
),

county_labels as (
    select * from {{ ref('ref_county_labels') }}
),

counties as (
    select * from {{ ref('ref_counties') }}
),

folded as (
    select
        source_file,
        source_line,
        header_line,
        row_label,
        {{ normalise_label('row_label') }} as folded_label,
        string_split(values_as_printed, chr(9)) as values_as_printed,
    from source
),

coded as (
    select
        folded.*,
        case when folded.folded_label like 'i alt%' then '00' else county_labels.county_code end as county_code,
    from folded
    left join county_labels
        on folded.folded_label = {{ normalise_label('county_labels.label') }}
),

typed as (
    select
        coded.source_file,
        coded.source_line,
        coded.header_line,
        coded.row_label,
        coded.county_code,
        counties.official_name as county_name,
        coded.values_as_printed,
        {# Thousands separators vary (space, no-break space, thin space): keep the digits. #}
        list_transform(
            coded.values_as_printed,
            lambda value: case when value != '*' then cast(regexp_replace(value, '\D', '', 'g') as integer) end  -- noqa: RF02
        ) as participant_counts,
    from coded
    left join counties
        on coded.county_code = counties.county_code
)

select * from typed
