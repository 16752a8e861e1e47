"""The disclosure audit: hand-made tables with known answers, ground truth on random tables suppressed as
NAV does, and the counts per status on the 2021 document."""

import itertools
import random
from pathlib import Path

import duckdb
import pytest

from nav_tiltak.audit import InfeasibleError, Relation, audit_relations, feasibility_intervals

STAR = (0, 3)


def two_by_two(a, b, c, d, rows, columns, total):
    """Interior a b / c d, row totals, column totals and the grand total, as (low, high) bounds."""
    cells = {"a": a, "b": b, "c": c, "d": d, "r1": rows[0], "r2": rows[1], "c1": columns[0], "c2": columns[1],
             "t": total}
    relations = [Relation("r1", ("a", "b")), Relation("r2", ("c", "d")), Relation("c1", ("a", "c")),
                 Relation("c2", ("b", "d")), Relation("t", ("r1", "r2")), Relation("t", ("c1", "c2"))]
    return feasibility_intervals(cells, relations)


def exact(value):
    return (value, value)


def test_single_suppressed_interior_cell_is_pinned_by_its_margin() -> None:
    # a = * with b = 10 and row total 12: a is exactly 2.
    intervals = two_by_two(STAR, exact(10), exact(7), exact(8), [exact(12), exact(15)], [exact(9), exact(18)],
                           exact(27))
    assert intervals == {"a": (2, 2)}


def test_four_suppressed_cells_with_margins_of_3_stay_protected() -> None:
    intervals = two_by_two(STAR, STAR, STAR, STAR, [exact(3), exact(3)], [exact(3), exact(3)], exact(6))
    assert intervals == {"a": (0, 3), "b": (0, 3), "c": (0, 3), "d": (0, 3)}


def test_margins_narrow_without_pinning() -> None:
    # a + b = 4 with both in 0..3: each is 1..3; c + d = 2 leaves 0..2.
    intervals = two_by_two(STAR, STAR, STAR, STAR, [exact(4), exact(2)], [exact(3), exact(3)], exact(6))
    assert intervals == {"a": (1, 3), "b": (1, 3), "c": (0, 2), "d": (0, 2)}


def test_interior_cell_pinned_only_by_combining_margins() -> None:
    # No single relation pins a (its row and column each hold two unknowns), the system does: b = 3 - ...
    # r1 = a + b = 3, c1 = a + c = 3, c = 3 - a, d = 3 - b; r2 = c + d = 6 - 3 = 3 ... choose r2 = 6 - 0.
    intervals = two_by_two(STAR, STAR, STAR, exact(5), [exact(3), exact(6)], [exact(3), exact(6)], exact(9))
    # c + 5 = 6 -> c = 1; a = 3 - 1 = 2; b = 3 - 2 = 1.
    assert intervals == {"a": (2, 2), "b": (1, 1), "c": (1, 1)}


def test_suppressed_total_is_an_unknown_too() -> None:
    intervals = feasibility_intervals({"t": STAR, "x": exact(0), "y": STAR}, [Relation("t", ("x", "y"))])
    assert intervals == {"t": (0, 3), "y": (0, 3)}


def test_contradicting_figures_are_reported() -> None:
    with pytest.raises(InfeasibleError):
        feasibility_intervals({"t": exact(10), "x": exact(4), "y": STAR}, [Relation("t", ("x", "y"))])


def test_fractional_optimum_is_resolved_as_integer_program() -> None:
    # 2x + y = 3 (x counted twice) is not a two-way table: the LP maximum of x is 1.5 (y = 0), the integer
    # maximum 1; the LP minimum of y is 0 (x = 1.5), the integer minimum 1.
    intervals = feasibility_intervals({"t": exact(3), "x": STAR, "y": STAR}, [Relation("t", ("x", "x", "y"))])
    assert intervals == {"x": (0, 1), "y": (1, 3)}


def test_relations_without_an_integer_solution_are_reported() -> None:
    with pytest.raises(InfeasibleError):
        feasibility_intervals({"t": exact(3), "x": STAR}, [Relation("t", ("x", "x"))])


GEOGRAPHIES = ["00", "03", "11", "15", "18", "30", "98", "99"]
MAIN_GROUPS = ["arbeidssokere", "nedsatt_arbeidsevne", "andre", "alle"]


def random_block(rng: random.Random):
    """True counts for one month and measure group, consistent, with many small values."""
    truth = {}
    for g in GEOGRAPHIES[1:]:
        for m in MAIN_GROUPS[:3]:
            truth[(g, m)] = rng.choice([0, 0, 1, 2, 3, 4, 5, rng.randint(0, 12), rng.randint(0, 300)])
        truth[(g, "alle")] = sum(truth[(g, m)] for m in MAIN_GROUPS[:3])
    for m in MAIN_GROUPS:
        truth[("00", m)] = sum(truth[(g, m)] for g in GEOGRAPHIES[1:])
    return truth


def suppress_as_nav(truth):
    """Every value below 4 printed as "*"; 0 stays 0 where NAV omits the row (and is known then)."""
    return {key: (value, value) if value >= 4 or value == 0 else STAR for key, value in truth.items()}


def brute_force(published: dict, relations: list[Relation]) -> dict:
    """The exact interval of every "*" by trying each of its values 0..3 (for blocks with few of them)."""
    stars = [key for key, (low, high) in published.items() if low < high]
    seen: dict = {key: set() for key in stars}
    for values in itertools.product(range(4), repeat=len(stars)):
        value = {key: published[key][0] for key in published} | dict(zip(stars, values, strict=True))
        if all(value[r.total] == sum(value[part] for part in r.parts) for r in relations):
            for key, v in zip(stars, values, strict=True):
                seen[key].add(v)
    return {key: (min(found), max(found)) for key, found in seen.items()}


@pytest.mark.parametrize("seed", range(300))
def test_intervals_hold_the_truth_and_are_exact(seed: int) -> None:
    """On random tables suppressed as NAV does: every interval holds the true value, and where the table
    has few enough "*" to try every combination of their values, the interval is exactly the set of values
    the published figures allow (no tighter, no wider)."""
    rng = random.Random(seed)
    truth = random_block(rng)
    published = suppress_as_nav(truth)
    # NAV omits empty rows, but a printed row can hold zeros among its months: sometimes print 0 as "*" too.
    for key, value in truth.items():
        if value == 0 and rng.random() < 0.3:
            published[key] = STAR
    intervals = {tuple(cell.split("|")[1:]): (low, high)
                 for cell, low, high in audit_relations(relation_rows("2021-01", published))}
    assert set(intervals) == {key for key, (low, high) in published.items() if low < high}
    for key, (low, high) in intervals.items():
        assert low <= truth[key] <= high, (seed, key)
    if sum(low < high for low, high in published.values()) <= 7:
        assert intervals == brute_force(published, table_relations(GEOGRAPHIES, MAIN_GROUPS)), seed


def table_relations(geographies: list[str], main_groups: list[str]) -> list[Relation]:
    """The relations of one month and measure group of NAV's county tables, on (geography, main group):
    each table's rows add up to Norway (00), each geography's main groups add up to all groups (alle)."""
    parts = [g for g in geographies if g != "00"]
    groups = [m for m in main_groups if m != "alle"]
    return [*(Relation(("00", m), tuple((g, m) for g in parts)) for m in [*groups, "alle"]),
            *(Relation((g, "alle"), tuple((g, m) for m in groups)) for g in ["00", *parts])]


def relation_rows(month: str, published: dict) -> list[tuple]:
    """The rows audit_relations reads (as the dbt model int_relations gives them) for one block."""
    return [(f"{month}/{index}", f"{month}|" + "|".join(cell), cell == relation.total, *published[cell])
            for index, relation in enumerate(table_relations(GEOGRAPHIES, MAIN_GROUPS))
            for cell in [relation.total, *relation.parts]]


def test_2021_counts_per_status(warehouse) -> None:
    counts = dict(warehouse.execute(
        "select status, count(*) from publisher.audit.suppressed_cell_intervals where year(month_date) = 2021 "
        "group by status").fetchall())
    assert counts == {"exact_positive": 231, "exact_zero": 179, "narrowed": 85, "protected": 158}
    assert warehouse.execute(
        "select sum(suppressed_count), sum(exact_positive_count) from publisher.audit.disclosure_summary "
        "where summary_level = 'month' and year(month_date) = 2021").fetchone() == (653, 231)


def test_2021_example_disclosure_is_explained(warehouse) -> None:
    # Oppfølging, March: I alt 18,368 and the printed rows add up to 18,365 with one "*" (Øvrige områder).
    row = warehouse.execute(
        "select interval_low, interval_high, status, revealed_by, source_line "
        "from publisher.audit.suppressed_cell_intervals "
        "where month_date = date '2021-03-01' and county_code = '98' and main_group = 'alle' "
        "and measure_group = 'oppfolging'").fetchone()
    assert row == (3, 3, "exact_positive", "Oppfølging, Mars: I alt (18,368) minus the other printed rows (18,365)", 60)


def test_marts_never_show_the_audit(warehouse) -> None:
    row = warehouse.execute(
        "select participant_count, participant_count_low, participant_count_high from "
        "marts.main_group_by_measure_group where month_date = date '2021-03-01' and county_code = '98' "
        "and main_group = 'alle' and measure_group = 'oppfolging'").fetchone()
    assert row == (None, 0, 3)


def test_the_warehouse_bi_tools_open_holds_no_value_derived_for_a_suppressed_cell(built_project: Path) -> None:
    """The audit's cell-by-cell intervals (231 `*` of 2021 alone pinned to their exact 1-3) are in the
    publisher's database beside the warehouse, never in the warehouse; there, only counts that pin no cell.
    (This process may hold the warehouse open with the publisher's attached: only the warehouse's own catalog
    is looked at.)"""
    path = built_project / "warehouse" / "nav_tiltak.duckdb"
    with duckdb.connect(str(path), read_only=True) as connection:
        tables = connection.execute("select table_schema || '.' || table_name from information_schema.tables "
                                    "where table_schema not in ('marts', 'staging', 'intermediate', 'reference') "
                                    "and table_catalog = current_database() order by 1").fetchall()
        columns = connection.execute("select table_schema || '.' || table_name || '.' || column_name "
                                     "from information_schema.columns where column_name similar to "
                                     "'(interval_|revealed_count|bound_|relation_bound_).*' "
                                     "and table_catalog = current_database()").fetchall()
        counts = connection.execute("select * from audit.disclosure_counts limit 0").description
    assert tables == [("audit.disclosure_counts",)] and columns == []
    assert "exact_positive_count" not in {column[0] for column in counts}  # an exact value is 0 or 1-3: not said
    with duckdb.connect(str(path.with_name("nav_tiltak_audit.duckdb")), read_only=True) as connection:
        assert connection.execute("select count(*) from audit.suppressed_cell_intervals where status = "
                                  "'exact_positive' and year(month_date) = 2021").fetchone() == (231,)


def test_report_for_the_publisher(built_project: Path) -> None:
    from nav_tiltak.audit_report import render
    from nav_tiltak.publish import open_audit

    with open_audit(built_project / "warehouse" / "nav_tiltak.duckdb") as connection:
        report = render(connection)
    # The 2021 county tables' 653, the national workbooks' 322 and the municipality sheets' 2,201; of them 231,
    # 45 and 11 revealed as 1-3 people, the municipalities' by their county's figure.
    assert "NAV printed **3,176** cells" in report
    assert "**287 (9%) revealed exactly as 1-3 people**" in report
    assert "| Tiltak og kommune | municipalities_to_county | 11 | 0 | 0 | 0 | 11 |" in report
    assert "| Andre på tiltak, arbeidspraksis | 60 | 5 | 0 | 0 | 65 |" in report
    # The exact disclosures, the first months first, with the relation that reveals each in words.
    assert ("| deltakere-arbeidsrettede-tiltak-2021.txt:86 | Opplæring | Øvrige områder | 2021-01 | 1 | Opplæring, "
            "Januar: I alt (13,429) minus the other printed rows (13,428) |") in report
    # A second suppression is suggested in the relation that reveals the cell: the smallest exact part.
    assert ('| Oppfølging | 2021-03 | Øvrige områder | 3 | deltakere-arbeidsrettede-tiltak-2021.txt:61 Oppfølging / '
            'Ukjent / Mars = "6" (6) |') in report


def test_worker_processes_give_the_same_intervals(monkeypatch) -> None:
    import nav_tiltak.audit as audit

    monkeypatch.setattr(audit, "_CELLS_PER_PROGRAM", 40)  # many programs, shared by two worker processes
    monkeypatch.setattr(audit, "_PROGRAMS_PER_WORKER", 1)
    rows = []
    for seed in range(40):
        rows += relation_rows(f"month-{seed:03d}", suppress_as_nav(random_block(random.Random(seed))))
    assert audit_relations(rows, workers=2) == audit_relations(rows, workers=1)
