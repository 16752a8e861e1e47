-- The floor for `make bench`: the pipeline's transformations (raw CSVs -> printed cells -> resolved cells ->
-- grids by measure group, by measure type and of the county and municipality sheets -> marts) written as one
-- plain DuckDB script, without dbt, without tests and without the disclosure audit: what the same work costs
-- with nothing around it. {raw} and {reference} are the folders of the raw and reference CSVs; {max_count}
-- the dbt variable max_count (the bounds of a cell a sheet leaves empty).
create or replace macro fold(x) as lower(trim(regexp_replace(x, '[\s\x{00a0}\x{2009}\x{202f}]+', ' ', 'g')));
create or replace macro reference(name) as table
    select * from read_csv('{reference}/' || name || '.csv', header = true, auto_detect = true);

create or replace table raw_rows as
select * from read_csv('{raw}/raw_nav__rows.csv', header = true, auto_detect = false, nullstr = '\N', columns = {
    'source_file': 'varchar', 'source_sheet': 'varchar', 'source_line': 'integer', 'header_line': 'integer',
    'row_kind': 'varchar', 'row_label': 'varchar', 'values_as_printed': 'varchar'});
create or replace table raw_tables as
select * from read_csv('{raw}/raw_nav__tables.csv', header = true, auto_detect = false, nullstr = '\N', columns = {
    'source_file': 'varchar', 'source_sheet': 'varchar', 'title_line': 'integer', 'header_line': 'integer',
    'table_title': 'varchar', 'main_group': 'varchar', 'measure_group': 'varchar', 'measure_type': 'varchar',
    'row_kind': 'varchar', 'first_value_column': 'integer', 'months_as_printed': 'varchar', 'month_dates': 'varchar'});
create or replace table documents as
select * from read_csv('{raw}/raw_nav__documents.csv', header = true, auto_detect = false, nullstr = '\N',
    columns = {'source_file': 'varchar', 'sha256': 'varchar', 'table_code': 'varchar', 'geography': 'varchar',
    'period_label': 'varchar', 'period_line': 'integer', 'period_year': 'integer', 'period_start_date': 'date',
    'period_end_date': 'date', 'table_count': 'integer', 'cell_count': 'integer'});
create or replace table counties as
select * from read_csv('{reference}/ref_counties.csv', header = true,
    types = {'county_code': 'varchar', 'valid_from': 'date', 'valid_to': 'date'});
create or replace table county_labels as
select * from read_csv('{reference}/ref_county_labels.csv', header = true, types = {'county_code': 'varchar'});
create or replace table main_groups as select * from reference('ref_main_groups');
create or replace table measure_groups as select * from reference('ref_measure_groups');
create or replace table measure_group_labels as select * from reference('ref_measure_group_labels');
create or replace table measure_types as select * from reference('ref_measure_types');
create or replace table measure_type_labels as select * from reference('ref_measure_type_labels');
create or replace table nav_tables as select * from reference('ref_nav_tables');
create or replace table municipalities as
select * from read_csv('{reference}/ref_municipalities.csv', header = true,
    types = {'municipality_code': 'varchar', 'county_code': 'varchar', 'valid_from': 'date', 'valid_to': 'date'});

-- Every printed cell, its labels coded, typed, with bounds (stg_nav__* and int_cells__assembled). The county
-- and municipality sheets' rows are coded by their number ("03 Oslo", "0301 Oslo"), else by their label
-- (NAV's rows without a number: a county sheet's 98 and 99, a municipality sheet's 9899 and 9999); their
-- blocks give them their measure type, for all main groups together.
create or replace table cells as
with rows_in_tables as (
    select r.*, t.table_title, t.main_group, t.measure_group as table_measure_group,
        t.measure_type as table_measure_type, t.months_as_printed, t.month_dates,
        fold(r.row_label) as folded,
        fold(r.row_label) like 'i alt%' as is_total,
        r.row_kind = 'municipality' or r.row_kind = 'county' and t.measure_type != 'alle' as is_area,
    from raw_rows as r
    join raw_tables as t
        on r.source_file = t.source_file and r.source_sheet is not distinct from t.source_sheet
        and r.header_line = t.header_line
),
coded as (
    select
        r.source_file, r.source_sheet, r.source_line, r.table_title, r.row_label, r.main_group, r.is_total,
        r.is_area,
        case
            when r.is_total or r.row_kind not in ('county', 'municipality') then '00'
            when r.row_kind = 'municipality' then m.county_code
            else coalesce(nullif(regexp_extract(r.folded, '^(\d{2}) ', 1), ''), cl.county_code)
        end as county_code,
        case when r.row_kind = 'municipality' and not r.is_total then m.municipality_code end as municipality_code,
        case
            when r.row_kind = 'measure_group' and r.is_total then 'alle'
            when r.row_kind = 'measure_group' then gl.measure_group_code
            when r.row_kind = 'measure_type' then mt.measure_group_code
            else r.table_measure_group
        end as measure_group,
        case
            when r.is_area then r.table_measure_type
            when r.row_kind = 'measure_type' and not r.is_total then tl.measure_type_code
            else 'alle'
        end as measure_type,
        string_split(r.months_as_printed, chr(9)) as month_labels,
        cast(string_split(r.month_dates, chr(9)) as date[]) as month_dates,
        string_split(r.values_as_printed, chr(9)) as printed_values,
    from rows_in_tables as r
    left join county_labels as cl on r.row_kind in ('county', 'municipality') and r.folded = fold(cl.label)
    left join municipalities as m on r.row_kind = 'municipality' and m.municipality_code
        = coalesce(nullif(regexp_extract(r.folded, '^(\d{4}) ', 1), ''), cl.county_code || '99')
    left join measure_group_labels as gl on r.row_kind = 'measure_group' and r.folded = fold(gl.label)
    left join measure_type_labels as tl on r.row_kind = 'measure_type' and r.folded = fold(tl.label)
    left join measure_types as mt on tl.measure_type_code = mt.measure_type_code
),
unnested as (
    select * exclude (month_labels, month_dates, printed_values),
        unnest(month_labels) as month_label, unnest(month_dates) as month_date,
        unnest(printed_values) as value_as_printed,
    from coded
)
select *,
    value_as_printed = '' as is_blank,
    value_as_printed = '*' as is_suppressed,
    case when value_as_printed not in ('*', '')
        then cast(regexp_replace(value_as_printed, '\D', '', 'g') as integer) end as participant_count,
    coalesce(participant_count, 0) as participant_count_low,
    coalesce(participant_count, 3) as participant_count_high,
from unnested;

-- One cell per key: the latest document wins (int_cells__resolved, overlap policy latest_document).
create or replace table resolved as
select * from cells
where not is_blank and measure_group is not null
qualify row_number() over (partition by month_date, county_code, municipality_code, main_group, measure_group,
    measure_type order by source_file desc) = 1;

-- The grid by measure group: covered months x counties x main groups x groups (int_cells__gridded).
create or replace table grid as
with covered_months as (
    select distinct geography,
        cast(unnest(generate_series(period_start_date, period_end_date, interval 1 month)) as date) as month_date,
    from documents
    where geography = 'county' or table_code = 'TILT100'
),
scoped as (
    select m.month_date, c.county_code, c.official_name as county_name, g.main_group_code as main_group,
        bool_or(m.geography = 'county') as is_county_table,
    from covered_months as m
    join counties as c on m.month_date between c.valid_from and coalesce(c.valid_to, date '9999-12-31')
        and (m.geography = 'county' or c.county_code = '00')
    join main_groups as g on m.geography = 'county' or g.main_group_code != 'alle'
    group by all
)
select s.*, mg.measure_group_code as measure_group,
    r.source_file is not null as is_published,
    coalesce(r.is_suppressed, false) as is_suppressed,
    case when r.source_file is null then 0 else r.participant_count end as participant_count,
    coalesce(r.participant_count_low, 0) as participant_count_low,
    coalesce(r.participant_count_high, 0) as participant_count_high,

from scoped as s
cross join measure_groups as mg
left join resolved as r
    on r.month_date = s.month_date and r.county_code = s.county_code and r.main_group = s.main_group
    and r.measure_group = mg.measure_group_code and r.measure_type = 'alle' and r.municipality_code is null
where mg.measure_group_code != 'alle';

-- Groups summed to 'alle' unless NAV prints the total; national main groups summed to 'alle'; the breaks.
create or replace table main_group_by_measure_group as
with by_main_group as (
    select month_date, county_code, county_name, main_group, measure_group, participant_count,
        participant_count_low, participant_count_high, is_published, is_suppressed
    from grid
    union all
    select g.month_date, g.county_code, g.county_name, g.main_group, 'alle',
        case when any_value(p.source_file) is not null then any_value(p.participant_count)
            when not bool_or(g.is_suppressed) then cast(sum(g.participant_count) as integer) end,
        coalesce(any_value(p.participant_count_low), cast(sum(g.participant_count_low) as integer)),
        coalesce(any_value(p.participant_count_high), cast(sum(g.participant_count_high) as integer)),
        any_value(p.source_file) is not null,
        coalesce(any_value(p.is_suppressed), bool_or(g.is_suppressed)),
    from grid as g
    left join resolved as p
        on p.month_date = g.month_date and p.county_code = g.county_code and p.main_group = g.main_group
        and p.measure_group = 'alle' and p.measure_type = 'alle' and p.municipality_code is null
    group by g.month_date, g.county_code, g.county_name, g.main_group
),
figures as (
    select * from by_main_group
    union all
    select month_date, county_code, county_name, 'alle', measure_group,
        case when not bool_or(is_suppressed) then cast(sum(participant_count) as integer) end,
        cast(sum(participant_count_low) as integer), cast(sum(participant_count_high) as integer), false,
        bool_or(is_suppressed)
    from by_main_group
    where (month_date, county_code) not in (select (month_date, county_code) from grid where main_group = 'alle')
    group by month_date, county_code, county_name, measure_group
)
select figures.*,
    exists(select 1 from reference('ref_series_breaks') as b
        where (b.main_group_code = figures.main_group or figures.main_group = 'alle')
        and figures.month_date between b.valid_from and b.valid_to) as is_series_break,
from figures
order by month_date, county_code, main_group, measure_group;

-- The grid by measure type, national (int_measure_type_cells__gridded and its mart).
create or replace table main_group_by_measure_type as
with covered_months as (
    select distinct table_code,
        cast(unnest(generate_series(period_start_date, period_end_date, interval 1 month)) as date) as month_date,
    from documents
    where geography = 'national' and table_code != 'TILT100'
)
select m.month_date, g.main_group_code as main_group, t.measure_group_code as measure_group,
    t.measure_type_code as measure_type,
    r.source_file is not null as is_published,
    coalesce(r.is_suppressed, false) as is_suppressed,
    case when r.source_file is null then 0 else r.participant_count end as participant_count,
    coalesce(r.participant_count_low, 0) as participant_count_low,
    coalesce(r.participant_count_high, 0) as participant_count_high,
from covered_months as m
join nav_tables as n on m.table_code = n.table_code
join measure_types as t on n.measure_group_code = t.measure_group_code
    and m.month_date between t.valid_from and coalesce(t.valid_to, date '9999-12-31')
cross join main_groups as g
left join resolved as r
    on r.month_date = m.month_date and r.county_code = '00' and r.main_group = g.main_group_code
    and r.measure_type = t.measure_type_code
where g.main_group_code != 'alle'
order by month_date, main_group, measure_group, measure_type;

-- The county and municipality sheets' grid (int_area_cells__gridded): a block covers its measure type in
-- its months, for Norway (its "I alt"), every county valid in the month with 98 and 99 (a county sheet's
-- block) or every municipality valid in the month (a municipality sheet's); a geography a block leaves out
-- is 0, a cell the sheet leaves empty unknown (no mart row); a municipality sheet's rows without a number
-- (9899, 9999) where they are printed.
create or replace table area_grid as
with blocks as (
    select distinct row_kind, measure_group, measure_type,
        cast(unnest(string_split(month_dates, chr(9))) as date) as month_date,
    from raw_tables
    where row_kind = 'municipality' or row_kind = 'county' and measure_type != 'alle'
),
covered as (
    select b.month_date, c.county_code, cast(null as varchar) as municipality_code, b.measure_group, b.measure_type,
    from blocks as b
    join counties as c on b.month_date between c.valid_from and coalesce(c.valid_to, date '9999-12-31')
        and (b.row_kind = 'county' or c.county_code = '00')
    union
    select b.month_date, m.county_code, m.municipality_code, b.measure_group, b.measure_type,
    from blocks as b
    join municipalities as m on b.month_date between m.valid_from and coalesce(m.valid_to, date '9999-12-31')
        and m.geography_level = 'municipality'
    where b.row_kind = 'municipality'
    union
    select month_date, county_code, municipality_code, measure_group, measure_type,
    from resolved
    where is_area and municipality_code is not null
),
blank as (
    select distinct month_date, county_code, municipality_code, measure_group, measure_type,
    from cells
    where is_area and is_blank
)
select k.month_date, k.county_code, k.municipality_code, 'alle' as main_group, k.measure_group, k.measure_type,
    r.source_file is not null as is_published,
    r.source_file is null and b.month_date is not null as is_blank,
    coalesce(r.is_suppressed, false) as is_suppressed,
    case when r.source_file is not null then r.participant_count when b.month_date is null then 0 end
        as participant_count,
    coalesce(r.participant_count_low, 0) as participant_count_low,
    case when r.source_file is not null then r.participant_count_high when b.month_date is not null then {max_count}
        else 0 end as participant_count_high,
from covered as k
left join resolved as r
    on r.is_area and r.month_date = k.month_date and r.county_code = k.county_code
    and r.municipality_code is not distinct from k.municipality_code and r.measure_group = k.measure_group
    and r.measure_type = k.measure_type
left join blank as b
    on b.month_date = k.month_date and b.county_code = k.county_code
    and b.municipality_code is not distinct from k.municipality_code and b.measure_group = k.measure_group
    and b.measure_type = k.measure_type;

create or replace table county_by_measure_type as
select g.month_date, g.county_code, c.official_name as county_name, r.region_code, g.main_group, g.measure_group,
    g.measure_type, g.participant_count, g.participant_count_low, g.participant_count_high, g.is_published,
    g.is_suppressed,
    exists(select 1 from reference('ref_series_breaks') as b
        where (b.main_group_code = g.main_group or g.main_group = 'alle')
        and g.month_date between b.valid_from and b.valid_to) as is_series_break,
from area_grid as g
join counties as c on g.county_code = c.county_code
left join (select * from read_csv('{reference}/ref_county_regions.csv', header = true, all_varchar = true)) as r
    on g.county_code = r.county_code
where g.municipality_code is null and not g.is_blank
    and exists(select 1 from (
        select measure_type, cast(unnest(string_split(month_dates, chr(9))) as date) as month_date
        from raw_tables where row_kind = 'county' and measure_type != 'alle'
    ) as k where k.measure_type = g.measure_type and k.month_date = g.month_date)
order by g.month_date, g.county_code, g.measure_type;

create or replace table municipality_by_measure_type as
select g.month_date, g.municipality_code, m.municipality_name, g.county_code, c.official_name as county_name,
    g.main_group, g.measure_group, g.measure_type, g.participant_count, g.participant_count_low,
    g.participant_count_high, g.is_published, g.is_suppressed,
    exists(select 1 from reference('ref_series_breaks') as b
        where (b.main_group_code = g.main_group or g.main_group = 'alle')
        and g.month_date between b.valid_from and b.valid_to) as is_series_break,
from area_grid as g
join municipalities as m on g.municipality_code = m.municipality_code
join counties as c on g.county_code = c.county_code
where g.municipality_code is not null and not g.is_blank
order by g.month_date, g.municipality_code, g.measure_group, g.measure_type;

-- The printed cells, for BI tools (fct_printed_cells: a view).
create or replace view printed_cells as select * from resolved;

-- The marts across the 2024 reform: 2020-2023 regions, their parts summed from 2024 (harmonised mart).
create or replace table main_group_by_measure_group_harmonised as
with regions as (select * from read_csv('{reference}/ref_county_regions.csv', header = true, all_varchar = true)),
region_months as (
    select m.month_date, r.region_code,
        array_to_string(list_sort(list(m.county_code)), ' ') as county_codes,
    from (select distinct month_date, county_code from main_group_by_measure_group) as m
    join regions as r on m.county_code = r.county_code
    group by all
),
summed as (
    select c.month_date, r.region_code, c.main_group, c.measure_group,
        case when not bool_or(c.is_suppressed) then cast(sum(c.participant_count) as integer) end
            as participant_count,
        cast(sum(c.participant_count_low) as integer) as participant_count_low,
        cast(sum(c.participant_count_high) as integer) as participant_count_high,
        bool_or(c.is_suppressed) as is_suppressed,
        count(*) = 1 and bool_and(c.is_published) as is_published,
        bool_or(c.is_series_break) as is_series_break,
    from main_group_by_measure_group as c
    join regions as r on c.county_code = r.county_code
    group by all
)
select s.*, c.official_name as region_name, m.county_codes
from summed as s join region_months as m using (month_date, region_code)
join counties as c on s.region_code = c.county_code
order by month_date, region_code, main_group, measure_group;

-- The dimensions.
create or replace table dim_county as select * from counties order by county_code;
create or replace table dim_main_group as select * from main_groups order by main_group_code;
create or replace table dim_measure_group as select * from measure_groups order by measure_group_code;
create or replace table dim_measure_type as select * from measure_types order by measure_type_code;
create or replace table dim_municipality as
select municipality_code, municipality_name, county_code, geography_level, valid_from, valid_to
from municipalities order by municipality_code;
create or replace table dim_month as
select distinct month_date, year(month_date) as year, month(month_date) as month_number,
    strftime(month_date, '%Y-%m') as year_month
from (select month_date from grid union select month_date from main_group_by_measure_type
    union select month_date from area_grid)
order by month_date;
