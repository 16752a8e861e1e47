{#- No two rows share the values of `columns` (the grain). Failing groups list how often they occur. -#}
{% test unique_combination_of_columns(model, columns) %}

select
    format('{} rows share {}', count(*), concat_ws(', ',
        {%- for column in columns %}
        '{{ column | replace("'", "''") }}=' || coalesce(cast({{ column }} as varchar), 'NULL'){{ "," if not loop.last }}
        {%- endfor %}
    )) as failure,
    {{ columns | join(', ') }},
    count(*) as row_count,
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1

{% endtest %}
