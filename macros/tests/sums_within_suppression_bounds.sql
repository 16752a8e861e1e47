{#-
    Parts add up to their printed total, exactly under suppression.

    Within each group (`group_by`), the rows where `total_where` holds are the total and the others are its
    parts. A "*" is an unknown integer 0..3, so with T the total:
        sum(known parts) <= T <= sum(known parts) + 3 * count(suppressed parts)
    and, where T itself is suppressed, the two intervals must meet. Bounds come from the `_low`/`_high`
    columns (equal to the count where it is known). A missing total or part is 0: NAV omits empty rows.
    No tolerance: NAV's own tooling accepts differences up to 10 as "suppression noise"; we do not.

    The sums are one aggregate over the model; the descriptions of the total and of its parts (`describe`, by
    default the printed cell: file, place, table, row, month) are made for the failing groups only, so a
    passing test costs one pass over the rows however large the model is.
-#}
{% test sums_within_suppression_bounds(model, group_by, total_where, describe=none,
    low='participant_count_low', high='participant_count_high') %}

with

cells as (
    select
        *,
        coalesce(({{ total_where }}), false) as is_total,
    from {{ model }}
),

groups as (
    select
        {{ group_by | join(', ') }},
        coalesce(sum({{ low }}) filter (where is_total), 0) as total_low,
        coalesce(sum({{ high }}) filter (where is_total), 0) as total_high,
        coalesce(sum({{ low }}) filter (where not is_total), 0) as parts_low,
        coalesce(sum({{ high }}) filter (where not is_total), 0) as parts_high,
        count(*) filter (where not is_total) as part_count,
        count(*) filter (where not is_total and {{ low }} < {{ high }}) as suppressed_part_count,
    from cells
    group by {{ group_by | join(', ') }}
),

failing as (
    select * from groups
    where total_high < parts_low or total_low > parts_high
),

{# A join, not a correlated subquery: DuckDB runs a correlated one over every group, failing or not. #}
described as (
    select
        failing.*,
        coalesce(
            string_agg({{ describe or describe_printed_cell() }}, '; ') filter (where cells.is_total),
            'no total printed (0)'
        ) as total_cell,
        string_agg({{ describe or describe_printed_cell() }}, '; ') filter (where not cells.is_total) as part_cells,
    from failing
    left join cells
        on true
        {%- for column in group_by %}
        and cells.{{ column }} is not distinct from failing.{{ column }}
        {%- endfor %}
    group by all
)

select
    format(
        '{}: the total is {}, but its {} parts ({} suppressed) add up to {}: {}',
        total_cell,
        case when total_low = total_high then cast(total_low as varchar) else format('{}..{}', total_low, total_high) end,
        part_count,
        suppressed_part_count,
        case when parts_low = parts_high then cast(parts_low as varchar) else format('{}..{}', parts_low, parts_high) end,
        coalesce(part_cells, 'none printed')
    ) as failure,
    *,
from described

{% endtest %}
