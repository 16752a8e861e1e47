{#-
    One row per suppressed cell and published relation it takes part in (int_relations): the interval that
    relation alone gives it. The cheap bound the linear programs must never be wider than, and the words a
    publisher reads for a disclosure.
-#}
with

relations as (
    select * from {{ ref('int_relations') }}
),

months as (
    select * from {{ ref('ref_months') }}
),

sums as (
    select
        relation_key,
        sum(participant_count_low) filter (where is_total) as total_low,
        sum(participant_count_high) filter (where is_total) as total_high,
        sum(participant_count_low) filter (where not is_total) as parts_low,
        sum(participant_count_high) filter (where not is_total) as parts_high,
        count(*) filter (where not is_total and participant_count_low < participant_count_high)
            as suppressed_parts,
    from relations
    group by relation_key
),

bounds as (
    select
        relations.cell_key,
        relations.month_date,
        relations.relation_kind,
        relations.relation_key,
        relations.relation_name,
        relations.is_total,
        sums.total_low,
        sums.total_high,
        sums.parts_low,
        sums.parts_high,
        sums.suppressed_parts,
        case
            when relations.is_total then sums.parts_low
            else sums.total_low - (sums.parts_high - relations.participant_count_high)
        end as raw_low,
        case
            when relations.is_total then sums.parts_high
            else sums.total_high - (sums.parts_low - relations.participant_count_low)
        end as raw_high,
        months.month_name_nb,
    from relations
    inner join sums
        on relations.relation_key = sums.relation_key
    inner join months
        on month(relations.month_date) = months.month_number
    where relations.participant_count_low < relations.participant_count_high
),

final as (
    select
        cell_key,
        month_date,
        relation_kind,
        relation_key,
        greatest(raw_low, 0) as bound_low,
        least(raw_high, 3) as bound_high,
        {# In words a publisher reads: "Oppfølging, Mars: I alt (18,368) minus the other printed rows (18,365)". #}
        format('{}, {}: ', relation_name, month_name_nb) || case
            when is_total
                then
                    format(
                        'the {} add up to {}',
                        case relation_kind
                            when 'rows_to_national_total' then 'rows below I alt'
                            when 'main_groups_to_all_groups' then 'three main-group tables'
                            when 'groups_to_main_group_total' then 'measure groups'
                            else 'measure types'
                        end,
                        if(parts_low = parts_high, format('{:,}', parts_low), format('{:,}..{:,}', parts_low, parts_high))
                    )
            else format(
                '{} ({}) minus the {} ({:,}){}',
                case relation_kind
                    when 'main_groups_to_all_groups' then 'all main groups'
                    when 'types_to_group' then 'the measure group'
                    else 'I alt'
                end,
                if(total_low = total_high, format('{:,}', total_low), '*'),
                case relation_kind
                    when 'rows_to_national_total' then 'other printed rows'
                    when 'main_groups_to_all_groups' then 'other main-group tables'
                    when 'groups_to_main_group_total' then 'other measure groups'
                    else 'other measure types'
                end,
                parts_low,
                if(suppressed_parts > 1, format(' and {} other "*"', suppressed_parts - 1), '')
            )
        end as relation_description,
    from bounds
)

select * from final
