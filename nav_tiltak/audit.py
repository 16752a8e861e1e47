"""Disclosure audit: the feasibility interval of every suppressed cell, given everything published.

A suppressed cell ("*") is an unknown integer 0..3; an exact cell is a known integer. Published relations
say that parts add up to a total. For each unknown, two linear programs (minimise it, maximise it) over all
the relations give the smallest and largest value consistent with what was published — the "audit" of
tau-ARGUS and sdcTable's attack(). HiGHS solves them; this module only builds the programs.

NAV's county tables form, per month and measure group, a two-way table (geography x main group) with both
margins printed, whose constraint matrix is totally unimodular: the linear programs' optima are integers
and equal the integer bounds. The national tables add a third way (measure types within groups); a
fractional optimum there is re-solved as an integer program.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import sys
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import highspy

_TOLERANCE = 1e-6
_MONTHS_PER_WORKER = 12  # below this, starting processes costs more than it saves


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
    highs = _quiet_highs()
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


_banner_shown = False


def _quiet_highs() -> highspy.Highs:
    """A HiGHS instance with its output off. The first instance in a process prints HiGHS's banner to the
    process's standard output (dbt's) whatever the options, so that one is made with it sent to /dev/null."""
    global _banner_shown
    if _banner_shown:
        highs = highspy.Highs()
    else:
        sys.stdout.flush()
        saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        try:
            highs = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(devnull)
        _banner_shown = True
    highs.setOptionValue("output_flag", False)
    return highs


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


def _audit_months(months: list[tuple[object, list[tuple]]]) -> list[tuple]:
    """Intervals for the suppressed cells of each month: (cell key, interval low, interval high)."""
    result = []
    for month, rows in months:
        bounds: dict[Hashable, tuple[int, int]] = {}
        members: dict[Hashable, tuple[Hashable | None, list[Hashable]]] = {}
        for relation, cell, is_total, low, high in rows:
            bounds[cell] = (low, high)
            total, parts = members.setdefault(relation, (None, []))
            if is_total:
                members[relation] = (cell, parts)
            else:
                parts.append(cell)
        relations = [Relation(total, tuple(parts)) for total, parts in members.values() if total is not None]
        try:
            intervals = feasibility_intervals(bounds, relations)
        except InfeasibleError as error:
            raise InfeasibleError(f"{month}: {error}") from None
        result.extend((cell, low, high) for cell, (low, high) in sorted(intervals.items()))
    return result


def audit_relations(rows: Iterable[tuple], workers: int | None = None) -> list[tuple]:
    """Intervals for every suppressed cell of the published relations.

    ``rows`` are (month, relation key, cell key, is_total, low, high): one per cell of each relation (see
    the dbt model int_relations), a total and the parts that add up to it. Relations never span months, so
    each month is solved on its own, and many months (a decade of editions and more) are shared among
    ``workers`` processes (default: one per core). Returns (cell key, interval low, interval high) for each
    cell that is suppressed (low < high) in some relation.
    """
    by_month: dict[object, list[tuple]] = defaultdict(list)
    for month, relation, cell, is_total, low, high in rows:
        by_month[month].append((relation, cell, is_total, low, high))
    months = [(month, by_month[month]) for month in sorted(by_month)
              if any(low < high for *_, low, high in by_month[month])]
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(months) < _MONTHS_PER_WORKER * 2:
        return sorted(_audit_months(months))
    # fork: the workers need only this module, and nothing of the caller's threads (dbt's) runs in them.
    chunks = [months[i::workers] for i in range(workers)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return sorted(row for part in pool.map(_audit_months, chunks) for row in part)
