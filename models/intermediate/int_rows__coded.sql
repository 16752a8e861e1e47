{#-
    One row per printed data row (stg_nav__rows), its label normalised to a stable code by what the rows of
    its table are: a county (with its official name), a municipality (with its county), a measure group or a
    measure type, looked up in the reference seeds (NAV's spellings: ref_county_labels, ref_municipalities,
    ref_measure_group_labels, ref_measure_type_labels), case and whitespace folded on both sides. A label
    may carry its number: "03 Oslo" (a county: the number and a spelling of that county), "0301 Oslo" (a
    municipality: the number and its name, before any " - " of its parallel names). In a municipality sheet a
    row without a number is one of NAV's rows that are no county (98, 99), and its own geography (9899, 9999).
    A row "I alt ..." is its table's total: Norway (00), or `alle`. A label that names nothing stays NULL,
    and the test `county_label_is_known` stops the build naming it and its place.
-#}
with

printed_rows as (
    select * from {{ ref('stg_nav__rows') }}
),

county_labels as (
    select * from {{ ref('ref_county_labels') }}
),

counties as (
    select * from {{ ref('ref_counties') }}
),

municipalities as (
    select * from {{ ref('ref_municipalities') }}
),

measure_group_labels as (
    select * from {{ ref('ref_measure_group_labels') }}
),

measure_type_labels as (
    select * from {{ ref('ref_measure_type_labels') }}
),

folded as (
    select
        *,
        {{ normalise_label('row_label') }} as folded_label,
        nullif(regexp_extract({{ normalise_label('row_label') }}, '^(\d{2}) (.+)$', 1), '') as county_number,
        regexp_extract({{ normalise_label('row_label') }}, '^\d{2} (.+)$', 1) as county_named,
        nullif(regexp_extract({{ normalise_label('row_label') }}, '^(\d{4}) (.+)$', 1), '') as municipality_number,
        split_part(regexp_extract({{ normalise_label('row_label') }}, '^\d{4} (.+)$', 1), ' - ', 1)
            as municipality_named,
    from printed_rows
),

{# The geography a county or municipality row names: by its number and name, or by a spelling alone. #}
placed as (
    select
        folded.*,
        case
            when folded.row_kind = 'county' then coalesce(by_number.county_code, by_label.county_code)
            when folded.municipality_number is not null then municipalities.county_code
            when other.geography_level in ('other', 'unknown') then by_label.county_code
        end as area_county_code,
        case
            when folded.row_kind != 'municipality' then null
            when folded.municipality_number is not null then municipalities.municipality_code
            when other.geography_level in ('other', 'unknown') then by_label.county_code || '99'
        end as municipality_code,
    from folded
    left join county_labels as by_number
        on folded.row_kind = 'county'
        and folded.county_number = by_number.county_code
        and folded.county_named = {{ normalise_label('by_number.label') }}
    left join county_labels as by_label
        on folded.row_kind in ('county', 'municipality')
        and folded.folded_label = {{ normalise_label('by_label.label') }}
    left join counties as other
        on by_label.county_code = other.county_code
    left join municipalities
        on folded.municipality_number = municipalities.municipality_code
        and folded.municipality_named = {{ normalise_label('municipalities.municipality_name') }}
),

coded as (
    select
        placed.* exclude (
            placed.county_number, placed.county_named, placed.municipality_number, placed.municipality_named,
            placed.area_county_code
        ),
        case
            when placed.row_kind not in ('county', 'municipality') or placed.is_total then '00'
            else placed.area_county_code
        end as county_code,
        case
            when placed.row_kind != 'measure_group' then null
            when placed.is_total then 'alle'
            else measure_group_labels.measure_group_code
        end as measure_group,
        case
            when placed.row_kind != 'measure_type' or placed.is_total then 'alle'
            else measure_type_labels.measure_type_code
        end as measure_type,
    from placed
    left join measure_group_labels
        on placed.row_kind = 'measure_group'
        and placed.folded_label = {{ normalise_label('measure_group_labels.label') }}
    left join measure_type_labels
        on placed.row_kind = 'measure_type'
        and placed.folded_label = {{ normalise_label('measure_type_labels.label') }}
),

named as (
    select
        coded.* exclude (coded.folded_label, coded.municipality_code),
        case when not coded.is_total then coded.municipality_code end as municipality_code,
        counties.official_name as county_name,
    from coded
    left join counties
        on coded.county_code = counties.county_code
)

select * from named
