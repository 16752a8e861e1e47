{#-
    None of `columns` is NULL in any row: one test for a model's required columns rather than one per
    column (each dbt test is a node, and dbt's per-node cost, not the query, is most of a small build).
    A failing row names its NULL columns.
-#}
{% test not_null_columns(model, columns) %}

select
    concat_ws(', ',
        {%- for column in columns %}
        case when {{ column }} is null then '{{ column }} is NULL' end{{ "," if not loop.last }}
        {%- endfor %}
    ) as failure,
    *,
from {{ model }}
where {% for column in columns %}{{ column }} is null{{ " or " if not loop.last }}{% endfor %}

{% endtest %}
