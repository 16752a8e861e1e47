{#-
    One row per suppressed cell and published relation it takes part in (int_relations): the interval that
    relation alone gives it. The cheap bound the linear programs must never be wider than, and the words a
    publisher reads for a disclosure.
-#}
with

relations as (
    select * from {{ ref('int_relations') }}
),

resolved as (
    select * from {{ ref('int_cells__resolved') }}
),

months as (
    select * from {{ ref('ref_months') }}
),

main_groups as (
    select * from {{ ref('ref_main_groups') }}
),

measure_groups as (
    select * from {{ ref('ref_measure_groups') }}
),

{# What was printed for a cell, by its id (a national block's total too). #}
printed as (
    select
        cell_id,
        table_title,
        county_name,
        main_group,
        measure_group,
    from resolved
),

sums as (
    select
        relation_id,
        sum(participant_count_low) filter (where is_total) as total_low,
        sum(participant_count_high) filter (where is_total) as total_high,
        sum(participant_count_low) filter (where not is_total) as parts_low,
        sum(participant_count_high) filter (where not is_total) as parts_high,
        count(*) filter (where not is_total and participant_count_low < participant_count_high)
            as suppressed_parts,
    from relations
    group by relation_id
),

suppressed as (
    select * from relations
    where participant_count_low < participant_count_high
),

{# The printed title of each relation's total, for the relations that hold a suppressed cell. #}
total_titles as (
    select
        relations.relation_id,
        min(printed.table_title) as total_title,
    from relations
    inner join printed
        on relations.cell_id = printed.cell_id
    where relations.is_total and relations.relation_id in (select suppressed.relation_id from suppressed)
    group by relations.relation_id
),

bounds as (
    select
        suppressed.cell_id,
        suppressed.month_date,
        suppressed.relation_kind,
        suppressed.relation_id,
        suppressed.is_total,
        sums.total_low,
        sums.total_high,
        sums.parts_low,
        sums.parts_high,
        sums.suppressed_parts,
        case
            when suppressed.is_total then sums.parts_low
            else sums.total_low - (sums.parts_high - suppressed.participant_count_high)
        end as raw_low,
        case
            when suppressed.is_total then sums.parts_high
            else sums.total_high - (sums.parts_low - suppressed.participant_count_low)
        end as raw_high,
        {# The relation's name: its table, or what it sums in words. #}
        case suppressed.relation_kind
            when 'rows_to_national_total' then own.table_title
            when 'main_groups_to_all_groups' then format('{}, {}', own.county_name, measure_groups.measure_group_name_nb)
            when 'municipalities_to_county' then format('{}, {}', own.county_name, own.table_title)
            when 'types_to_group'
                then format(
                    '{}, {} (measure types against the measure group)', main_groups.main_group_name_nb,
                    measure_groups.measure_group_name_nb
                )
            else total_titles.total_title
        end as relation_name,
        months.month_name_nb,
    from suppressed
    inner join sums
        on suppressed.relation_id = sums.relation_id
    inner join printed as own
        on suppressed.cell_id = own.cell_id
    left join total_titles
        on suppressed.relation_id = total_titles.relation_id
    left join main_groups
        on own.main_group = main_groups.main_group_code
    left join measure_groups
        on own.measure_group = measure_groups.measure_group_code
    inner join months
        on month(suppressed.month_date) = months.month_number
),

final as (
    select
        cell_id,
        month_date,
        relation_kind,
        relation_id,
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
                            when 'block_total_to_groups' then 'measure groups (TILT100)'
                            when 'municipalities_to_county' then 'municipalities'
                            else 'measure types'
                        end,
                        if(parts_low = parts_high, format('{:,}', parts_low), format('{:,}..{:,}', parts_low, parts_high))
                    )
            else format(
                '{} ({}) minus the {} ({:,}){}',
                case relation_kind
                    when 'main_groups_to_all_groups' then 'all main groups'
                    when 'types_to_group' then 'the measure group'
                    when 'municipalities_to_county' then 'the county'
                    else 'I alt'
                end,
                if(total_low = total_high, format('{:,}', total_low), '*'),
                case relation_kind
                    when 'rows_to_national_total' then 'other printed rows'
                    when 'main_groups_to_all_groups' then 'other main-group tables'
                    when 'groups_to_main_group_total' then 'other measure groups'
                    when 'municipalities_to_county' then 'other municipalities'
                    when 'block_total_to_groups' then 'other measure groups (TILT100)'
                    else 'other measure types'
                end,
                parts_low,
                if(suppressed_parts > 1, format(' and {} other "*"', suppressed_parts - 1), '')
            )
        end as relation_description,
    from bounds
)

select * from final
