"""Command line: the disclosure audit as a report for the publisher (Markdown), from the built warehouse.

Reads audit.suppressed_cell_intervals and audit.disclosure_summary, prints the report and writes it to
reports/disclosure-audit.md.
"""

from __future__ import annotations

import sys

import duckdb

from nav_tiltak.pages import write_from_warehouse
from nav_tiltak.paths import PROJECT_DIR

DEFAULT_REPORT = PROJECT_DIR / "reports" / "disclosure-audit.md"

# For each relation that reveals a cell on its own, the smallest cell printed exactly in that relation: the
# cheapest second cell to suppress, so that the relation holds two unknowns instead of one.
_SUGGESTIONS = """
with
revealing as (
    select cells.*, bounds.relation_kind
    from audit.suppressed_cell_intervals as cells
    join intermediate.int_suppressed_cells__relation_bounds as bounds
        on bounds.month_date = cells.month_date and bounds.county_code = cells.county_code
        and bounds.main_group_code = cells.main_group and bounds.measure_group_code = cells.measure_group
    where cells.status = 'exact_positive'
        and (bounds.bound_low = bounds.bound_high or cells.revealed_by like 'only%')
),
candidates as (
    select revealing.*, other.row_label as candidate_label, other.table_title as candidate_table,
        other.participant_count as candidate_count,
    from revealing
    left join intermediate.int_cells__gridded as other
        on other.is_published and not other.is_suppressed
        and other.month_date = revealing.month_date and other.measure_group_code = revealing.measure_group
        and (
            (revealing.relation_kind = 'rows_to_national_total' and other.main_group_code = revealing.main_group
                and other.county_code not in ('00', revealing.county_code))
            or (revealing.relation_kind = 'main_groups_to_all_groups' and other.county_code = revealing.county_code
                and other.main_group_code not in ('alle', revealing.main_group))
        )
)
select
    table_title, strftime(month_date, '%Y-%m') as month, row_label, interval_low,
    coalesce(
        arg_min(format('"{}" in "{}" ({:,})', candidate_label, candidate_table, candidate_count), candidate_count),
        'the total: no other cell in the relation is printed exactly'
    ) as suppress_also,
from candidates
group by all
order by table_title, month, row_label
"""


def _table(header: list[str], rows: list[tuple]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join("" if v is None else f"{v:,}" if isinstance(v, int) else str(v) for v in row) + " |"
              for row in rows]
    return "\n".join(lines)


def render(connection: duckdb.DuckDBPyConnection, max_rows: int = 25) -> str:
    """The report's Markdown text."""
    total, positive, zero, narrowed, protected = connection.execute(
        "select suppressed_count, exact_positive_count, exact_zero_count, narrowed_count, protected_count "
        "from audit.disclosure_summary where summary_level = 'all'").fetchone()
    documents = ", ".join(r[0] for r in connection.execute(
        "select source_file from staging.stg_nav__documents order by 1").fetchall())
    worst_tables = connection.execute(
        "select table_title, exact_positive_count, exact_zero_count, narrowed_count, protected_count, "
        "suppressed_count from audit.disclosure_summary where summary_level = 'table' "
        "order by exact_positive_count desc, exact_zero_count desc, table_title limit ?", [10]).fetchall()
    months = connection.execute(
        "select strftime(month_date, '%Y-%m'), exact_positive_count, exact_zero_count, narrowed_count, "
        "protected_count, suppressed_count from audit.disclosure_summary where summary_level = 'month' "
        "order by month_date").fetchall()
    examples = connection.execute(
        "select format('{}:{}', source_file, source_line), table_title, row_label, strftime(month_date, '%Y-%m'), "
        "interval_low, revealed_by from audit.suppressed_cell_intervals where status = 'exact_positive' "
        "order by source_file, source_line, month_date limit ?", [max_rows]).fetchall()
    suggestions = connection.execute(_SUGGESTIONS).fetchall()

    def share(count: int) -> str:
        return f"{count:,} ({count / total:.0%})" if total else "0"

    return "\n\n".join([
        "# Disclosure audit",
        f"Documents: {documents}.",
        f"NAV printed **{total:,}** cells as \"*\" (a value below 4). Given everything else it published — every "
        "table's rows add up to its \"I alt\" row, the three main-group tables add up to the all-groups table, "
        "and omitted rows are 0 — the linear programs find:",
        "\n".join([
            f"- **{share(positive)} revealed exactly as 1-3 people** (`exact_positive`)",
            f"- {share(zero)} revealed to be 0 (`exact_zero`)",
            f"- {share(narrowed)} narrowed below 0..3 (`narrowed`)",
            f"- {share(protected)} still protected, anywhere in 0..3 (`protected`)",
        ]),
        "## Worst tables",
        _table(["table", "exact 1-3", "exact 0", "narrowed", "protected", "suppressed"], worst_tables),
        "## By month",
        _table(["month", "exact 1-3", "exact 0", "narrowed", "protected", "suppressed"], months),
        f"## Exact disclosures (first {len(examples)} of {positive:,})",
        _table(["where", "table", "row", "month", "value", "revealed by"], examples),
        "## What to do",
        "NAV suppresses values below 4 (primary suppression) but prints every total, with no secondary "
        "suppression, so a \"*\" that is alone in a row or column of a printed total is that total minus the "
        "printed cells. To protect these cells:\n\n"
        "1. **Secondary suppression.** In each relation that reveals a cell, suppress a second cell as well — the "
        "smallest printed one costs the least information. The table below suggests one per disclosure. A "
        "suppression can reveal through the other relation it takes part in, so re-run the audit (`make "
        "audit`) after applying a pattern; tau-ARGUS or sdcTable compute an optimal pattern in one step.\n"
        "2. **Or suppress the totals** that reveal the most cells (the worst tables above), or publish them "
        "rounded to a base of 5, so that they no longer pin the suppressed cells.\n"
        "3. Cells revealed to be 0 (`exact_zero`) show that nobody in a group took part; decide whether that is "
        "sensitive before publishing.",
        "### Suggested second suppressions",
        _table(["table", "month", "revealed row", "value", "suppress also"], suggestions),
    ]) + "\n"


def main(argv: list[str] | None = None) -> int:
    return write_from_warehouse(__doc__.splitlines()[0], DEFAULT_REPORT, render, argv, echo=True)


if __name__ == "__main__":
    sys.exit(main())
