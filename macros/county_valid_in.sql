{#- Whether the county (a row of ref_counties under `counties`) exists in the month `month`: counties
    change in the 2024 reform, and a county's valid_to is empty while it still exists. -#}
{% macro county_valid_in(counties, month) -%}
    {{ month }} between {{ counties }}.valid_from and coalesce({{ counties }}.valid_to, date '9999-12-31')
{%- endmacro %}
