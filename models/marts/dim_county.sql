{#- One row per geography: Norway (00), each county of either county structure, and NAV's two rows that are
    not counties, "Øvrige områder" (98) and "Ukjent" (99). -#}
with

counties as (
    select * from {{ ref('ref_counties') }}
),

final as (
    select
        county_code,
        official_name as county_name,
        norwegian_name as county_name_nb,
        english_name as county_name_en,
        geography_level,
        valid_from,
        valid_to,
        replaced_by,
        sort_order,
    from counties
)

{# Stored in key order, which the exports keep (see nav_tiltak.publish.export_marts). #}
select * from final
order by county_code
