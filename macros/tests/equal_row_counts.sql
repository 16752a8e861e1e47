{#- The model (rows where `where` holds) has as many rows as `compare_model`: nothing dropped or doubled. -#}
{% test equal_row_counts(model, compare_model, where='true') %}

with

counts as (
    select
        (select count(*) from {{ model }} where {{ where }}) as model_rows,
        (select count(*) from {{ compare_model }}) as compare_rows,
)

select
    format('{} has {} rows where {}, but {} has {}', '{{ model }}', model_rows, '{{ where }}',
        '{{ compare_model }}', compare_rows) as failure,
    *,
from counts
where model_rows != compare_rows

{% endtest %}
