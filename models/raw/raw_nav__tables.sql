{#- One row per table printed in NAV's documents, as the loader wrote it (seeds/raw/raw_nav__tables.csv). -#}
select * from read_csv({{ raw_csv('raw_nav__tables') }}, header = true, auto_detect = false, nullstr = '\N', columns = {
    'source_file': 'varchar', 'source_sheet': 'varchar', 'title_line': 'integer', 'header_line': 'integer',
    'table_title': 'varchar', 'main_group': 'varchar', 'measure_group': 'varchar', 'row_kind': 'varchar',
    'first_value_column': 'integer', 'months_as_printed': 'varchar', 'month_dates': 'varchar'
})
