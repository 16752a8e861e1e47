select
    *,
    'fixture.txt' as source_file,
    row_number() over () as source_line,
    'Fixture table' as table_title,
    county_code as row_label,
    cast(month_number as varchar) as month_label,
    value_as_printed = '*' as is_suppressed,
    case when value_as_printed != '*' then cast(value_as_printed as integer) end as participant_count,
    case when value_as_printed = '*' then 0 else cast(value_as_printed as integer) end as participant_count_low,
    case when value_as_printed = '*' then 3 else cast(value_as_printed as integer) end as participant_count_high,
from {{ ref('cells') }}
