{#- One row per municipality of NAV's municipality sheets (the 2024 structure, Svalbard among them), with its
    county, and NAV's two rows of those sheets that are no municipality (9899 other areas, 9999 unknown). -#}
with

municipalities as (
    select * from {{ ref('ref_municipalities') }}
),

final as (
    select
        municipality_code,
        municipality_name,
        county_code,
        geography_level,
        valid_from,
        valid_to,
    from municipalities
)

{# Stored in key order, which the exports keep (see nav_tiltak.publish.export_marts). #}
select * from final
order by municipality_code
