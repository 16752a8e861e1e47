{#-
    on-run-end: for each data test that failed, print the rule and the rows that break it, so a failing
    `dbt build` names the offending cells (file, line, table, row, month) instead of only a count.
    The rows come from the table store_failures wrote (or the test's own SQL where none was stored); our
    tests return a `failure` column.
-#}
{% macro report_failing_rows(results, max_rows=20) %}
    {% if execute %}
        {% for result in results if result.status == 'fail' and result.node.resource_type == 'test' %}
            {% set node = result.node %}
            {% set rule = node.config.meta.get('rule') or node.description or node.name %}
            {{ log('', info=true) }}
            {% set stored = node.relation_name if node.config.store_failures else none %}
            {{ log('Data rule broken: ' ~ rule ~ ' (test ' ~ node.name ~ ', ' ~ result.failures ~ ' rows'
                   ~ (', stored in ' ~ stored if stored else '') ~ ')', info=true) }}
            {% set failing = stored or '(' ~ node.compiled_code ~ ') as failing' %}
            {% set rows = run_query('select * from ' ~ failing ~ ' limit ' ~ max_rows) %}
            {% for row in rows %}
                {% if 'failure' in row.keys() %}
                    {{ log('  ' ~ row['failure'], info=true) }}
                {% else %}
                    {% set fields = [] %}
                    {% for column, value in row.items() %}{% do fields.append(column ~ '=' ~ value) %}{% endfor %}
                    {{ log('  ' ~ fields | join(', '), info=true) }}
                {% endif %}
            {% endfor %}
            {% if result.failures > max_rows %}
                {{ log('  ... and ' ~ (result.failures - max_rows) ~ ' more', info=true) }}
            {% endif %}
        {% endfor %}
    {% endif %}
{% endmacro %}
