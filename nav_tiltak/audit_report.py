"""The disclosure audit as a report for the publisher (``nav-tiltak audit``: Markdown), from the warehouse.

Reads audit.suppressed_cell_intervals, audit.disclosure_summary and audit.second_suppressions of the
publisher's database, and staging.stg_nav__documents of the warehouse, attached as `warehouse` (the models
the exposure `disclosure_audit_report` declares), prints the report and writes it to
reports/disclosure-audit.md.
"""

from __future__ import annotations

import duckdb


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
        "select source_file from warehouse.staging.stg_nav__documents order by 1").fetchall())
    worst_tables = connection.execute(
        "select table_title, exact_positive_count, exact_zero_count, narrowed_count, protected_count, "
        "suppressed_count from audit.disclosure_summary where summary_level = 'table' "
        "order by exact_positive_count desc, exact_zero_count desc, table_title limit ?", [10]).fetchall()
    sheets = connection.execute(
        "select coalesce(source_sheet, '(text documents)'), coalesce(revealed_by_kinds, '(none)'), "
        "exact_positive_count, exact_zero_count, narrowed_count, protected_count, suppressed_count "
        "from audit.disclosure_summary where summary_level = 'sheet' order by 1, 2").fetchall()
    months = connection.execute(
        "select strftime(month_date, '%Y-%m'), exact_positive_count, exact_zero_count, narrowed_count, "
        "protected_count, suppressed_count from audit.disclosure_summary where summary_level = 'month' "
        "order by month_date").fetchall()
    examples = connection.execute(
        "select format('{}:{}', source_file, source_position), table_title, row_label, strftime(month_date, '%Y-%m'), "
        "interval_low, revealed_by from audit.suppressed_cell_intervals where status = 'exact_positive' "
        "order by month_date, source_file, source_line limit ?", [max_rows]).fetchall()
    suggestions = connection.execute(
        "select table_title, strftime(month_date, '%Y-%m'), row_label, revealed_count, suppress_also "
        "from audit.second_suppressions order by table_title, month_date, row_label").fetchall()

    def share(count: int) -> str:
        return f"{count:,} ({count / total:.0%})" if total else "0"

    return "\n\n".join([
        "# Disclosure audit",
        f"Documents: {documents}.",
        f"NAV printed **{total:,}** cells as \"*\" (a value below 4). Given everything else it published — every "
        "table's rows add up to its \"I alt\" row, the three main-group tables add up to the all-groups table, a "
        "national block's measure groups or types add up to its total and a measure group's types to its "
        "figure, a county's municipalities add up to the county, and omitted rows are 0 — the linear programs "
        "find:",
        "\n".join([
            f"- **{share(positive)} revealed exactly as 1-3 people** (`exact_positive`)",
            f"- {share(zero)} revealed to be 0 (`exact_zero`)",
            f"- {share(narrowed)} narrowed below 0..3 (`narrowed`)",
            f"- {share(protected)} still protected, anywhere in 0..3 (`protected`)",
        ]),
        "## By sheet, and the relations that reveal",
        "What the published tables reveal about each sheet's `*`, by the relations that pin a cell on their own "
        "(int_relations: rows_to_national_total, a table's rows and its I alt; municipalities_to_county, a "
        "county's municipalities and its figure; ...; \"relations together\" where only several together do).",
        _table(["sheet", "revealed by", "exact 1-3", "exact 0", "narrowed", "protected", "suppressed"], sheets),
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
        "1. **Secondary suppression: `make protect`.** It chooses the fewest participants (or cells) to "
        "suppress as well so that no `*` can be pinned, audits the result again as an attacker who knows which "
        "`*` are secondary, and writes the protected tables with a side file and a report (see the README). "
        "The table below, one second cell per disclosure, is only a first look: applied as it is, it leaves "
        "cells revealed, because a suppression can reveal through the other relations it takes part in and a "
        "suppressed printed value is known to be at least 4.\n"
        "2. **Or suppress the totals** that reveal the most cells (the worst tables above), or publish them "
        "rounded to a base of 5, so that they no longer pin the suppressed cells.\n"
        "3. Cells revealed to be 0 (`exact_zero`) show that nobody in a group took part; decide whether that is "
        "sensitive before publishing.",
        "### Suggested second suppressions",
        _table(["table", "month", "revealed row", "value", "suppress also"], suggestions),
    ]) + "\n"

