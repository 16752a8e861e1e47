{#- on-run-start: the build's variables are ones the models know, or the run stops before any model. -#}
{% macro check_variables() %}
    {% set policy = var('overlap_policy', 'fail') %}
    {% if policy not in ['fail', 'latest_document'] %}
        {{ exceptions.raise_compiler_error("overlap_policy must be 'fail' or 'latest_document', not '" ~ policy ~ "'") }}
    {% endif %}
{% endmacro %}
