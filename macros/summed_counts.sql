{#-
    The count, bounds and suppression of a sum of cells (an aggregate, for `group by`): exact where every
    part is known, else NULL with the parts' bounds summed. One definition for every derived total, so a
    total never reveals more than its parts.
-#}
{% macro summed_counts(count='participant_count', low='participant_count_low', high='participant_count_high') -%}
    case when bool_and({{ count }} is not null) then cast(sum({{ count }}) as integer) end as participant_count,
    cast(sum({{ low }}) as integer) as participant_count_low,
    cast(sum({{ high }}) as integer) as participant_count_high,
    bool_or({{ count }} is null) as is_suppressed
{%- endmacro %}
