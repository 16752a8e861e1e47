{#- Schemas are named for people: `staging`, `marts`, not dbt's default `main_marts`. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name if custom_schema_name is not none else target.schema }}
{%- endmacro %}
