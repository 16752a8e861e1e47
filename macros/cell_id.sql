{#-
    One integer per cell the data rules and the audit relate, its digits readable left to right:

        month (year * 12 + month - 1) | geography (4 digits) | main group (2) | measure group (3) | measure type (3)

    the geography a county's number and 00 (Oslo: 0300; Norway: 0000) or a municipality's own number (Oslo:
    0301; no municipality's number ends in 00 but Svalbard's, 2100, and 21 is no county), NAV's other rows of
    a municipality sheet their county's number and 99 (9899, 9999); the groups and types by their
    `sort_order` in the reference seeds (unique and within their digits: tested there), a measure type of
    `alle` as 0. A national block total (TILT110-180's "I alt" row, which spans its table's measure groups)
    has measure group 0 and its table's number as measure type: 24252 0000 01 000 110 is TILT110's block of
    arbeidssøkere in January 2021. Integers, not text keys: the relations hold several rows per cell, and
    text keys were most of their cost at a thousand editions.
-#}
{% macro cell_id(month_date, geography, main_group_order, measure_group_order, measure_type_order) -%}
    (((cast(year({{ month_date }}) * 12 + month({{ month_date }}) - 1 as bigint) * 10000
        + {{ geography }}) * 100 + {{ main_group_order }}) * 1000 + {{ measure_group_order }})
    * 1000 + {{ measure_type_order }}
{%- endmacro %}

{#- A cell's geography as the 4 digits of its id: a municipality's number, else its county's and 00. -#}
{% macro geography(county_code, municipality_code='null') -%}
    coalesce(cast({{ municipality_code }} as integer), cast({{ county_code }} as integer) * 100)
{%- endmacro %}

{#-
    A relation's id: the id of a cell in it with the part the relation sums over ('county', 'municipality',
    'main_group', 'measure_group' or 'measure_type') set to 0, and the relation's kind (1-9) as a last
    digit, so that two kinds that sum the same cells another way stay apart. Summing a county's
    municipalities sets their last two digits to 0, which leaves the county's own cell.
-#}
{% macro relation_id(cell_id, summed_over, kind) -%}
    {%- set places = {'measure_type': 1, 'measure_group': 1000, 'main_group': 1000000, 'municipality': 100000000,
                      'county': 10000000000} -%}
    {%- set width = {'measure_type': 1000, 'measure_group': 1000, 'main_group': 100, 'municipality': 100,
                     'county': 100} -%}
    ({{ cell_id }} - {{ cell_id }} // {{ places[summed_over] }} % {{ width[summed_over] }} * {{ places[summed_over] }})
    * 10 + {{ kind }}
{%- endmacro %}
