{#-
    Foreign keys: every non-NULL value of each column in `to` (column: "model.column") is in that model's
    column. One test for a model's foreign keys rather than one per column (each dbt test is a node, and
    dbt's per-node cost, not the query, is most of a small build). A failing row names the column, the
    missing value and how many rows hold it.
-#}
{% test references(model, to) %}

{%- for column, target in to.items() %}
{%- set target_model, target_column = target.split('.') %}
select
    format('{} = {} is not in {} ({} rows)', '{{ column }}', cast(child.{{ column }} as varchar), '{{ target }}',
           count(*)) as failure,
    '{{ column }}' as column_name,
    cast(child.{{ column }} as varchar) as missing_value,
    count(*) as row_count,
from (select * from {{ model }}) as child
where child.{{ column }} is not null
    and not exists (select 1 from {{ ref(target_model) }} as parent where parent.{{ target_column }} = child.{{ column }})
group by child.{{ column }}
{{ "union all" if not loop.last }}
{%- endfor %}

{% endtest %}
