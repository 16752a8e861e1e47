-- county_valid_in for Viken (2020-2023) and Østfold (from 2024) in the months on either side of the reform.
with

counties as (
    select * from (values ('30', date '2020-01-01', date '2023-12-31'), ('31', date '2024-01-01', null))
        as counties (county_code, valid_from, valid_to)
),

months as (
    select * from (values (date '2023-12-01'), (date '2024-01-01')) as months (month_date)
)

select
    months.month_date,
    counties.county_code,
    {{ county_valid_in('counties', 'months.month_date') }} as is_valid,
from months
cross join counties
