{#-
    on-run-end: for each data test that failed, keep its failing rows in the schema test_failures (a table
    named after the test) and print the rule and the rows that break it, so a failing `dbt build` names
    the offending cells (file, line, table, row, month) instead of only a count. Our tests return a
    `failure` column that describes a row. The first `max_rows` rows are printed, each cut at `max_length`
    characters, and a count of the rest: a message a person reads, whatever the size of the fault.

    Only failed tests store anything: dbt's own store_failures writes a table for every test, passing or
    not, which was a third of the time of a small build. A test with severity warn that finds rows prints
    them the same way (stored nowhere: the build goes on and publishes).
-#}
{% macro report_failing_rows(results, max_rows=10, max_length=400) %}
    {% if execute %}
        {% for result in results if result.status in ['fail', 'warn'] and result.node.resource_type == 'test' %}
            {% set node = result.node %}
            {% set rule = node.config.meta.get('rule') or node.description or node.name %}
            {{ log('', info=true) }}
            {% if result.status == 'fail' %}
                {% set stored = api.Relation.create(database=target.database, schema='test_failures',
                                                    identifier=node.alias) %}
                {% do run_query('create schema if not exists ' ~ stored.without_identifier()) %}
                {% do run_query('create or replace table ' ~ stored ~ ' as ' ~ node.compiled_code) %}
                {{ log('Data rule broken: ' ~ rule ~ ' (test ' ~ node.name ~ ', ' ~ result.failures ~ ' rows, stored in '
                       ~ stored ~ ')', info=true) }}
                {% set rows = run_query('select * from ' ~ stored ~ ' limit ' ~ max_rows) %}
            {% else %}
                {{ log('Warning, rule not met: ' ~ rule ~ ' (test ' ~ node.name ~ ', ' ~ result.failures ~ ' rows)',
                       info=true) }}
                {% set rows = run_query('select * from (' ~ node.compiled_code ~ ') limit ' ~ max_rows) %}
            {% endif %}
            {% for row in rows %}
                {% if 'failure' in row.keys() %}
                    {{ log('  ' ~ (row['failure'] | string)[:max_length], info=true) }}
                {% else %}
                    {% set fields = [] %}
                    {% for column, value in row.items() %}{% do fields.append(column ~ '=' ~ value) %}{% endfor %}
                    {{ log('  ' ~ (fields | join(', '))[:max_length], info=true) }}
                {% endif %}
            {% endfor %}
            {% if result.failures > max_rows %}
                {{ log('  ... and ' ~ (result.failures - max_rows) ~ ' more', info=true) }}
            {% endif %}
        {% endfor %}
    {% endif %}
{% endmacro %}
