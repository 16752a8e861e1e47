{#- How a data rule names a cell of int_relations: the printed cell (file, place, table, row, month, value),
    looked up by its key in `assembled` (int_cells__assembled, passed as ref() where the test is declared,
    so that dbt sees the dependency) when a rule fails; a cell no table printed is 0. -#}
{% macro describe_relation_cell(assembled) -%}
    coalesce(
        (
            select string_agg(format('{}:{} {} / {} / {} = "{}"', printed.source_file, printed.source_position,
                printed.table_title, printed.row_label, printed.month_label, printed.value_as_printed), '; ')
            from {{ assembled }} as printed
            where printed.month_date = cells.month_date
                and cells.cell_key in ({{ cell_key('printed.') }}, {{ block_key('printed.') }})
        ),
        replace(cells.cell_key, '|', ' ') || ': not printed (0)'
    )
{%- endmacro %}
