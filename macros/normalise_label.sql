{#- Fold a printed label for lookup; nav_tiltak/parse.py's normalise_label does the same. -#}
{% macro normalise_label(expression) -%}
    lower(trim(regexp_replace({{ expression }}, '[\s\x{00a0}\x{2009}\x{202f}]+', ' ', 'g')))
{%- endmacro %}
