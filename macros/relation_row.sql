{#-
    The columns of one row of int_relations: a cell of `source` (a relation with cell_id, month_date and the
    cell's bounds; '' for the only relation of the select) in a relation of `kind`, which sums over the part
    `summed_over` of the cell's id (macros/cell_id.sql); `is_total` and `is_printed` are SQL. The relation's
    id comes from the cell's id, or from `id_of` (a block's parts take their block total's).
-#}
{% macro relation_row(kind, summed_over, is_total, source='', is_printed=none, id_of=none) -%}
    {%- set kinds = {'rows_to_national_total': 1, 'main_groups_to_all_groups': 2,
                     'groups_to_main_group_total': 3, 'types_to_group': 4, 'types_to_block_total': 5,
                     'block_total_to_groups': 6, 'municipalities_to_county': 7} -%}
    {%- set prefix = source ~ '.' if source else '' -%}
    '{{ kind }}' as relation_kind,
    {{ relation_id(id_of or prefix ~ 'cell_id', summed_over, kinds[kind]) }} as relation_id,
    {{ is_total }} as is_total,
    {{ prefix }}cell_id,
    {{ prefix }}month_date,
    {{ prefix }}participant_count_low,
    {{ prefix }}participant_count_high,
    {{ is_printed or prefix ~ 'is_published' }} as is_printed
{%- endmacro %}
