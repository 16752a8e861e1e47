{#- One row per measure type (tiltakstype) of NAV's national tables, with its measure group and validity. -#}
with

measure_types as (
    select * from {{ ref('ref_measure_types') }}
),

final as (
    select
        measure_type_code as measure_type,
        measure_type_name_nb,
        measure_type_name_en,
        measure_group_code as measure_group,
        valid_from,
        valid_to,
        sort_order,
    from measure_types
)

{# Stored in key order, which the exports keep (see nav_tiltak.publish.export_marts). #}
select * from final
order by measure_type
