{#- One row per data row printed in NAV's documents, as the loader wrote it (seeds/raw/raw_nav__rows.csv). -#}
select * from read_csv({{ raw_csv('raw_nav__rows') }}, header = true, auto_detect = false, nullstr = '\N', columns = {
    'source_file': 'varchar', 'source_sheet': 'varchar', 'source_line': 'integer', 'header_line': 'integer',
    'row_kind': 'varchar', 'row_label': 'varchar', 'values_as_printed': 'varchar'
})
