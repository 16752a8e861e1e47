{#- One text key per cell the data rules and the audit relate: a grid cell by its month, geography, main
    group, measure group and measure type; a national block total by its table and month. -#}
{% macro cell_key(prefix='') -%}
    concat_ws('|', {{ prefix }}month_date, {{ prefix }}county_code, {{ prefix }}main_group, {{ prefix }}measure_group,
        {{ prefix }}measure_type)
{%- endmacro %}

{% macro block_key(prefix='') -%}
    concat_ws('|', 'block', {{ prefix }}source_file, {{ prefix }}source_sheet, {{ prefix }}header_line, {{ prefix }}month_date)
{%- endmacro %}
