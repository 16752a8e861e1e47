{#- One row per loaded document, as the loader wrote it (seeds/raw/raw_nav__documents.csv). -#}
select * from read_csv({{ raw_csv('raw_nav__documents') }}, header = true, auto_detect = false, nullstr = '\N', columns = {
    'source_file': 'varchar', 'sha256': 'varchar', 'table_code': 'varchar', 'geography': 'varchar',
    'period_label': 'varchar', 'period_line': 'integer', 'period_year': 'integer', 'period_start_date': 'date',
    'period_end_date': 'date', 'table_count': 'integer', 'cell_count': 'integer'
})
