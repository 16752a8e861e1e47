{#- One row per month any document covers. -#}
with

months as (
    select month_date from {{ ref('int_cells__gridded') }}
    union
    select month_date from {{ ref('int_measure_type_cells__gridded') }}
    union
    select month_date from {{ ref('int_area_cells__gridded') }}
),

names as (
    select * from {{ ref('ref_months') }}
),

{# `year` and `year_month` are keywords to the linter, and the BI contract's column names. #}
final as (
    select
        months.month_date,
        cast(year(months.month_date) as integer) as year,  -- noqa: RF04
        cast(month(months.month_date) as integer) as month_number,
        names.month_name_nb,
        names.month_name_en,
        strftime(months.month_date, '%Y-%m') as year_month,  -- noqa: RF04
    from months
    inner join names
        on month(months.month_date) = names.month_number
)

{# Stored in key order, which the exports keep (see nav_tiltak.publish.export_marts). #}
select * from final
order by month_date
