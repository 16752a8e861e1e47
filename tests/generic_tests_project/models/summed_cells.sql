-- summed_counts over the county rows (not the "I alt" total) of each month and main group. Built from
-- `cells`, not typed_cells: dbt skips what follows a failing test, and typed_cells' tests fail on purpose.
with

typed as (
    select
        month_number,
        main_group,
        case when value_as_printed != '*' then cast(value_as_printed as integer) end as participant_count,
        case when value_as_printed = '*' then 0 else cast(value_as_printed as integer) end as participant_count_low,
        case when value_as_printed = '*' then 3 else cast(value_as_printed as integer) end as participant_count_high,
    from {{ ref('cells') }}
    where county_code != '00'
)

select
    month_number,
    main_group,
    {{ summed_counts() }},
from typed
group by month_number, main_group
