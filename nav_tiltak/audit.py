"""Disclosure audit: the feasibility interval of every suppressed cell, given everything published.

A suppressed cell ("*") is an unknown integer 0..3; an exact cell is a known integer. Published relations
say that parts add up to a total. For each unknown, two linear programs (minimise it, maximise it) over all
the relations give the smallest and largest value consistent with what was published — the "audit" of
tau-ARGUS and sdcTable's attack(). HiGHS solves them; this module only builds the programs.

NAV's tables form, per month and measure group, a two-way table (geography x main group) with both margins
printed. Its constraint matrix is totally unimodular, so the linear programs' optima are integers and equal
the integer bounds; a fractional optimum (possible for other structures) is re-solved as an integer
program.
"""

from __future__ import annotations

import math
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import highspy

_TOLERANCE = 1e-6
_BLOCKS_PER_WORKER = 500  # below this, starting processes costs more than it saves


@dataclass(frozen=True)
class Relation:
    """Published: the parts add up to the total."""

    total: Hashable
    parts: tuple[Hashable, ...]


class InfeasibleError(ValueError):
    """The published figures contradict each other: no value of the unknowns satisfies every relation."""


def feasibility_intervals(bounds: dict[Hashable, tuple[int, int]],
                          relations: Sequence[Relation]) -> dict[Hashable, tuple[int, int]]:
    """The interval [low, high] of every unknown cell (low < high in ``bounds``) under ``relations``.

    ``bounds`` gives every cell's known value (low == high) or range; a cell named in a relation but
    missing from ``bounds`` is 0 (NAV omits empty rows and tables).

    Cheap steps first: bounds propagation through each relation pins most cells that are pinned at all
    (propagated bounds are implied by the relations, so they never cut off a feasible value); the linear
    programs then run only on the cells still open, one connected group of relations at a time.
    """
    current = {key: bounds[key] for key in bounds if bounds[key][0] < bounds[key][1]}
    if not current:
        return {}
    rows = []  # (coefficients by unknown, constant): sum(coefficient * unknown) + constant = 0
    for relation in relations:
        coefficients: dict[Hashable, int] = defaultdict(int)
        constant = 0
        for key, sign in [(relation.total, -1), *((part, 1) for part in relation.parts)]:
            if key in current:
                coefficients[key] += sign
            else:
                constant += sign * bounds.get(key, (0, 0))[0]
        coefficients = {key: c for key, c in coefficients.items() if c}
        if coefficients:
            rows.append((coefficients, constant))
        elif constant:
            raise InfeasibleError(f"published figures do not add up: {relation} is off by {constant}")
    _propagate(current, rows)
    open_keys = [key for key, (low, high) in current.items() if low < high]
    for group in _connected(open_keys, rows):
        intervals = _solve(group, current, rows)
        current.update(intervals)
    return current


def _propagate(current: dict[Hashable, tuple[int, int]], rows: list[tuple[dict, int]]) -> None:
    """Tighten each unknown's bounds from each relation, until nothing changes."""
    changed = True
    while changed:
        changed = False
        for coefficients, constant in rows:
            low_sum = constant + sum(c * (current[k][0] if c > 0 else current[k][1]) for k, c in coefficients.items())
            high_sum = constant + sum(c * (current[k][1] if c > 0 else current[k][0]) for k, c in coefficients.items())
            if low_sum > 0 or high_sum < 0:
                raise InfeasibleError("no values of the suppressed cells satisfy every published relation")
            for key, c in coefficients.items():
                low, high = current[key]
                # c * x = -(the rest), and the rest lies in [low_sum - c*x's low part, ...]
                rest_low = low_sum - (c * low if c > 0 else c * high)
                rest_high = high_sum - (c * high if c > 0 else c * low)
                bound_a, bound_b = -rest_high / c, -rest_low / c
                new_low = max(low, math.ceil(min(bound_a, bound_b) - _TOLERANCE))
                new_high = min(high, math.floor(max(bound_a, bound_b) + _TOLERANCE))
                if new_low > new_high:
                    raise InfeasibleError("no values of the suppressed cells satisfy every published relation")
                if (new_low, new_high) != (low, high):
                    current[key] = (new_low, new_high)
                    changed = True
                    low_sum = constant + sum(c2 * (current[k][0] if c2 > 0 else current[k][1])
                                             for k, c2 in coefficients.items())
                    high_sum = constant + sum(c2 * (current[k][1] if c2 > 0 else current[k][0])
                                              for k, c2 in coefficients.items())


def _connected(keys: list[Hashable], rows: list[tuple[dict, int]]) -> list[list[Hashable]]:
    """The open unknowns grouped by the relations that link them."""
    parent = {key: key for key in keys}

    def find(key):
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for coefficients, _ in rows:
        members = [k for k in coefficients if k in parent]
        for other in members[1:]:
            parent[find(other)] = find(members[0])
    groups: dict[Hashable, list[Hashable]] = defaultdict(list)
    for key in keys:
        groups[find(key)].append(key)
    return list(groups.values())


def _solve(group: list[Hashable], current: dict[Hashable, tuple[int, int]],
           rows: list[tuple[dict, int]]) -> dict[Hashable, tuple[int, int]]:
    """Two linear programs per unknown of one group; the other unknowns' bounds are fixed or irrelevant."""
    column = {key: index for index, key in enumerate(group)}
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.addVars(len(group), [float(current[k][0]) for k in group], [float(current[k][1]) for k in group])
    for coefficients, constant in rows:
        inside = {k: c for k, c in coefficients.items() if k in column}
        if not inside:
            continue
        # Unknowns outside the group are pinned here (else they would be linked to it): move them over.
        rest = constant + sum(c * current[k][0] for k, c in coefficients.items() if k not in column)
        indices = [column[k] for k in inside]
        highs.addRow(-rest, -rest, len(indices), indices, [float(c) for c in inside.values()])
    count = len(group)
    # Every solution is a feasible point: a value seen in one is reachable. A cell already seen at its
    # lower (upper) bound needs no program for its minimum (maximum) — most cells are, at 0 or 3.
    seen_low = {key: current[key][1] for key in group}
    seen_high = {key: current[key][0] for key in group}

    def solve(key: Hashable, sense: highspy.ObjSense) -> int:
        value = _optimum(highs, column[key], count, sense)
        solution = highs.getSolution().col_value
        if all(abs(x - round(x)) <= _TOLERANCE for x in solution):
            for other, x in zip(group, solution, strict=True):
                seen_low[other] = min(seen_low[other], round(x))
                seen_high[other] = max(seen_high[other], round(x))
        return value

    intervals = {}
    for key in group:
        low, high = current[key]
        intervals[key] = (low if seen_low[key] <= low else solve(key, highspy.ObjSense.kMinimize),
                          high if seen_high[key] >= high else solve(key, highspy.ObjSense.kMaximize))
    return intervals


def _optimum(highs: highspy.Highs, index: int, count: int, sense: highspy.ObjSense) -> int:
    """min or max of one variable; the previous basis warm-starts the solve."""
    costs = [0.0] * count
    costs[index] = 1.0
    highs.changeColsCost(count, list(range(count)), costs)
    highs.changeObjectiveSense(sense)
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise InfeasibleError(f"no values of the suppressed cells satisfy every published relation "
                              f"({highs.modelStatusToString(highs.getModelStatus())})")
    value = highs.getInfo().objective_function_value
    if any(abs(x - round(x)) > _TOLERANCE for x in highs.getSolution().col_value):
        value = _integer_optimum(highs, count)  # a fractional vertex: its optimum may not be attainable
    return math.ceil(value - _TOLERANCE) if sense == highspy.ObjSense.kMinimize else math.floor(value + _TOLERANCE)


def _integer_optimum(highs: highspy.Highs, count: int) -> float:
    """Re-solve the current objective with integer unknowns (for structures that are not unimodular)."""
    integer = highspy.HighsVarType.kInteger
    continuous = highspy.HighsVarType.kContinuous
    highs.changeColsIntegrality(count, list(range(count)), [integer] * count)
    highs.run()
    status = highs.getModelStatus()
    value = highs.getInfo().objective_function_value
    highs.changeColsIntegrality(count, list(range(count)), [continuous] * count)
    if status != highspy.HighsModelStatus.kOptimal:
        raise InfeasibleError("no integer values of the suppressed cells satisfy every published relation")
    return value


def table_relations(geographies: Iterable[str], main_groups: Iterable[str], total_geography: str = "00",
                    total_main_group: str = "alle") -> list[Relation]:
    """The relations NAV's tables publish for one month and measure group, on keys (geography, main group):
    in each table the geographies add up to the national row, and for each geography the main groups add up
    to the all-groups table."""
    geographies = [g for g in geographies if g != total_geography]
    main_groups = [m for m in main_groups if m != total_main_group]
    return [
        *(Relation((total_geography, m), tuple((g, m) for g in geographies))
          for m in [*main_groups, total_main_group]),
        *(Relation((g, total_main_group), tuple((g, m) for m in main_groups))
          for g in [*geographies, total_geography]),
    ]


def _audit_blocks(blocks: list[tuple[tuple, dict]]) -> list[tuple]:
    result = []
    for (month, measure_group), bounds in blocks:
        relations = table_relations({g for g, _ in bounds}, {m for _, m in bounds})
        try:
            intervals = feasibility_intervals(bounds, relations)
        except InfeasibleError as error:
            raise InfeasibleError(f"{month}, {measure_group}: {error}") from None
        result.extend((month, measure_group, county, main_group, low, high)
                      for (county, main_group), (low, high) in sorted(intervals.items()))
    return result


def audit_grid(rows: Iterable[tuple], workers: int | None = None) -> list[tuple]:
    """Intervals for every suppressed cell of the gridded tables.

    ``rows`` are (month_date, measure_group, county_code, main_group, low, high) for every cell of the
    grid (see int_cells__gridded); months and measure groups are independent of each other, because NAV
    prints no total over measure groups. Returns (month_date, measure_group, county_code, main_group,
    interval_low, interval_high) for each suppressed cell. Many blocks (a decade of editions and more) are
    shared among ``workers`` processes (default: one per core).
    """
    grouped: dict[tuple, dict[tuple[str, str], tuple[int, int]]] = defaultdict(dict)
    for month, measure_group, county, main_group, low, high in rows:
        grouped[(month, measure_group)][(county, main_group)] = (low, high)
    blocks = [(key, bounds) for key, bounds in sorted(grouped.items())
              if any(low < high for low, high in bounds.values())]
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(blocks) < _BLOCKS_PER_WORKER * 2:
        return _audit_blocks(blocks)
    # fork: the workers need only this module, and nothing of the caller's threads (dbt's) runs in them.
    chunks = [blocks[i::workers] for i in range(workers)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return sorted(row for part in pool.map(_audit_blocks, chunks) for row in part)
