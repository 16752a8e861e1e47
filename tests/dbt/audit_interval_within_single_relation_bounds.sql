{{ config(meta={'rule': "The audit's interval is never wider than what a single published relation gives"}) }}
{#- The linear programs see every relation at once, so their interval must lie inside the bound each
    relation gives on its own (computed in SQL, int_suppressed_cells__relation_bounds). -#}
select
    format('{} {} {} x {}: audit {}..{}, but "{}" alone gives {}..{}', intervals.month_date,
        intervals.county_code, intervals.main_group, intervals.measure_group, intervals.interval_low,
        intervals.interval_high, bounds.relation_description, bounds.bound_low, bounds.bound_high) as failure,
    intervals.*,
    bounds.bound_low,
    bounds.bound_high,
from {{ ref('suppressed_cell_intervals') }} as intervals
inner join {{ ref('int_suppressed_cells__relation_bounds') }} as bounds
    on intervals.month_date = bounds.month_date
    and intervals.county_code = bounds.county_code
    and intervals.main_group = bounds.main_group_code
    and intervals.measure_group = bounds.measure_group_code
where intervals.interval_low < bounds.bound_low or intervals.interval_high > bounds.bound_high
