{#- The model (rows where `model_filter` holds) has as many rows as `compare_model` (rows where `compare_filter`
    holds): nothing dropped or doubled. -#}
{% test equal_row_counts(model, compare_model, model_filter='true', compare_filter='true') %}

with

counts as (
    select
        (select count(*) from {{ model }} where {{ model_filter }}) as model_rows,
        (select count(*) from {{ compare_model }} where {{ compare_filter }}) as compare_rows,
)

select
    format('{} has {} rows where {}, but {} has {} where {}', '{{ model }}', model_rows,
        '{{ model_filter | replace("'", "''") }}', '{{ compare_model | replace("'", "''") }}', compare_rows,
        '{{ compare_filter | replace("'", "''") }}') as failure,
    *,
from counts
where model_rows != compare_rows

{% endtest %}
