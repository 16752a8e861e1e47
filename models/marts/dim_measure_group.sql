{#- One row per measure group (tiltaksgruppe), with `alle` for all measure groups together. -#}
with

measure_groups as (
    select * from {{ ref('ref_measure_groups') }}
),

final as (
    select
        measure_group_code as measure_group,
        measure_group_name_nb,
        measure_group_name_en,
        sort_order,
    from measure_groups
)

{# Stored in key order, which the exports keep (see nav_tiltak.publish.export_marts). #}
select * from final
order by measure_group
