{#- Fold a printed label for lookup; nav_tiltak/parse.py's normalise_label does the same. -#}
{% macro normalise_label(expression) -%}
    lower(trim(regexp_replace({{ expression }}, '\s+', ' ', 'g')))
{%- endmacro %}
