{#-
    A grid's figures (int_cells__gridded, int_measure_type_cells__gridded): the printed cells of `cells`
    (from int_cells__resolved) and a row per cell of `blank_cells` a workbook leaves empty, to join to the
    grid by cell id; the grid leaves out a cell left empty unless another document prints it (a running
    year's later workbook prints what an earlier one left empty). One join by an integer id: at a thousand
    editions a second join of the grid would not fit DuckDB's memory limit.
-#}
{% macro printed_or_blank(cells, blank_cells) -%}
    select
        cell_id,
        source_file,
        is_suppressed,
        participant_count,
        participant_count_low,
        participant_count_high,
        false as is_blank,
    from {{ cells }}
    union all
    select
        cell_id,
        null as source_file,
        null as is_suppressed,
        null as participant_count,
        null as participant_count_low,
        null as participant_count_high,
        true as is_blank,
    from {{ blank_cells }}
{%- endmacro %}

{#- A grid cell's figure from its joined `figures` row: printed, or a known 0 where nothing was printed. -#}
{% macro grid_figure(figures) -%}
    {{ figures }}.source_file is not null as is_published,
    coalesce({{ figures }}.is_suppressed, false) as is_suppressed,
    case when {{ figures }}.source_file is null then 0 else {{ figures }}.participant_count end as participant_count,
    coalesce({{ figures }}.participant_count_low, 0) as participant_count_low,
    coalesce({{ figures }}.participant_count_high, 0) as participant_count_high
{%- endmacro %}
