-- The floor for `make bench`: the pipeline's transformations (staging -> resolved cells -> grid -> marts)
-- as one plain DuckDB script over the same raw CSVs, without dbt, without tests. {raw} and {reference}
-- are the folders of the raw and reference CSVs.
create or replace macro fold(x) as lower(trim(regexp_replace(x, '[\s\x{00a0}\x{2009}\x{202f}]+', ' ', 'g')));

create or replace table cells as
select
    r.source_file, r.source_line, t.table_title, r.row_label, t.main_group_code, t.measure_group_code,
    unnest(string_split(t.months_as_printed, chr(9))) as month_label,
    unnest(string_split(t.month_numbers, chr(9))) as month_number,
    unnest(string_split(r.values_as_printed, chr(9))) as value_as_printed,
from read_csv('{raw}/raw_nav__rows.csv', header = true, all_varchar = true) as r
join read_csv('{raw}/raw_nav__tables.csv', header = true, all_varchar = true) as t
    using (source_file, header_line);
create or replace table documents as
select * from read_csv('{raw}/raw_nav__documents.csv', header = true,
    types = {'period_year': 'integer', 'period_line': 'integer', 'period_first_month': 'integer',
             'period_last_month': 'integer'});
create or replace table counties as select * from read_csv('{reference}/ref_counties.csv', header = true,
    types = {'county_code': 'varchar', 'valid_from': 'date', 'valid_to': 'date'});
create or replace table county_labels as select * from read_csv('{reference}/ref_county_labels.csv',
    header = true, types = {'county_code': 'varchar'});

create or replace table staged as
select
    cells.source_file,
    cast(cells.source_line as integer) as source_line,
    make_date(documents.period_year, cast(cells.month_number as integer), 1) as month_date,
    case when fold(cells.row_label) like 'i alt%' then '00' else county_labels.county_code end as county_code,
    cells.main_group_code as main_group,
    cells.measure_group_code as measure_group,
    cells.value_as_printed = '*' as is_suppressed,
    case when cells.value_as_printed != '*'
        then cast(regexp_replace(cells.value_as_printed, '\D', '', 'g') as integer) end as participant_count,
from cells
join documents on cells.source_file = documents.source_file
left join county_labels on fold(cells.row_label) = fold(county_labels.label);

create or replace table resolved as
select * from staged
qualify row_number() over (partition by month_date, county_code, main_group, measure_group
    order by source_file, source_line) = 1;

create or replace table grid as
with month_list as (
    select distinct cast(unnest(generate_series(make_date(period_year, period_first_month, 1),
        make_date(period_year, period_last_month, 1), interval 1 month)) as date) as month_date
    from documents
)
select
    m.month_date, c.county_code, g.main_group_code as main_group, s.measure_group_code as measure_group,
    coalesce(r.is_suppressed, false) as is_suppressed,
    case when r.source_file is null then 0 else r.participant_count end as participant_count,
    case when r.is_suppressed then 0 else coalesce(r.participant_count, 0) end as participant_count_low,
    case when r.is_suppressed then 3 else coalesce(r.participant_count, 0) end as participant_count_high,
    r.source_file is not null as is_published,
from month_list as m
join counties as c on m.month_date between c.valid_from and coalesce(c.valid_to, date '9999-12-31')
cross join read_csv('{reference}/ref_main_groups.csv', header = true) as g
cross join read_csv('{reference}/ref_measure_groups.csv', header = true) as s
left join resolved as r
    on r.month_date = m.month_date and r.county_code = c.county_code
    and r.main_group = g.main_group_code and r.measure_group = s.measure_group_code
where s.measure_group_code != 'alle';

create or replace table mart as
select month_date, county_code, main_group, measure_group, participant_count, participant_count_low,
    participant_count_high, is_published, is_suppressed
from grid
union all
select month_date, county_code, main_group, 'alle',
    case when not bool_or(is_suppressed) then cast(sum(participant_count) as integer) end,
    cast(sum(participant_count_low) as integer), cast(sum(participant_count_high) as integer), false,
    bool_or(is_suppressed)
from grid
group by all;

create or replace table printed_cells as
select * from resolved;

create or replace table harmonised as
select
    mart.month_date, regions.region_code, regions.region_name, mart.main_group, mart.measure_group,
    case when not bool_or(mart.participant_count is null) then cast(sum(mart.participant_count) as integer) end,
    cast(sum(mart.participant_count_low) as integer), cast(sum(mart.participant_count_high) as integer),
    bool_or(mart.is_suppressed), array_to_string(list_sort(list(mart.county_code)), ' '),
from mart
join read_csv('{reference}/ref_county_regions.csv', header = true,
    types = {'county_code': 'varchar', 'region_code': 'varchar'}) as regions using (county_code)
group by all;
