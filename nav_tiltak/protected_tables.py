"""`make protect`: build with the protection models (the plan and its re-audit, in the same dbt build), then
write the protected tables for the publisher: each input document that gains a suppression, in its own
format (a text document byte for byte except the suppressed values; a workbook with those cells set to
"*"), the added suppressions as a side file, and a report.

The output folder is written beside itself and renamed into place, so it is whole or untouched; it never
replaces an input, and only replaces a folder an earlier `make protect` wrote. What is written is loaded
again by the loader and must hold exactly the added `*` more than its input.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import sys
from collections import Counter
from pathlib import Path

import duckdb
import openpyxl
from python_calamine import CalamineWorkbook

from nav_tiltak import ownership
from nav_tiltak.build import Interrupted, build, exit_status, stopped_by, stopped_by_signals, uninterrupted
from nav_tiltak.layout import read_layout
from nav_tiltak.load import decode, document_paths, load_documents
from nav_tiltak.messages import shown
from nav_tiltak.protect import COSTS, Rule
from nav_tiltak.publish import check_place, open_audit

OUTPUT_KIND = "protected"  # the marker of a folder `make protect` wrote (nav_tiltak.ownership)
SIDE_FILE = "added-suppressions.csv"
REPORT = "protection-report.md"
SIDE_COLUMNS = ["source_file", "source_position", "table_title", "row_label", "month_label", "value_as_printed",
                "cell_id"]


class ProtectError(Exception):
    """What stops `make protect` after a successful build; the message says what and where."""


def protect(inputs: list[Path], warehouse: Path, exports: Path | None, overlap_policy: str, output: Path,
            rule: Rule, cost: str) -> int:
    """Build with the protection models, then write the protected tables; returns the exit status."""
    if cost not in COSTS:
        print(f"cost must be one of {', '.join(COSTS)}, not {cost!r}", file=sys.stderr)
        return 2
    paths = document_paths(inputs) if all(path.exists() for path in inputs) else []
    try:
        _check_output(output, [*inputs, *paths])
    except ProtectError as error:
        print(error, file=sys.stderr)
        return 1
    variables = {"protect": True, "protection_width": rule.width, "protection_zero_sensitive": rule.zero_sensitive,
                 "protection_cost": cost}
    status = build(inputs, warehouse, exports, overlap_policy, variables)
    if status:
        return status
    try:
        with stopped_by_signals(), open_audit(warehouse) as connection:
            report = write_protected(connection, paths, output, rule, cost)  # the build refused missing inputs
    except Exception as error:
        return _stopped(error, output)
    print(report)
    print(f"protected tables, {SIDE_FILE} and {REPORT} written to {shown(str(output), 300)}")
    return 0


def _stopped(error: Exception, output: Path) -> int:
    """The one line `make protect` prints when writing the protected tables stops, and its exit status."""
    signal_name = stopped_by()
    if signal_name is not None or isinstance(error, Interrupted):  # DuckDB may turn a signal into its own error
        print(f"interrupted ({signal_name or error}): nothing written to {shown(str(output), 200)}", file=sys.stderr)
        return exit_status(signal_name or str(error))
    if isinstance(error, ProtectError):
        print(f"{error}: nothing written to {shown(str(output), 200)}", file=sys.stderr)
        return 1
    if isinstance(error, OSError):
        print(f"{shown(str(error.filename or output), 200)}: {error.strerror or error}: nothing written to "
              f"{shown(str(output), 200)}", file=sys.stderr)
        return 1
    # A fault of ours: still one line, and nothing written.
    print(f"unexpected {type(error).__name__}: {shown(str(error), 300)} (please report it): nothing written "
          f"to {shown(str(output), 200)}", file=sys.stderr)
    return 1


def _check_output(output: Path, inputs: list[Path]) -> None:
    """The output folder is new, empty, or one an earlier `make protect` wrote and nobody changed since (its
    marker lists every file in it); it is not an input, nor in one, nor in the project's own folders."""
    check_place("--output", output, output, inputs, error=ProtectError)
    if output.is_symlink() or (output.exists() and not output.is_dir()):
        raise ProtectError(f"{shown(str(output), 200)}: exists and is not a folder; choose another --output")
    if output.exists() and any(output.iterdir()) and not ownership.is_ours(output, OUTPUT_KIND, files_required=True):
        raise ProtectError(f"{shown(str(output), 200)}: exists and is not a folder `make protect` wrote (or holds "
                           "files it did not write, or changed since); choose another --output")


def write_protected(connection: duckdb.DuckDBPyConnection, paths: list[Path], output: Path, rule: Rule,
                    cost: str) -> str:
    """Write the protected documents, the side file and the report into ``output`` (one rename); returns the
    report."""
    by_name = {path.name: path for path in paths}
    added = connection.execute(f"""
        select {', '.join(SIDE_COLUMNS)}, source_sheet, source_line, header_line, participant_count
        from protection.added_suppressions
        order by source_file, source_line, source_position
    """).fetchall()
    hashes = dict(connection.execute("select source_file, sha256 from warehouse.staging.stg_nav__documents").fetchall())
    output = output.parent.resolve() / output.name
    output.parent.mkdir(parents=True, exist_ok=True)
    for leftover in ownership.leftovers(output, OUTPUT_KIND):  # what a killed `make protect` left beside it
        shutil.rmtree(leftover, ignore_errors=True)
    staging = ownership.staging_folder(output)
    try:
        per_file: dict[str, list[tuple]] = {}
        for row in added:
            per_file.setdefault(row[0], []).append(row)
        for name, rows in per_file.items():
            path = by_name.get(name)
            data = path.read_bytes() if path else None
            if data is None or hashlib.sha256(data).hexdigest() != hashes.get(name):
                raise ProtectError(f"{shown(name, 200)}: changed or gone since the build; run `make protect` again")
            if name.endswith(".xlsx"):
                _suppress_in_workbook(path, staging / name, rows)
            else:
                (staging / name).write_bytes(_suppressed_text(data, name, rows))
        _check_written(staging, paths, Counter(row[0] for row in added))
        with open(staging / SIDE_FILE, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(SIDE_COLUMNS)
            writer.writerows(_safe(row[:len(SIDE_COLUMNS)]) for row in added)
        report = render_report(connection, rule, cost)
        (staging / REPORT).write_text(report, encoding="utf-8")
        ownership.mark(staging, OUTPUT_KIND, ownership.files_in(staging))
        os.chmod(staging, 0o777 & ~_umask())
        with uninterrupted():  # two renames: a signal waits until the new folder is in place
            ownership.replace_folder(output, staging, OUTPUT_KIND, lambda old: _check_output(old, []))
        return report
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _safe(row: tuple) -> list:
    """A side-file row a spreadsheet opens as text: a field starting with = + - @ is not run as a formula."""
    return [f"'{value}" if isinstance(value, str) and value[:1] in "=+-@" else value for value in row]


def _suppressed_text(data: bytes, name: str, rows: list[tuple]) -> bytes:
    """The document's bytes with each added cell's value replaced by "*" (spaces around it kept)."""
    lines = data.split(b"\n")
    text_lines = decode(data, name).split("\n")
    for _file, _position, _title, _label, month, _value, _cell, _sheet, line, header_line, _count in rows:
        months = [field.strip() for field in text_lines[header_line - 1].split("\t")]
        column = months.index(month)  # field 0 of a row is its label, as field 0 of the header is empty
        fields = lines[line - 1].split(b"\t")
        value = fields[column]
        core = value.strip(b" \r")
        start = value.index(core)
        fields[column] = value[:start] + b"*" + value[start + len(core):]
        lines[line - 1] = b"\t".join(fields)
    return b"\n".join(lines)


def _suppress_in_workbook(path: Path, destination: Path, rows: list[tuple]) -> None:
    """The workbook with each added cell set to "*", as NAV prints a suppressed cell."""
    workbook = openpyxl.load_workbook(path)
    for row in rows:
        sheet, cell = row[1].rsplit("!", 1)
        workbook[sheet][cell] = "*"
    workbook.save(destination)


def _check_written(folder: Path, inputs: list[Path], added: Counter) -> None:
    """Each written document holds its input's `*` plus the added ones; a text document still loads. (A
    workbook is not loaded again: the loader checks NAV's year-to-date average against the months, reading
    every `*` as 0..3, which a secondary `*` is not.)"""
    for path in inputs:
        if path.name not in added:
            continue
        written, expected = _stars(folder / path.name), _stars(path) + added[path.name]
        if written != expected:
            raise ProtectError(f"{shown(path.name, 200)}: the protected document holds {written} `*`, not the "
                               f"{expected - added[path.name]} printed and {added[path.name]} added")


def _stars(path: Path) -> int:
    """The `*` a document prints: a workbook's cells that are "*", a text document's values (as loaded)."""
    if path.suffix == ".xlsx":
        workbook = CalamineWorkbook.from_path(str(path))
        return sum(value == "*" for name in workbook.sheet_names
                   for row in workbook.get_sheet_by_name(name).to_python() for value in row)
    (loaded,) = load_documents([path], read_layout())
    return sum(values.split("\t").count("*") for table in loaded.document.tables for values in table.row_values)


def render_report(connection: duckdb.DuckDBPyConnection, rule: Rule, cost: str) -> str:
    """The report for the publisher, in Markdown."""
    out = io.StringIO()
    plan = connection.execute("""
        select count(*), coalesce(sum(added_cells), 0), coalesce(sum(added_participants), 0),
               coalesce(sum(objective), 0), coalesce(sum(bound), 0), coalesce(sum(seconds), 0)
        from protection.suppression_plan
    """).fetchone()
    components, cells, participants, objective, bound, seconds = plan
    printed = connection.execute("""
        select count(*) filter (where not is_suppressed),
               coalesce(sum(participant_count_low) filter (where not is_suppressed), 0)
        from warehouse.intermediate.int_cells__resolved
    """).fetchone()
    zero = "a primary cell pinned at 0 counts too" if rule.zero_sensitive else (
        "a primary cell the published tables already pin at 0 holds nobody and is exempt")
    gap = 0.0 if not objective else max(objective - bound, 0.0) / objective
    print("# Protection report: secondary suppression\n", file=out)
    possible = "all of 0..3 possible" if rule.width == 3 else "never exact"
    print(f"Rule: every primary `*` keeps an interval at least {rule.width} wide ({possible}) for an attacker who "
          f"knows which `*` are primary (0..3) and which are secondary (at least 4); {zero}. The plan minimises "
          f"{cost}.\n", file=out)
    print(f"- Added suppressions: **{cells:,} cells** of {printed[0]:,} printed ({_share(cells, printed[0])}), "
          f"**{participants:,} participants** of {printed[1]:,} ({_share(participants, printed[1])}), in "
          f"{components:,} independent parts of the tables, in {seconds:.1f} s.", file=out)
    print(f"- Optimality: cost {_cost(objective, cost)}, the solver's lower bound {_cost(bound, cost)}: "
          + ("**optimal**." if gap < 1e-6 else f"at most **{gap:.2%}** from the optimum."), file=out)
    print("\n## Re-audit of the protected tables, against the report's one-cell-per-disclosure heuristic\n",
          file=out)
    print("| pattern | cells added | participants added | primary `*` short of the rule | exact disclosures "
          "(1-3 people) | secondary `*` revealed exactly | rule unattainable (widest kept) |", file=out)
    print("|---|---:|---:|---:|---:|---:|---:|", file=out)
    for row in connection.execute("""
        select
            pattern,
            count(*) filter (where is_secondary),
            coalesce(sum(participant_count) filter (where is_secondary), 0),
            count(*) filter (where status = 'short_of_rule'),
            count(*) filter (where not is_secondary and interval_low = interval_high and interval_low > 0),
            count(*) filter (where is_secondary and interval_low = interval_high),
            count(*) filter (where status = 'widest_possible'),
        from protection.protected_cells
        group by pattern
        order by pattern desc
    """).fetchall():
        name = "this plan" if row[0] == "plan" else "one cell per disclosure (audit report)"
        print(f"| {name} | " + " | ".join(f"{value:,}" for value in row[1:]) + " |", file=out)
    print("\n## Per document\n", file=out)
    print("| document | primary `*` | protected by the rule | cells added | participants added |", file=out)
    print("|---|---:|---:|---:|---:|", file=out)
    for row in connection.execute("""
        select source_file,
               count(*) filter (where not is_secondary),
               count(*) filter (where status in ('meets_rule', 'widest_possible', 'short_of_rule')),
               count(*) filter (where is_secondary),
               coalesce(sum(participant_count) filter (where is_secondary), 0)
        from protection.protected_cells where pattern = 'plan' group by all order by all
    """).fetchall():
        print(f"| {row[0]} | " + " | ".join(f"{value:,}" for value in row[1:]) + " |", file=out)
    print("\n## The tables that cost most\n", file=out)
    print("| document | table | cells added | participants added |", file=out)
    print("|---|---|---:|---:|", file=out)
    for row in connection.execute("""
        select source_file, table_title, count(*), sum(participant_count)
        from protection.added_suppressions group by all order by 4 desc, 3 desc, 1, 2 limit 10
    """).fetchall():
        print(f"| {row[0]} | {row[1]} | {row[2]:,} | {row[3]:,} |", file=out)
    unattainable = connection.execute("""
        select format('{}:{} {} / {} / {}: {}..{}', source_file, source_position, table_title, row_label,
                      strftime(month_date, '%Y-%m'), interval_low, interval_high)
        from protection.protected_cells where pattern = 'plan' and status = 'widest_possible' order by all
    """).fetchall()
    if unattainable:
        print(f"\n## Cells no pattern can give a width of {rule.width}\n", file=out)
        print("Two or more `*` that must add up to a printed value (at least 4) cannot all be 0; each keeps the "
              "widest interval any pattern gives (every printed cell of its month suppressed):\n", file=out)
        for (line,) in unattainable:
            print(f"- {line}", file=out)
    return out.getvalue()


def _share(part: float, whole: float) -> str:
    return f"{part / whole:.1%}" if whole else "-"


def _cost(value: float, cost: str) -> str:
    return f"{value:,.0f} {cost}"
