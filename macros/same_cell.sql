{#- Two relations' rows are the same cell: the same month and, NULL matching NULL (a label no reference
    seed knows, which a data rule names), the same geography, groups and type. -#}
{% macro same_cell(left, right) -%}
    {{ left }}.month_date = {{ right }}.month_date
    {%- for column in ['county_code', 'main_group', 'measure_group', 'measure_type'] %}
    and {{ left }}.{{ column }} is not distinct from {{ right }}.{{ column }}
    {%- endfor %}
{%- endmacro %}
