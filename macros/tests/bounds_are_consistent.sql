{#-
    Every row's count and bounds agree: the bounds are non-negative and ordered, and the count is given
    exactly where low = high, and then equals them (a NULL count means only the bounds are known). `key`
    names the columns that say which row fails.
-#}
{% test bounds_are_consistent(model, key, count='participant_count', low='participant_count_low',
    high='participant_count_high') %}

select
    format('{}: {} in {}..{}', concat_ws(' ', {{ key | join(', ') }}), {{ count }}, {{ low }}, {{ high }}) as failure,
    *,
from {{ model }}
where not coalesce(
    {{ low }} >= 0
    and {{ low }} <= {{ high }}
    and ({{ count }} is null) = ({{ low }} < {{ high }})
    and ({{ count }} is null or {{ count }} = {{ low }}),
    false
)

{% endtest %}
