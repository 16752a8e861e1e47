{#-
    One row per printed cell of a large input, exactly as printed: the same columns as the raw_nav__cells
    seed. dbt's seed loader reads every row of a seed into Python objects before DuckDB copies the file,
    which costs seconds and gigabytes at 100 editions; so for an input of over 50,000 cells the loader
    writes the cells to target/raw/ (nav_tiltak/seeds.py) and DuckDB's own CSV reader loads them here.
    For small inputs this model is empty and the cells are in the seed.
-#}
{% if var('raw_cells_csv', '') %}
select * from read_csv('{{ var("raw_cells_csv") }}', header = true, columns = {
    'source_file': 'varchar', 'source_line': 'integer', 'table_title': 'varchar', 'row_label': 'varchar',
    'month_label': 'varchar', 'value_as_printed': 'varchar'
})
{% else %}
select
    cast(null as varchar) as source_file,
    cast(null as integer) as source_line,
    cast(null as varchar) as table_title,
    cast(null as varchar) as row_label,
    cast(null as varchar) as month_label,
    cast(null as varchar) as value_as_printed,
where false
{% endif %}
