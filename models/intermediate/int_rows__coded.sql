{#-
    One row per printed data row (stg_nav__rows), its label normalised to a stable code by what the rows of
    its table are: a county (with its official name), a measure group or a measure type, looked up in the
    reference seeds of NAV's spellings (ref_county_labels, ref_measure_group_labels, ref_measure_type_labels),
    case and whitespace folded on both sides. A row "I alt ..." is its table's total: Norway (00) in a county
    table, `alle` in a national workbook. A label that names nothing stays NULL here, and the test
    `county_label_is_known` stops the build naming it and its place.
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
    from printed_rows
),

coded as (
    select
        folded.*,
        case
            when folded.row_kind != 'county' or folded.is_total then '00' else county_labels.county_code
        end as county_code,
        case
            when folded.row_kind != 'measure_group' then null
            when folded.is_total then 'alle'
            else measure_group_labels.measure_group_code
        end as measure_group,
        case
            when folded.row_kind != 'measure_type' or folded.is_total then 'alle'
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

named as (
    select
        coded.* exclude (coded.folded_label),
        counties.official_name as county_name,
    from coded
    left join counties
        on coded.county_code = counties.county_code
)

select * from named
