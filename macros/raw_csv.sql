{#-
    The raw seed CSV `name` written by the loader, as a SQL string literal for DuckDB's read_csv. The folder
    is the dbt variable `raw_dir`: a build passes its own (target/build/raw, relative to the project), run
    by hand dbt reads the published seeds/raw. Quoted as a literal, never pasted into SQL as it is.
-#}
{% macro raw_csv(name) -%}
    '{{ (var("raw_dir", "seeds/raw") ~ "/" ~ name ~ ".csv") | replace("'", "''") }}'
{%- endmacro %}
