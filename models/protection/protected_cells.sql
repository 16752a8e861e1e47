{#-
    The re-audit in words: one row per suppressed cell (primary `*` or added secondary) per pattern, with
    what it printed, where, its interval as the strongest attacker computes it, and whether it meets the
    protection rule. For the publisher (`make protect`); the BI marts never show these.
-#}
with

intervals as (
    select * from {{ ref('protected_cell_intervals') }}
),

{# A cell printed by two documents (a national block, overlapping editions) is named by the first. #}
printed as (
    select * from {{ ref('int_cells__assembled') }}
    where not is_blank
    qualify row_number() over (partition by cell_id order by source_file, source_position) = 1
),

final as (
    select
        intervals.pattern,
        intervals.cell_id,
        printed.month_date,
        printed.table_title,
        printed.row_label,
        printed.value_as_printed,
        {# the printed count of a cell suppressed as well: what its suppression costs #}
        case when not printed.is_suppressed then printed.participant_count_low end as participant_count,
        printed.source_file,
        printed.source_position,
        intervals.is_secondary,
        intervals.interval_low,
        intervals.interval_high,
        intervals.required_width,
        intervals.attainable_width,
        case
            when intervals.is_secondary then 'secondary'
            when not intervals.is_protected then 'exempt_zero'
            when intervals.interval_high - intervals.interval_low < intervals.required_width then 'short_of_rule'
            when intervals.required_width < {{ var('protection_width', 3) }} then 'widest_possible'
            else 'meets_rule'
        end as status,
    from intervals
    inner join printed
        on intervals.cell_id = printed.cell_id
)

select * from final
order by pattern, cell_id
