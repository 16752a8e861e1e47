"""Disclosure audit: the feasibility interval of every suppressed cell, given everything published.

A suppressed cell ("*") is an unknown integer 0..3; an exact cell is a known integer. Published relations
say that parts add up to a total. The smallest and largest value of each unknown consistent with every
relation is its interval — the "audit" of tau-ARGUS and sdcTable's attack().

It is found in two steps, cheap first, both growing linearly with the cells:

1. Bounds propagation, for every relation at once (numpy): each relation bounds each of its unknowns by the
   others' bounds, until nothing changes. Propagated bounds are implied by the relations, so they never cut
   off a feasible value, and they pin most cells that are pinned at all.
2. Linear programs (HiGHS) for the cells still open. The open cells fall apart into small independent
   components (cells linked by a relation; a relation holds within one month, and pinned cells are
   constants); many components make one program. A solution is a feasible point, so a propagated bound a
   solution attains is exact: the sum of the open cells not yet seen at their bound is maximised
   (minimised), round after round while a round shows more of them at their bound than there are components
   left. What is left is solved one cell per component at a time: components share no relation, so one
   program whose objective is one cell of each component gives every one of those cells its own optimum.

NAV's county tables form, per month and measure group, a two-way table (geography x main group) with both
margins printed, whose constraint matrix is totally unimodular: the linear programs' optima are integers
and equal the integer bounds. The national tables add a third way (measure types within groups); a
component whose optimum is fractional is solved again alone as an integer program.
"""

from __future__ import annotations

import math
import multiprocessing
import os
from collections.abc import Hashable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import highspy
import numpy as np

from nav_tiltak.solver import TOLERANCE, InfeasibleError, components, model, run

_CELLS_PER_PROGRAM = 2000  # open cells in one linear program (whole components): few solves, each small
_PROGRAMS_PER_WORKER = 4  # below this many programs, starting processes costs more than it saves


@dataclass(frozen=True)
class Relation:
    """Published: the parts add up to the total."""

    total: Hashable
    parts: tuple[Hashable, ...]


def feasibility_intervals(bounds: dict[Hashable, tuple[int, int]],
                          relations: Sequence[Relation]) -> dict[Hashable, tuple[int, int]]:
    """The interval [low, high] of every unknown cell (low < high in ``bounds``) under ``relations``.

    ``bounds`` gives every cell's known value (low == high) or range; a cell named in a relation but
    missing from ``bounds`` is 0 (NAV omits empty rows and tables). One month: see ``audit_arrays``.
    """
    rows = [(number, key, total, *bounds.get(key, (0, 0)))
            for number, r in enumerate(relations)
            for key, total in [(r.total, True), *((part, False) for part in r.parts)]]
    intervals = {key: (low, high) for key, low, high in audit_relations(rows, workers=1)}
    # An unknown in no relation keeps its own bounds.
    return {key: intervals.get(key, (lo, hi)) for key, (lo, hi) in bounds.items() if lo < hi}


def audit_relations(rows: Iterable[tuple], workers: int | None = None) -> list[tuple]:
    """Intervals from rows (relation key, cell key, is_total, low, high), one per cell of each relation
    (see the dbt model int_relations); returns (cell key, interval low, interval high) for each suppressed
    cell, sorted. The dbt model calls ``audit_arrays`` with ids made in SQL instead."""
    rows = list(rows)
    if not rows:
        return []
    ids: dict[Hashable, int] = {}
    relations: dict[Hashable, int] = {}
    columns = [(relations.setdefault(r, len(relations)), ids.setdefault(c, len(ids)), t, lo, hi)
               for r, c, t, lo, hi in rows]
    relation, cell, is_total, low, high = (np.array(column) for column in zip(*columns, strict=True))
    keys = list(ids)
    found = audit_arrays(relation, cell, is_total.astype(bool), low, high, workers)
    return sorted((keys[index], int(lo), int(hi)) for index, lo, hi in zip(*found, strict=True))


def audit_arrays(relation: np.ndarray, cell: np.ndarray, is_total: np.ndarray, low: np.ndarray, high: np.ndarray,
                 workers: int | None = None,
                 only: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The intervals of the suppressed cells of all relations, from arrays with one entry per cell of each
    relation: its relation and cell (integer ids), whether it is the relation's total, and the cell's bounds.
    Returns (cell ids, interval lows, interval highs) of the cells with low < high: exact for the cells
    ``only`` names (default: all), the others as bounds propagation leaves them (as wide or wider)."""
    relation_ids, relation = np.unique(relation, return_inverse=True)  # numbered from 0: ids index arrays below
    try:
        return _intervals(relation, cell, is_total, low, high, workers, only)
    except InfeasibleError as error:  # named by the ids the caller gave
        raise InfeasibleError(str(error), relation_ids[error.relations]) from None


def _intervals(relation: np.ndarray, cell: np.ndarray, is_total: np.ndarray, low: np.ndarray, high: np.ndarray,
               workers: int | None, only: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``audit_arrays`` with relations numbered from 0."""
    ids, cell = np.unique(cell, return_inverse=True)
    cells = len(ids)
    lo = np.zeros(cells, dtype=np.int64)
    hi = np.zeros(cells, dtype=np.int64)
    lo[cell] = low
    hi[cell] = high
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
                              f"{int(constant[without_unknowns[0]])} and more", without_unknowns)
    _propagate(lo, hi, entry_relation, entry_cell, coefficient, constant)
    open_cells = np.flatnonzero(lo < hi)
    wanted = np.ones(len(open_cells), dtype=bool) if only is None else np.isin(ids[open_cells], only)
    if wanted.any():
        _solve_open(open_cells, wanted, lo, hi, entry_relation, entry_cell, coefficient, constant, workers)
    suppressed = np.flatnonzero(unknown)
    return ids[suppressed], lo[suppressed], hi[suppressed]


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
            raise InfeasibleError("no values of the suppressed cells satisfy every published relation",
                                  np.flatnonzero((low_sum > 0) | (high_sum < 0)))
        # coefficient * x = -(the rest), and the rest lies in [low_sum - own low part, high_sum - own high part]
        rest_low = low_sum[relation] - contribution_low
        rest_high = high_sum[relation] - contribution_high
        bound_a, bound_b = -rest_high / coefficient, -rest_low / coefficient
        new_lo = np.ceil(np.minimum(bound_a, bound_b) - TOLERANCE).astype(np.int64)
        new_hi = np.floor(np.maximum(bound_a, bound_b) + TOLERANCE).astype(np.int64)
        tightened_lo, tightened_hi = lo.copy(), hi.copy()
        np.maximum.at(tightened_lo, cell, new_lo)
        np.minimum.at(tightened_hi, cell, new_hi)
        if np.any(tightened_lo > tightened_hi):
            raise InfeasibleError("no values of the suppressed cells satisfy every published relation",
                                  np.unique(relation[np.isin(cell, np.flatnonzero(tightened_lo > tightened_hi))]))
        if np.array_equal(tightened_lo, lo) and np.array_equal(tightened_hi, hi):
            return
        lo[:], hi[:] = tightened_lo, tightened_hi


def _solve_open(open_cells: np.ndarray, wanted: np.ndarray, lo: np.ndarray, hi: np.ndarray, relation: np.ndarray,
                cell: np.ndarray, coefficient: np.ndarray, constant: np.ndarray, workers: int | None) -> None:
    """Exact bounds of the ``wanted`` open cells (in place): linear programs over batches of whole
    components (the other open cells are variables of them, never objectives)."""
    column = np.full(len(lo), -1, dtype=np.int64)
    column[open_cells] = np.arange(len(open_cells))
    # The pinned unknowns of a relation are constants of its program; the open ones are its variables.
    pinned = column[cell] < 0
    rest = constant + np.bincount(relation[pinned], weights=coefficient[pinned] * lo[cell[pinned]],
                                  minlength=len(constant)).astype(np.int64)
    entries = np.flatnonzero(~pinned)
    component = components(len(open_cells), relation[entries], column[cell[entries]])
    # Whole components per program: a component goes where its first cell falls in component order.
    order = np.argsort(component, kind="stable")
    ordered = component[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    first_of_component = np.zeros(len(open_cells), dtype=np.int64)
    first_of_component[ordered[starts]] = starts
    cell_program = first_of_component[component] // _CELLS_PER_PROGRAM
    entry_program = cell_program[column[cell[entries]]]
    count = int(cell_program.max()) + 1
    cell_order = np.argsort(cell_program, kind="stable")
    cell_bounds = np.searchsorted(cell_program[cell_order], np.arange(count + 1))
    entry_order = np.argsort(entry_program, kind="stable")
    entry_bounds = np.searchsorted(entry_program[entry_order], np.arange(count + 1))
    entry_order = entries[entry_order]
    programs = []
    for number in range(count):
        variables = cell_order[cell_bounds[number]:cell_bounds[number + 1]]  # columns of open cells
        mine = entry_order[entry_bounds[number]:entry_bounds[number + 1]]
        local = np.full(len(open_cells), -1, dtype=np.int64)
        local[variables] = np.arange(len(variables))
        rows, row = np.unique(relation[mine], return_inverse=True)
        cells = open_cells[variables]
        programs.append((np.unique(component[variables], return_inverse=True)[1], lo[cells], hi[cells], row,
                         local[column[cell[mine]]], coefficient[mine], rest[rows], rows, wanted[variables]))
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(programs) < _PROGRAMS_PER_WORKER * 2:
        results = [_solve_program(*program) for program in programs]
    else:
        # fork: the workers need only this module, and nothing of the caller's threads (dbt's) runs in them.
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            results = list(pool.map(_solve_program, *zip(*programs, strict=True)))
    for variables, (program_lo, program_hi) in zip(np.split(cell_order, cell_bounds[1:-1]), results, strict=True):
        lo[open_cells[variables]], hi[open_cells[variables]] = program_lo, program_hi


def _solve_program(component: np.ndarray, lo: np.ndarray, hi: np.ndarray, row: np.ndarray, column: np.ndarray,
                   coefficient: np.ndarray, rest: np.ndarray, relations: np.ndarray,
                   wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The exact bounds of one program's ``wanted`` open cells (columns 0..n-1; ``component`` numbers their
    components 0..k-1; row i, relation ``relations[i]``, says sum(coefficient * cell) + rest[i] = 0)."""
    try:
        return _solve_rows(component, lo, hi, row, column, coefficient, rest, wanted)
    except InfeasibleError as error:
        raise InfeasibleError(str(error), relations) from None


def _solve_rows(component: np.ndarray, lo: np.ndarray, hi: np.ndarray, row: np.ndarray, column: np.ndarray,
                coefficient: np.ndarray, rest: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_solve_program`` without the relations' names."""
    count = len(lo)
    highs = model(lo, hi, row, column, coefficient, rest)
    low, high = lo.copy(), hi.copy()
    seen_low, seen_high = hi.copy(), lo.copy()  # the smallest and largest value a solution has shown

    def solve(costs: np.ndarray, sense: highspy.ObjSense) -> tuple[np.ndarray, np.ndarray]:
        """Solve; record what the solution shows (only whole integral components are points of the integer
        problem) and return it with the cells whose component is integral."""
        run(highs, costs, sense)
        solution = np.asarray(highs.getSolution().col_value)
        rounded = np.round(solution)
        fractional = np.zeros(component.max() + 1, dtype=bool)
        fractional[component[np.abs(solution - rounded) > TOLERANCE]] = True
        integral = ~fractional[component]
        values = rounded.astype(np.int64)
        seen_low[integral] = np.minimum(seen_low[integral], values[integral])
        seen_high[integral] = np.maximum(seen_high[integral], values[integral])
        return values, integral

    for sense, bound, seen, beyond in [(highspy.ObjSense.kMaximize, high, seen_high, np.less),
                                       (highspy.ObjSense.kMinimize, low, seen_low, np.greater)]:
        settled = ~wanted  # a cell no one asked about is never an objective

        def pending() -> np.ndarray:
            return ~settled & beyond(seen, bound)  # noqa: B023 - called within this pass only

        # Rounds of one objective for every cell not yet seen at its bound, while they help more than the
        # solves below would: one of those settles a cell of every component left (measured: a fifth less
        # time than rounds until one shows nothing new, whose last few show a handful of cells each).
        waiting = pending()
        while waiting.any():
            solve(waiting.astype(float), sense)
            left = pending()
            if np.count_nonzero(waiting) - np.count_nonzero(left) < len(np.unique(component[left])):
                break
            waiting = left
        # Then one cell per component per solve: each of them gets its own optimum.
        while (waiting := pending()).any():
            candidates = np.flatnonzero(waiting)
            picked = candidates[np.unique(component[candidates], return_index=True)[1]]
            costs = np.zeros(count)
            costs[picked] = 1.0
            values, integral = solve(costs, sense)
            exact = picked[integral[picked]]
            bound[exact] = values[exact]
            settled[picked] = True
            for index in picked[~integral[picked]]:  # a fractional optimum: the component alone, as integers
                bound[index] = _integer_bound(index, component, lo, hi, row, column, coefficient, rest, sense)
    return low, high


def _integer_bound(index: int, component: np.ndarray, lo: np.ndarray, hi: np.ndarray, row: np.ndarray,
                   column: np.ndarray, coefficient: np.ndarray, rest: np.ndarray, sense: highspy.ObjSense) -> int:
    """The integer min or max of one cell, in a model of its component alone with integer unknowns (for
    structures that are not unimodular)."""
    mine = np.flatnonzero(component == component[index])
    local = np.full(len(lo), -1, dtype=np.int64)
    local[mine] = np.arange(len(mine))
    entries = local[column] >= 0
    rows, local_row = np.unique(row[entries], return_inverse=True)
    highs = model(lo[mine], hi[mine], local_row, local[column[entries]], coefficient[entries], rest[rows])
    highs.changeColsIntegrality(len(mine), np.arange(len(mine), dtype=np.int32),
                                np.full(len(mine), highspy.HighsVarType.kInteger))
    costs = np.zeros(len(mine))
    costs[local[index]] = 1.0
    run(highs, costs, sense)
    value = highs.getInfo().objective_function_value
    return math.ceil(value - TOLERANCE) if sense == highspy.ObjSense.kMinimize else math.floor(value + TOLERANCE)


