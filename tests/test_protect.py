"""Secondary suppression (nav_tiltak/protect.py, `make protect`): hand-made tables whose optimal pattern is
known, random tables with NAV's structure checked by an independent integer program, and the 2021 document's
counts before and after, with the re-audit's zero."""

from __future__ import annotations

import csv
import itertools
import random
from pathlib import Path

import highspy
import numpy as np
import pytest

from nav_tiltak.layout import read_layout
from nav_tiltak.load import decode, load_documents
from nav_tiltak.protect import Relations, Rule, audit, candidates, plan, requirement, rule_of

from conftest import DOCUMENT_2021, connect_warehouse, copy_project, run_cli

PRIMARY = None  # a suppressed cell in the tables below: 0..3


def relations_of(values: dict, sums: list[tuple]) -> Relations:
    """Relations from cell values (PRIMARY for a `*`, else the printed count) and (total, parts) sums; the
    primaries' true values do not matter to anyone who reads the tables, so they are not given."""
    rows = [(number, cell, cell == total) for number, (total, parts) in enumerate(sums)
            for cell in (total, *parts)]
    relation, cell, is_total = (np.array(column) for column in zip(*rows, strict=True))
    low = np.array([0 if values[c] is PRIMARY else values[c] for c in cell])
    high = np.array([3 if values[c] is PRIMARY else values[c] for c in cell])
    return Relations(relation, cell, is_total, low, high, np.ones(len(cell), dtype=bool))


def two_way(interior: list[list[int | None]], totals: list[list[int]] | None = None) -> tuple[dict, list[tuple]]:
    """A table with row totals, column totals and the grand total. Cell ids: interior r*10+c, row totals
    100+r, column totals 200+c, grand total 300. ``totals`` gives the true interior where a cell is PRIMARY."""
    truth = totals or interior
    rows, columns = len(interior), len(interior[0])
    values = {r * 10 + c: interior[r][c] for r in range(rows) for c in range(columns)}
    values |= {100 + r: sum(truth[r]) for r in range(rows)}
    values |= {200 + c: sum(truth[r][c] for r in range(rows)) for c in range(columns)}
    values[300] = sum(map(sum, truth))
    sums = [(100 + r, tuple(r * 10 + c for c in range(columns))) for r in range(rows)]
    sums += [(200 + c, tuple(r * 10 + c for r in range(rows))) for c in range(columns)]
    sums += [(300, tuple(100 + r for r in range(rows))), (300, tuple(200 + c for c in range(columns)))]
    return values, sums


def independent_widths(values: dict, sums: list[tuple], secondary: set, cells: list) -> dict:
    """The attacker's integer interval width of each of ``cells``, by an integer program written here from
    the tables (not the one that chose the pattern, nor the audit's): a primary 0..3, a secondary >= 4."""
    ids = sorted(values)
    column = {cell: index for index, cell in enumerate(ids)}
    low = [0 if values[c] is PRIMARY else 4 if c in secondary else values[c] for c in ids]
    high = [3 if values[c] is PRIMARY else 10**7 if c in secondary else values[c] for c in ids]
    widths = {}
    for cell in cells:
        found = []
        for sense in (highspy.ObjSense.kMaximize, highspy.ObjSense.kMinimize):
            model = highspy.Highs()
            model.setOptionValue("output_flag", False)
            for lo, hi in zip(low, high, strict=True):
                model.addVar(lo, hi)
            model.changeColsIntegrality(len(ids), np.arange(len(ids), dtype=np.int32),
                                        np.full(len(ids), highspy.HighsVarType.kInteger))
            for total, parts in sums:
                entries = [column[total], *(column[part] for part in parts)]
                model.addRow(0, 0, len(entries), np.array(entries, dtype=np.int32),
                             np.array([-1.0] + [1.0] * len(parts)))
            model.changeColCost(column[cell], 1.0)
            model.changeObjectiveSense(sense)
            model.run()
            assert model.getModelStatus() == highspy.HighsModelStatus.kOptimal
            found.append(round(model.getInfo().objective_function_value))
        widths[cell] = found[0] - found[1]
    return widths


# A 3x3 table with margins and one primary cell (true value 2): the optimal pattern is a rectangle of three
# more interior cells; the cheapest rectangle in participants is 10 + 30 + 40.
THREE_BY_THREE = [[PRIMARY, 10, 20], [30, 40, 50], [60, 70, 80]]
THREE_BY_THREE_TRUTH = [[2, 10, 20], [30, 40, 50], [60, 70, 80]]


@pytest.mark.parametrize("cost", ["cells", "participants"])
def test_3x3_with_one_primary_cell_needs_a_rectangle_of_three_and_no_fewer(cost: str) -> None:
    values, sums = two_way(THREE_BY_THREE, THREE_BY_THREE_TRUTH)
    relations = relations_of(values, sums)
    (component,) = plan(relations, Rule(), cost)
    added = set(component.added.tolist())
    assert added == {1, 10, 11}  # the rectangle with (0, 0): the cheapest one
    assert component.participants == 80
    assert component.objective == pytest.approx(component.bound)  # proved optimal by the solver's bound
    assert independent_widths(values, sums, added, [0]) == {0: 3}
    found = audit(relations, component.added)
    assert dict(zip(found["cell_id"].tolist(), zip(found["interval_low"].tolist(), found["interval_high"].tolist(),
                                                     strict=True), strict=True))[0] == (0, 3)
    # Optimality checked by brute force: no pattern of one or two cells protects the primary cell.
    for size in (1, 2):
        for pattern in itertools.combinations(candidates(relations).tolist(), size):
            assert independent_widths(values, sums, set(pattern), [0])[0] < 3, pattern


def test_without_a_secondary_the_3x3_primary_cell_is_revealed_exactly() -> None:
    values, sums = two_way(THREE_BY_THREE, THREE_BY_THREE_TRUTH)
    assert independent_widths(values, sums, set(), [0]) == {0: 0}


def test_width_1_only_forbids_an_exact_value() -> None:
    # (0, 0) is 2 and (0, 1) prints 4: a rectangle through (0, 1) lets (0, 0) fall to 0 but not rise (the 4
    # cannot fall below 4): 0..2, enough for width 1 and the cheapest (4 + 30 + 40); width 3 needs 0..3 and
    # takes the rectangle through (0, 2) instead (20 + 30 + 50).
    values, sums = two_way([[PRIMARY, 4, 20], [30, 40, 50], [60, 70, 80]], [[2, 4, 20], [30, 40, 50], [60, 70, 80]])
    relations = relations_of(values, sums)
    (loose,) = plan(relations, Rule(width=1), "participants")
    (strict,) = plan(relations, Rule(width=3), "participants")
    assert set(loose.added.tolist()) == {1, 10, 11}
    assert independent_widths(values, sums, {1, 10, 11}, [0]) == {0: 2}
    assert set(strict.added.tolist()) == {2, 10, 12}
    assert independent_widths(values, sums, {2, 10, 12}, [0]) == {0: 3}


def test_two_primary_cells_adding_up_to_a_printed_value_keep_the_widest_interval_possible() -> None:
    # a + b = 5 with both `*`: each is 2..3; suppressing the total (>= 4) widens them to 1..3, never 0..3.
    a, b, t, c, u = range(1, 6)  # cell ids
    values = {a: PRIMARY, b: PRIMARY, t: 5, c: 40, u: 45}
    sums = [(t, (a, b)), (u, (t, c))]
    relations = relations_of(values, sums)
    required = requirement(relations, Rule())
    assert required.width.tolist() == [2, 2] and required.attainable.tolist() == [2, 2]
    components = plan(relations, Rule(), "cells")
    added = set(np.concatenate([c.added for c in components]).tolist())
    assert added == {t, c, u} or added == {t, c}  # the total and what lets it move
    assert independent_widths(values, sums, added, [a, b]) == {a: 2, b: 2}


def test_a_cell_pinned_at_zero_is_exempt_unless_zeros_count() -> None:
    # Row 0 prints 10 and 20 with a total of 30: its `*` is 0, which names no one.
    values, sums = two_way([[PRIMARY, 10, 20], [30, 40, 50], [60, 70, 80]], [[0, 10, 20], [30, 40, 50], [60, 70, 80]])
    relations = relations_of(values, sums)
    assert plan(relations, Rule(), "cells") == []
    (component,) = plan(relations, Rule(zero_sensitive=True), "cells")
    assert len(component.added) == 3
    assert independent_widths(values, sums, set(component.added.tolist()), [0]) == {0: 3}


def nav_like_table(generator: random.Random) -> tuple[dict, list[tuple]]:
    """One month of one measure group as NAV prints it: counties (and I alt) by main group (and all groups),
    both margins printed, counts below 4 as `*`, an empty row left out (0)."""
    counties, groups = generator.randint(3, 7), 3
    truth = [[generator.choice([0, 1, 2, 3, 3, 5, 8, 12, 30, 60]) for _ in range(groups)] for _ in range(counties)]
    interior = [[PRIMARY if 0 < value < 4 else value for value in row] for row in truth]
    values, sums = two_way(interior, truth)
    # The margins are printed unless below 4, as NAV prints them; a 0 is printed nowhere (the grid's 0).
    for cell, value in list(values.items()):
        if cell >= 100 and 0 < value < 4:
            values[cell] = PRIMARY
    return values, sums


@pytest.mark.parametrize("seed", range(12))
def test_random_nav_tables_no_primary_cell_is_pinned_tighter_than_the_rule(seed: int) -> None:
    generator = random.Random(seed)
    values, sums = nav_like_table(generator)
    relations = relations_of(values, sums)
    rule = Rule(width=generator.choice([1, 2, 3]), zero_sensitive=generator.random() < 0.5)
    required = requirement(relations, rule)
    added = set(np.concatenate([c.added for c in plan(relations, rule, generator.choice(["cells", "participants"]))]
                               + [np.zeros(0, dtype=np.int64)]).tolist())
    cells = required.cells.tolist()
    after = independent_widths(values, sums, added, cells)
    widest = independent_widths(values, sums, set(candidates(relations).tolist()), cells)
    for cell, width, attainable in zip(cells, required.width.tolist(), required.attainable.tolist(), strict=True):
        assert widest[cell] == attainable  # what the rule cannot ask is measured right
        assert width == min(rule.width, attainable)
        assert after[cell] >= width, (cell, after[cell], width)


def test_the_rule_refuses_a_width_outside_0_to_3() -> None:
    with pytest.raises(ValueError, match="1..3"):
        Rule(width=4)


@pytest.mark.parametrize(("width", "zero_sensitive", "expected"), [
    ("3", "False", Rule(3, False)), (3, False, Rule(3, False)), ("1", "True", Rule(1, True)), (2, True, Rule(2, True)),
])
def test_the_rule_reads_dbt_vars_as_dbt_renders_them(width, zero_sensitive, expected: Rule) -> None:
    # dbt renders "{{ var(...) }}" in a model's config as text or as a value; "False" is not true.
    assert rule_of(width, zero_sensitive) == expected


@pytest.fixture(scope="module")
def protected_2021(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copy where `nav-tiltak protect` ran on the shipped 2021 document."""
    project = copy_project(tmp_path_factory.mktemp("protect") / "project", standin=True)
    result = run_cli(project, "protect", "--", str(DOCUMENT_2021))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    # The build says which cells the rule cannot be met for, and why.
    assert "Warning, rule not met: The protection rule's width is attainable" in result.stdout
    assert "Oslo / 2021-01-01: 1..3 is the widest any pattern gives" in result.stdout
    return project


def test_2021_plan_counts_before_and_after_and_the_re_audit_finds_nothing_short(protected_2021: Path) -> None:
    with connect_warehouse(protected_2021 / "warehouse" / "nav_tiltak.duckdb") as connection:
        plan_row = connection.execute("""
            select sum(added_cells), sum(added_participants), sum(objective), sum(bound), sum(seconds)
            from publisher.protection.suppression_plan
        """).fetchone()
        statuses = dict(connection.execute("""
            select pattern || ' ' || status, count(*) from publisher.protection.protected_cells group by all
        """).fetchall())
        heuristic = connection.execute("""
            select count(*) filter (where not is_secondary and interval_low = interval_high and interval_low > 0),
                   count(*) filter (where is_secondary and interval_low = interval_high),
                   count(*) filter (where is_secondary)
            from publisher.protection.protected_cell_intervals where pattern = 'one_per_disclosure'
        """).fetchone()
    added, participants, objective, bound, seconds = plan_row
    # Before: 653 `*`, 231 revealed exactly as 1-3 people, 179 as 0 (exempt), so 474 the rule protects.
    assert statuses["plan meets_rule"] + statuses["plan widest_possible"] == 474
    assert statuses["plan exempt_zero"] == 179
    assert statuses.get("plan short_of_rule", 0) == 0  # the re-audit's zero
    assert statuses["plan widest_possible"] == 14
    # After: 298 printed cells suppressed as well, 45,483 participants: optimal (the solver's bound).
    assert (added, participants) == (298, 45_483)
    assert objective == pytest.approx(bound)
    assert seconds < 30
    # The report's one-cell-per-disclosure heuristic (its 209 cells) leaves 48 exact disclosures and 48 of
    # its own cells revealed exactly.
    assert heuristic == (48, 48, 209)


def test_2021_protected_document_is_the_input_with_the_added_cells_starred(protected_2021: Path) -> None:
    output = protected_2021 / "protected"
    original = DOCUMENT_2021.read_bytes()
    protected = (output / DOCUMENT_2021.name).read_bytes()
    with open(output / "added-suppressions.csv", encoding="utf-8", newline="") as handle:
        side = list(csv.DictReader(handle))
    assert len(side) == 298
    changed = 0
    for before, after in zip(original.split(b"\n"), protected.split(b"\n"), strict=True):
        for old, new in zip(before.split(b"\t"), after.split(b"\t"), strict=True):
            if old != new:
                assert new == b"*" and old.replace(b" ", b"").isdigit() and int(old.replace(b" ", b"")) >= 4
                changed += 1
    assert changed == 298
    # A side-file row names a printed value that is now `*`, at its line.
    lines = decode(protected, DOCUMENT_2021.name).split("\n")
    for row in side:
        assert "*" in lines[int(row["source_position"]) - 1].split("\t")
    (loaded,) = load_documents([output / DOCUMENT_2021.name], read_layout())
    stars = sum(values.split("\t").count("*") for table in loaded.document.tables for values in table.row_values)
    assert stars == 653 + 298
    report = (output / "protection-report.md").read_text(encoding="utf-8")
    assert "**298 cells**" in report and "**optimal**" in report
    assert "| this plan | 298 | 45,483 | 0 | 0 | 0 | 14 |" in report


def test_2021_marts_are_unaffected_by_protect(protected_2021: Path, warehouse) -> None:
    query = ("select * from marts.main_group_by_measure_group where year(month_date) = 2021 "
             "order by all")
    with connect_warehouse(protected_2021 / "warehouse" / "nav_tiltak.duckdb") as connection:
        assert connection.execute(query).fetchall() == warehouse.execute(query).fetchall()


@pytest.mark.e2e
def test_protect_never_writes_over_an_input_or_a_folder_it_did_not_write(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    into_input = run_cli(project, "protect", "--output", "data/raw")
    assert into_input.returncode == 1 and "would overwrite the input" in into_input.stderr
    (project / "mine").mkdir()
    (project / "mine" / "notes.txt").write_text("keep", encoding="utf-8")
    foreign = run_cli(project, "protect", "--output", "mine")
    assert foreign.returncode == 1 and "is not a folder `make protect` wrote" in foreign.stderr
    assert "Traceback" not in into_input.stderr + foreign.stderr
    assert (project / "mine" / "notes.txt").read_text(encoding="utf-8") == "keep"
    assert not (project / "warehouse" / "nav_tiltak.duckdb").exists()  # refused before building


@pytest.mark.e2e
def test_protect_options_reach_the_plan_and_the_re_audit(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    result = run_cli(project, "protect", "--width", "1", "--zero-sensitive", "--cost", "cells", "--output",
                     str(tmp_path / "out"), "--", str(DOCUMENT_2021))
    assert result.returncode == 0, result.stdout + result.stderr
    with connect_warehouse(project / "warehouse" / "nav_tiltak.duckdb") as connection:
        measures = connection.execute("select distinct cost_measure from publisher.protection.suppression_plan"
                                      ).fetchall()
        statuses = dict(connection.execute("select status, count(*) from publisher.protection.protected_cells "
                                           "where pattern = 'plan' group by all").fetchall())
        widths = connection.execute("select distinct required_width from publisher.protection.protected_cell_intervals "
                                    "where pattern = 'plan' and not is_secondary").fetchall()
    assert measures == [("cells",)]
    assert "exempt_zero" not in statuses and "short_of_rule" not in statuses  # zeros protected too
    assert statuses["meets_rule"] == 653 and widths == [(1,)]  # width 1 is attainable for every `*`
    report = (tmp_path / "out" / "protection-report.md").read_text(encoding="utf-8")
    assert "at least 1 wide (never exact)" in report and "The plan minimises cells." in report


@pytest.mark.e2e
def test_a_workbook_is_protected_as_a_workbook(tmp_path: Path) -> None:
    # The 2021 county tables saved as a workbook: the same cells are added, each set to "*" in its cell.
    from python_calamine import CalamineWorkbook

    from nav_tiltak.workbook_writer import county_tables_workbook

    project = copy_project(tmp_path / "project")
    workbook = county_tables_workbook(DOCUMENT_2021.read_text(encoding="utf-8"), tmp_path / "in" / "tiltak-2021.xlsx")
    result = run_cli(project, "protect", "--output", str(tmp_path / "out"), "--", str(workbook))
    assert result.returncode == 0, result.stdout + result.stderr
    with open(tmp_path / "out" / "added-suppressions.csv", encoding="utf-8", newline="") as handle:
        side = list(csv.DictReader(handle))
    assert len(side) == 298

    def cells(path: Path) -> list[list]:
        return CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Ark1").to_python(skip_empty_area=False)

    before, after = cells(workbook), cells(tmp_path / "out" / workbook.name)
    changed = {(r, c) for r, row in enumerate(after) for c, value in enumerate(row) if value != before[r][c]}
    assert len(changed) == 298 and all(after[r][c] == "*" for r, c in changed)
    for row in side:  # each named cell ("Ark1!C25") is one of them
        address = row["source_position"].split("!")[1]
        column = sum((ord(letter) - 64) * 26 ** i for i, letter in enumerate(reversed(address.rstrip("0123456789"))))
        assert (int(address.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) - 1, column - 1) in changed
