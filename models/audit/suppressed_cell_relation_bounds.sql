{#-
    One row per suppressed cell and published relation it takes part in: the interval that relation alone
    gives it. A cell is in two relations: its table's rows add up to the "I alt" row, and its geography's
    main-group tables add up to the all-groups table. The cheap bound the linear programs must never be
    wider than, and the words a publisher reads for a disclosure.
-#}
with

cells as (
    select * from {{ ref('int_cells__gridded') }}
),

measure_groups as (
    select * from {{ ref('ref_measure_groups') }}
),

months as (
    select * from {{ ref('ref_months') }}
),

relations as (
    select
        *,
        'rows_to_national_total' as relation_kind,
        county_code = '00' as is_total,
        concat_ws('|', month_date, main_group, measure_group) as relation_key,
    from cells
    union all
    select
        *,
        'main_groups_to_all_groups' as relation_kind,
        main_group = 'alle' as is_total,
        concat_ws('|', month_date, county_code, measure_group) as relation_key,
    from cells
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
        relations.month_date,
        relations.county_code,
        relations.county_name,
        relations.main_group,
        relations.measure_group,
        relations.relation_kind,
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
        case
            when relations.relation_kind = 'rows_to_national_total' then relations.table_title
            else format('{}, {}', relations.county_name, measure_groups.measure_group_name_nb)
        end as relation_name,
        months.month_name_nb,
    from relations
    inner join sums
        on relations.relation_key = sums.relation_key
    inner join measure_groups
        on relations.measure_group = measure_groups.measure_group_code
    inner join months
        on month(relations.month_date) = months.month_number
    where relations.participant_count_low < relations.participant_count_high
),

final as (
    select
        month_date,
        county_code,
        main_group,
        measure_group,
        relation_kind,
        greatest(raw_low, 0) as bound_low,
        least(raw_high, 3) as bound_high,
        {# In words a publisher reads: "Oppfølging, Mars: I alt 18,368 minus the printed rows (18,365)". #}
        format('{}, {}: ', relation_name, month_name_nb) || case
            when is_total
                then
                    format(
                        'the {} add up to {}',
                        if(relation_kind = 'rows_to_national_total', 'rows below I alt', 'three main-group tables'),
                        if(parts_low = parts_high, format('{:,}', parts_low), format('{:,}..{:,}', parts_low, parts_high))
                    )
            else format(
                '{} ({}) minus the {} ({:,}){}',
                if(relation_kind = 'rows_to_national_total', 'I alt', 'all main groups'),
                if(total_low = total_high, format('{:,}', total_low), '*'),
                if(relation_kind = 'rows_to_national_total', 'other printed rows', 'other main-group tables'),
                parts_low,
                if(suppressed_parts > 1, format(' and {} other "*"', suppressed_parts - 1), '')
            )
        end as relation_description,
    from bounds
)

select * from final
