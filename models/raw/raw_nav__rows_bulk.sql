{#-
    One row per printed data row of a large input, exactly as printed: the same columns as the
    raw_nav__rows seed. dbt's seed loader reads every row of a seed into Python objects before DuckDB copies
    the file, which costs seconds and gigabytes at 100 editions; so for an input of over 50,000 cells the
    loader writes the rows to target/raw/ (nav_tiltak/seeds.py) and DuckDB's own CSV reader loads them
    here. For small inputs this model is empty and the rows are in the seed.
-#}
{% if var('raw_rows_csv', '') %}
select * from read_csv('{{ var("raw_rows_csv") }}', header = true, delim = ',', quote = '"', columns = {
    'source_file': 'varchar', 'source_line': 'integer', 'header_line': 'integer', 'row_label': 'varchar',
    'values_as_printed': 'varchar'
})
{% else %}
select
    cast(null as varchar) as source_file,
    cast(null as integer) as source_line,
    cast(null as integer) as header_line,
    cast(null as varchar) as row_label,
    cast(null as varchar) as values_as_printed,
where false
{% endif %}
