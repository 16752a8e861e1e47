{#- A spreadsheet column's letters for a column number (1 -> A, 27 -> AA), as nav_tiltak.parse.column_letter. -#}
{% macro column_letter(number) -%}
    case
        when ({{ number }}) <= 26 then chr(cast(64 + ({{ number }}) as integer))
        else chr(cast(64 + (({{ number }}) - 1) // 26 as integer)) || chr(cast(65 + (({{ number }}) - 1) % 26 as integer))
    end
{%- endmacro %}
