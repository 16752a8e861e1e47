{#- How a data rule names a cell of int_relations: the printed cell (file, place, row, month, value; the place
    names the table: its line, or its sheet and cell),
    looked up by its id in `assembled` (int_cells__assembled) when a rule fails; a cell no table printed is 0,
    named by its id's parts looked up in the reference seeds. Every relation is passed as ref() where the test
    is declared, so that dbt sees the dependencies. -#}
{% macro describe_relation_cell(assembled, main_groups, measure_groups, measure_types) -%}
    coalesce(
        (
            select string_agg(format('{}:{}: {} / {} = "{}"', printed.source_file, printed.source_position,
                printed.row_label, printed.month_label, printed.value_as_printed), '; ')
            from {{ when_failing(assembled) }} as printed
            where printed.month_date = cells.month_date and printed.cell_id = cells.cell_id
        ),
        {# Not printed: the id's parts, in words (macros/cell_id.sql). #}
        format(
            '{} {} {} {} {}: not printed (0)', strftime(cells.month_date, '%Y-%m'),
            lpad(cast(cells.cell_id // 100000000 % 10000 as varchar), 4, '0'),
            (select code.main_group_code from {{ main_groups }} as code
                where code.sort_order = cells.cell_id // 1000000 % 100),
            (select code.measure_group_code from {{ measure_groups }} as code
                where code.sort_order = cells.cell_id // 1000 % 1000),
            coalesce((select code.measure_type_code from {{ measure_types }} as code
                where code.sort_order = cells.cell_id % 1000), 'alle')
        )
    )
{%- endmacro %}

{#- A relation a failure's description looks cells up in, read only when the test has failing rows (its CTE
    `failing`, as in rows_satisfy and sums_within_suppression_bounds): DuckDB builds a correlated lookup's
    hash table before it knows that no row asks, seconds per test over a thousand editions' cells. -#}
{% macro when_failing(relation) -%}
    (select * from {{ relation }} where exists (select 1 from failing))
{%- endmacro %}
