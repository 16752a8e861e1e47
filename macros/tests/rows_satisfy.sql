{#-
    Every row satisfies `condition` (a SQL boolean; NULL counts as false; the row is `checked`, for a
    condition's subquery to name it). A failing row is returned with `failure`, which describes it by
    `describe` (by default the printed cell: file, line, table, row, month).
-#}
{% test rows_satisfy(model, condition, describe=none) %}

with

failing as (
    select * from (select * from {{ model }}) as checked
    where not coalesce(({{ condition }}), false)
)

select
    {{ describe or describe_printed_cell() }} as failure,
    *,
from failing as checked

{% endtest %}


{#- How a failure names a printed cell, FILE:PLACE: what: "2021.txt:24: Avklaringstiltak / Oslo / Januar = 399". -#}
{% macro describe_printed_cell() -%}
    format('{}:{}: {} / {} / {} = "{}"', source_file, source_line, table_title, row_label, month_label,
        value_as_printed)
{%- endmacro %}
