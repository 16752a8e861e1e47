{#- Whether NAV marks a break in the series (seeds/reference/ref_series_breaks.csv, a relation under
    `series_breaks`) for the main group `main_group` in the month `month`: in the main group itself, and in
    `alle`, which includes it. -#}
{% macro is_series_break(series_breaks, main_group, month) -%}
    exists(
        select 1 from {{ series_breaks }}
        where
            ({{ series_breaks }}.main_group_code = {{ main_group }} or {{ main_group }} = 'alle')
            and {{ month }} between {{ series_breaks }}.valid_from and {{ series_breaks }}.valid_to
    )
{%- endmacro %}
