{#- One row per main group (hovedgruppe), with `alle` for all main groups together. -#}
with

main_groups as (
    select * from {{ ref('ref_main_groups') }}
),

final as (
    select
        main_group_code as main_group,
        main_group_name_nb,
        main_group_name_en,
        sort_order,
    from main_groups
)

{# Stored in key order, which the exports keep (see nav_tiltak.publish.export_marts). #}
select * from final
order by main_group
