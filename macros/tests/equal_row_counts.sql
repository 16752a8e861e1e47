{#- The model (rows where `where` holds) has as many rows as `compare_model` (rows where `compare_where`
    holds): nothing dropped or doubled. -#}
{% test equal_row_counts(model, compare_model, where='true', compare_where='true') %}

with

counts as (
    select
        (select count(*) from {{ model }} where {{ where }}) as model_rows,
        (select count(*) from {{ compare_model }} where {{ compare_where }}) as compare_rows,
)

select
    format('{} has {} rows where {}, but {} has {} where {}', '{{ model }}', model_rows,
        '{{ where | replace("'", "''") }}', '{{ compare_model }}', compare_rows,
        '{{ compare_where | replace("'", "''") }}') as failure,
    *,
from counts
where model_rows != compare_rows

{% endtest %}
