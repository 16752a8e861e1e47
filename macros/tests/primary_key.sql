{#-
    `columns` identify each row (the grain; a model may have more than one such key): none of them is
    NULL and no two rows share them; nor is any column in `not_null` NULL. One test for a model's key and
    required columns rather than a unique and a not-null test per column: each dbt test is a node, and
    dbt's per-node cost, not the query, is most of a small build. A failing row says what is wrong and
    carries the key.
-#}
{% test primary_key(model, columns, not_null=[]) %}

select
    format('{} rows share {}', count(*), concat_ws(', ',
        {%- for column in columns %}
        '{{ column | replace("'", "''") }}=' || coalesce(cast({{ column }} as varchar), 'NULL'){{ "," if not loop.last }}
        {%- endfor %}
    )) as failure,
    {{ columns | join(", ") }},
from {{ model }}
group by {{ columns | join(", ") }}
having count(*) > 1

union all

select
    concat_ws(', ',
        {%- for column in columns + not_null %}
        case when {{ column }} is null then '{{ column | replace("'", "''") }} is NULL' end{{ "," if not loop.last }}
        {%- endfor %}
    ) as failure,
    {{ columns | join(", ") }},
from {{ model }}
where {% for column in columns + not_null %}{{ column }} is null{{ " or " if not loop.last }}{% endfor %}

{% endtest %}
