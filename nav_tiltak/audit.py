"""Disclosure audit: the feasibility interval of every suppressed cell, given everything published.

A suppressed cell ("*") is an unknown integer 0..3; an exact cell is a known integer. Published relations
say that parts add up to a total. The smallest and largest value of each unknown consistent with every
relation is its interval — the "audit" of tau-ARGUS and sdcTable's attack().

It is found in two steps, cheap first, both growing linearly with the cells:

1. Bounds propagation, for every relation of every month at once (numpy): each relation bounds each of its
   unknowns by the others' bounds, until nothing changes. Propagated bounds are implied by the relations,
   so they never cut off a feasible value, and they pin most cells that are pinned at all.
2. Linear programs (HiGHS) for the cells still open, a batch of months per program (months never share a
   relation): a solution is a feasible point, so a propagated bound a solution attains is exact. The sum of
   the open cells not yet seen at their bound is maximised (minimised), round after round, and only a cell
   whose propagated bound no solution attains gets a program of its own, whose optimum is its bound.

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
from collections.abc import Hashable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import highspy
import numpy as np

_TOLERANCE = 1e-6
_MONTHS_PER_PROGRAM = 24  # months in one linear program: fewer rounds of programs, each still small
_PROGRAMS_PER_WORKER = 4  # below this many programs, starting processes costs more than it saves


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
    missing from ``bounds`` is 0 (NAV omits empty rows and tables). One month: see ``audit_arrays``.
    """
    keys = list(dict.fromkeys([*bounds, *(key for r in relations for key in (r.total, *r.parts))]))
    ids = {key: index for index, key in enumerate(keys)}
    relation, cell, is_total = [], [], []
    for number, r in enumerate(relations):
        for key, total in [(r.total, True), *((part, False) for part in r.parts)]:
            relation.append(number)
            cell.append(ids[key])
            is_total.append(total)
    low = np.array([bounds.get(key, (0, 0))[0] for key in keys], dtype=np.int64)
    high = np.array([bounds.get(key, (0, 0))[1] for key in keys], dtype=np.int64)
    found = audit_arrays(np.zeros(len(cell), dtype=np.int64), np.array(relation, dtype=np.int64),
                         np.array(cell, dtype=np.int64), np.array(is_total, dtype=bool), low[cell], high[cell],
                         workers=1)
    intervals = {keys[index]: (int(lo), int(hi)) for index, lo, hi in zip(*found, strict=True)}
    # An unknown in no relation keeps its own bounds.
    return {key: intervals.get(key, (lo, hi)) for key, (lo, hi) in bounds.items() if lo < hi}


def audit_relations(rows: Iterable[tuple], workers: int | None = None) -> list[tuple]:
    """Intervals from rows (month, relation key, cell key, is_total, low, high), one per cell of each
    relation (see the dbt model int_relations); returns (cell key, interval low, interval high) for each
    suppressed cell, sorted. The dbt model calls ``audit_arrays`` with ids made in SQL instead."""
    rows = list(rows)
    if not rows:
        return []
    ids: dict[Hashable, int] = {}
    months: dict[Hashable, int] = {}
    relations: dict[Hashable, int] = {}
    columns = [(months.setdefault(m, len(months)), relations.setdefault(r, len(relations)),
                ids.setdefault(c, len(ids)), t, lo, hi) for m, r, c, t, lo, hi in rows]
    month, relation, cell, is_total, low, high = (np.array(column) for column in zip(*columns, strict=True))
    keys = list(ids)
    found = audit_arrays(month, relation, cell, is_total.astype(bool), low, high, workers)
    return sorted((keys[index], int(lo), int(hi)) for index, lo, hi in zip(*found, strict=True))


def audit_arrays(month: np.ndarray, relation: np.ndarray, cell: np.ndarray, is_total: np.ndarray, low: np.ndarray,
                 high: np.ndarray, workers: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The intervals of the suppressed cells of all relations, from arrays with one entry per cell of each
    relation: its month and relation and cell (integer ids, 0 upwards), whether it is the relation's total,
    and the cell's bounds. Returns (cell ids, interval lows, interval highs) of the cells with low < high."""
    cells = int(cell.max()) + 1
    lo = np.zeros(cells, dtype=np.int64)
    hi = np.zeros(cells, dtype=np.int64)
    lo[cell] = low
    hi[cell] = high
    cell_month = np.zeros(cells, dtype=np.int64)
    cell_month[cell] = month
    unknown = lo < hi
    sign = np.where(is_total, -1, 1)
    # Known cells are constants of their relations; a cell twice in a relation has coefficient 2.
    known = ~unknown[cell]
    constant = np.bincount(relation[known], weights=sign[known] * lo[cell[known]],
                           minlength=int(relation.max()) + 1).astype(np.int64)
    entries = ~known
    pair, inverse = np.unique(relation[entries] * cells + cell[entries], return_inverse=True)
    coefficient = np.bincount(inverse, weights=sign[entries], minlength=len(pair)).astype(np.int64)
    keep = coefficient != 0
    pair, coefficient = pair[keep], coefficient[keep]
    entry_relation, entry_cell = pair // cells, pair % cells
    without_unknowns = np.setdiff1d(np.flatnonzero(constant), entry_relation)
    if len(without_unknowns):
        raise InfeasibleError(f"published figures do not add up: {len(without_unknowns)} relation(s) off by "
                              f"{int(constant[without_unknowns[0]])} and more")
    _propagate(lo, hi, entry_relation, entry_cell, coefficient, constant)
    open_cells = np.flatnonzero(lo < hi)
    if len(open_cells):
        _solve_open(open_cells, lo, hi, cell_month, entry_relation, entry_cell, coefficient, constant, workers)
    suppressed = np.flatnonzero(unknown)
    return suppressed, lo[suppressed], hi[suppressed]


def _propagate(lo: np.ndarray, hi: np.ndarray, relation: np.ndarray, cell: np.ndarray, coefficient: np.ndarray,
               constant: np.ndarray) -> None:
    """Tighten every unknown's bounds from every relation, all at once, until nothing changes (in place).

    A relation says sum(coefficient * unknown) + constant = 0; each unknown lies where the rest of the sum
    can meet it. The fixpoint does not depend on the order relations are used in, so one pass over all of
    them at a time (numpy) reaches the one a relation-by-relation loop reaches."""
    relations = len(constant)
    while True:
        contribution_low = np.where(coefficient > 0, coefficient * lo[cell], coefficient * hi[cell])
        contribution_high = np.where(coefficient > 0, coefficient * hi[cell], coefficient * lo[cell])
        low_sum = constant + np.bincount(relation, weights=contribution_low, minlength=relations).astype(np.int64)
        high_sum = constant + np.bincount(relation, weights=contribution_high, minlength=relations).astype(np.int64)
        if np.any(low_sum > 0) or np.any(high_sum < 0):
            raise InfeasibleError("no values of the suppressed cells satisfy every published relation")
        # coefficient * x = -(the rest), and the rest lies in [low_sum - own low part, high_sum - own high part]
        rest_low = low_sum[relation] - contribution_low
        rest_high = high_sum[relation] - contribution_high
        bound_a, bound_b = -rest_high / coefficient, -rest_low / coefficient
        new_lo = np.ceil(np.minimum(bound_a, bound_b) - _TOLERANCE).astype(np.int64)
        new_hi = np.floor(np.maximum(bound_a, bound_b) + _TOLERANCE).astype(np.int64)
        tightened_lo, tightened_hi = lo.copy(), hi.copy()
        np.maximum.at(tightened_lo, cell, new_lo)
        np.minimum.at(tightened_hi, cell, new_hi)
        if np.any(tightened_lo > tightened_hi):
            raise InfeasibleError("no values of the suppressed cells satisfy every published relation")
        if np.array_equal(tightened_lo, lo) and np.array_equal(tightened_hi, hi):
            return
        lo[:], hi[:] = tightened_lo, tightened_hi


def _solve_open(open_cells: np.ndarray, lo: np.ndarray, hi: np.ndarray, cell_month: np.ndarray,
                relation: np.ndarray, cell: np.ndarray, coefficient: np.ndarray, constant: np.ndarray,
                workers: int | None) -> None:
    """Exact bounds of the open cells (in place): linear programs over batches of months."""
    months = np.unique(cell_month[open_cells])
    batch_of_month = np.zeros(int(cell_month.max()) + 1, dtype=np.int64)
    batch_of_month[months] = np.arange(len(months)) // _MONTHS_PER_PROGRAM
    is_open = np.zeros(len(lo), dtype=bool)
    is_open[open_cells] = True
    # The pinned unknowns of a relation are constants of its program; the open ones are its variables.
    pinned = ~is_open[cell]
    rest = constant + np.bincount(relation[pinned], weights=coefficient[pinned] * lo[cell[pinned]],
                                  minlength=len(constant)).astype(np.int64)
    entries = np.flatnonzero(is_open[cell])
    entry_batch = batch_of_month[cell_month[cell[entries]]]
    cell_batch = batch_of_month[cell_month[open_cells]]
    programs = []
    for batch in range(int(batch_of_month[months].max()) + 1):
        variables = open_cells[cell_batch == batch]
        mine = entries[entry_batch == batch]
        programs.append((variables, cell_month[variables], lo[variables], hi[variables], relation[mine], cell[mine],
                         coefficient[mine], rest))
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(programs) < _PROGRAMS_PER_WORKER * 2:
        results = [_solve_program(*program) for program in programs]
    else:
        # fork: the workers need only this module, and nothing of the caller's threads (dbt's) runs in them.
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            results = list(pool.map(_solve_program, *zip(*programs, strict=True), chunksize=2))
    for variables, (program_lo, program_hi) in zip((program[0] for program in programs), results, strict=True):
        lo[variables], hi[variables] = program_lo, program_hi


def _solve_program(variables: np.ndarray, months: np.ndarray, lo: np.ndarray, hi: np.ndarray, relation: np.ndarray,
                   cell: np.ndarray, coefficient: np.ndarray, rest: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The exact bounds of ``variables`` (a batch of months' open cells; ``months`` theirs): rounds of sum
    objectives in one model of the batch, then a model per month for what those rounds left."""
    seen_low, seen_high = hi.copy(), lo.copy()
    highs, record = _program(variables, lo, hi, relation, cell, coefficient, rest, seen_low, seen_high)
    for sense, pending in [(highspy.ObjSense.kMaximize, lambda: seen_high < hi),
                           (highspy.ObjSense.kMinimize, lambda: seen_low > lo)]:
        waiting = pending()
        while waiting.any():
            _run(highs, waiting.astype(float), sense)
            record()
            left = pending()
            if left.sum() == waiting.sum():
                break
            waiting = left
    low, high = lo.copy(), hi.copy()
    # A bound no round attained gets a program of its own, in a model of its month alone (small: fast).
    position = np.full(int(variables.max()) + 1, -1, dtype=np.int64)
    position[variables] = np.arange(len(variables))
    for month in np.unique(months[(seen_low > lo) | (seen_high < hi)]):
        mine = np.flatnonzero(months == month)
        entries = months[position[cell]] == month
        sub_low, sub_high = seen_low[mine], seen_high[mine]
        sub, sub_record = _program(variables[mine], lo[mine], hi[mine], relation[entries], cell[entries],
                                   coefficient[entries], rest, sub_low, sub_high)
        for index in range(len(mine)):
            if sub_low[index] > lo[mine[index]]:
                low[mine[index]] = _optimum(sub, index, len(mine), highspy.ObjSense.kMinimize)
                sub_record()
            if sub_high[index] < hi[mine[index]]:
                high[mine[index]] = _optimum(sub, index, len(mine), highspy.ObjSense.kMaximize)
                sub_record()
    return low, high


def _program(variables: np.ndarray, lo: np.ndarray, hi: np.ndarray, relation: np.ndarray, cell: np.ndarray,
             coefficient: np.ndarray, rest: np.ndarray, seen_low: np.ndarray, seen_high: np.ndarray):
    """A HiGHS model of ``variables`` within their bounds under the relations' entries, and a function that
    records its latest solution's values in ``seen_low``/``seen_high`` (each value seen is reachable)."""
    count = len(variables)
    column = np.full(int(variables.max()) + 1, -1, dtype=np.int64)
    column[variables] = np.arange(count)
    order = np.argsort(relation, kind="stable")
    rows, starts = np.unique(relation[order], return_index=True)
    highs = _quiet_highs()
    highs.addVars(count, lo.astype(float), hi.astype(float))
    value = -rest[rows].astype(float)
    highs.addRows(len(rows), value, value, len(order), starts.astype(np.int32), column[cell[order]].astype(np.int32),
                  coefficient[order].astype(float))

    def record() -> None:
        solution = np.asarray(highs.getSolution().col_value)
        rounded = np.round(solution)
        if np.all(np.abs(solution - rounded) <= _TOLERANCE):  # a fractional vertex proves nothing
            np.minimum(seen_low, rounded.astype(np.int64), out=seen_low)
            np.maximum(seen_high, rounded.astype(np.int64), out=seen_high)

    return highs, record


def _run(highs: highspy.Highs, costs: np.ndarray, sense: highspy.ObjSense) -> None:
    highs.changeColsCost(len(costs), np.arange(len(costs), dtype=np.int32), costs)
    highs.changeObjectiveSense(sense)
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise InfeasibleError(f"no values of the suppressed cells satisfy every published relation "
                              f"({highs.modelStatusToString(highs.getModelStatus())})")


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
    costs = np.zeros(count)
    costs[index] = 1.0
    _run(highs, costs, sense)
    value = highs.getInfo().objective_function_value
    solution = np.asarray(highs.getSolution().col_value)
    if np.any(np.abs(solution - np.round(solution)) > _TOLERANCE):
        value = _integer_optimum(highs, count)  # a fractional vertex: its optimum may not be attainable
    return math.ceil(value - _TOLERANCE) if sense == highspy.ObjSense.kMinimize else math.floor(value + _TOLERANCE)


def _integer_optimum(highs: highspy.Highs, count: int) -> float:
    """Re-solve the current objective with integer unknowns (for structures that are not unimodular)."""
    columns = np.arange(count, dtype=np.int32)
    highs.changeColsIntegrality(count, columns, np.full(count, highspy.HighsVarType.kInteger))
    highs.run()
    status = highs.getModelStatus()
    value = highs.getInfo().objective_function_value
    highs.changeColsIntegrality(count, columns, np.full(count, highspy.HighsVarType.kContinuous))
    if status != highspy.HighsModelStatus.kOptimal:
        raise InfeasibleError("no integer values of the suppressed cells satisfy every published relation")
    return value
