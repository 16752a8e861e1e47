"""Secondary suppression: the fewest extra cells (or the fewest participants) to suppress so that no primary
`*` can be pinned tighter than the publisher's protection rule, proved by re-auditing the result.

The attacker is the strongest one: they know every relation, which `*` are primary (an integer 0..3) and
which are secondary (a printed value, so at least 4, bounded above only by the relations). Anyone who knows
less learns less, so a pattern that protects against this attacker protects against everyone.

The rule (``Rule``): every primary cell's interval, as that attacker computes it, is at least ``width`` wide
(default 3: all of 0..3 stays possible). A primary cell the published tables already pin at 0 holds nobody
and needs no protection, unless the publisher counts a zero as sensitive (``zero_sensitive``).

The pattern is found per connected component of the relations (cells linked by a relation; never across
months) by the method of Fischetti and Salazar (Management Science 47, 2001), as tau-ARGUS' "optimal"
method does: a master integer program chooses the cells (a binary y per printed cell, minimising their
cost), and the attacker's linear programs check it. For a primary cell p that is not protected, the duals
of max x_p and min x_p give, by weak duality, bounds on its interval that are linear in y, valid for every
pattern; the master gets the cut "upper bound - lower bound >= width" and is solved again. When no cut is
violated, the master's optimum protects every primary cell, so it is optimal; the master's own bound
(HiGHS' dual bound) is reported, and equals the cost unless a time limit stopped it. Linear programs see
at least what integers allow, so each component's result is then re-audited with integers
(``nav_tiltak.audit``), and a pattern short of the rule there is excluded and the search goes on.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import highspy
import numpy as np

from nav_tiltak.audit import audit_arrays
from nav_tiltak.document import MAX_COUNT
from nav_tiltak.solver import TOLERANCE, components, model, quiet_highs

PRIMARY_HIGH = 3  # NAV suppresses every value below 4
SECONDARY_LOW = PRIMARY_HIGH + 1  # a printed value is at least 4, so a secondary `*` is too
# A cut asks a little less than the rule (widths are whole numbers; floating-point sums of duals times
# bounds up to MAX_COUNT are not exact), so that rounding never cuts off a pattern that protects.
_CUT_SLACK = 1e-3
_MASTER_SECONDS = 60.0  # per component's master program; the bound says how far a stopped one is


@dataclass(frozen=True)
class Rule:
    """What "protected" means: a primary cell's interval is at least ``width`` wide (1: never exact; 3, the
    default: all of 0..3 possible); a primary pinned at 0 is exempt unless ``zero_sensitive``."""

    width: int = PRIMARY_HIGH
    zero_sensitive: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.width <= PRIMARY_HIGH:
            raise ValueError(f"the protection width is 1..{PRIMARY_HIGH} (a primary cell is 0..{PRIMARY_HIGH})")


COSTS = ("participants", "cells")


@dataclass
class Component:
    """One component's plan: its cells (ids), what it added and what that cost, against the master's bound."""

    first_cell: int
    primaries: int  # primary cells the rule protects
    added: np.ndarray  # cell ids
    participants: int  # in the added cells
    objective: float  # the pattern's cost in the chosen measure: participants, or cells
    bound: float  # the master's lower bound on that cost: the pattern is optimal when they are equal
    cuts: int
    seconds: float


@dataclass
class Relations:
    """Every relation's cells, one entry per cell of a relation (as int_relations has them): relation id,
    cell id, whether it is the total, the cell's bounds as published (low == high: printed exactly, or an
    unprinted 0) and whether it was printed."""

    relation: np.ndarray
    cell: np.ndarray
    is_total: np.ndarray
    low: np.ndarray
    high: np.ndarray
    printed: np.ndarray
    cells: np.ndarray = field(init=False)  # distinct cell ids, sorted
    index: np.ndarray = field(init=False)  # each entry's cell as an index into cells

    def __post_init__(self) -> None:
        self.cells, self.index = np.unique(self.cell, return_inverse=True)

    def cell_values(self, values: np.ndarray) -> np.ndarray:
        out = np.zeros(len(self.cells), dtype=values.dtype)
        out[self.index] = values
        return out


def months_with_a_star(connection, relations_table: str) -> Relations:
    """The relations (a table or view shaped as int_relations) of every month that prints a `*`: the other
    months have nothing to protect. ``connection`` is a DuckDB connection (a dbt Python model's session)."""
    columns = connection.execute(f"""
        select relation_id, cell_id, is_total, participant_count_low, participant_count_high, is_printed
        from {relations_table}
        semi join (
            select distinct month_date from {relations_table}
            where participant_count_low < participant_count_high and is_printed
        ) using (month_date)
    """).fetchnumpy()
    return Relations(*(np.asarray(columns[name]) for name in columns))


def requirement_in(connection, requirements_table: str) -> Requirement:
    """The requirement as the model protection_requirements stores it (cell_id, required_width,
    attainable_width)."""
    columns = connection.execute(f"select cell_id, required_width, attainable_width from {requirements_table} "
                                 "order by cell_id").fetchnumpy()
    return Requirement(*(np.asarray(columns[name], dtype=np.int64) for name in columns))


def rule_of(width, zero_sensitive) -> Rule:
    """The rule from dbt vars as a Python model's config gives them (dbt renders them as text or values)."""
    return Rule(int(width), str(zero_sensitive).lower() == "true")


def attacker_bounds(relations: Relations, secondary: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each entry's bounds as the attacker reads them once the cells ``secondary`` (ids) are suppressed too."""
    added = np.isin(relations.cell, secondary)
    low = np.where(added, SECONDARY_LOW, relations.low)
    high = np.where(added, MAX_COUNT, relations.high)
    return low, high


def audit(relations: Relations, secondary: np.ndarray | None = None,
          only: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """The attacker's interval of every suppressed cell (primary or ``secondary``): cell ids, lows, highs;
    exact for the cells ``only`` names (default: all), the others at least as wide."""
    low, high = attacker_bounds(relations, np.zeros(0, dtype=np.int64) if secondary is None else secondary)
    cell, lo, hi = audit_arrays(relations.relation, relations.cell, relations.is_total, low, high, workers=1,
                                only=only)
    return {"cell_id": cell, "interval_low": lo, "interval_high": hi}


def candidates(relations: Relations) -> np.ndarray:
    """The cells (ids) a publisher can suppress as secondary: printed exactly (every printed value is >= 4)."""
    exact = (relations.low == relations.high) & relations.printed & (relations.low >= SECONDARY_LOW)
    return np.unique(relations.cell[exact])


@dataclass(frozen=True)
class Requirement:
    """The primary cells the rule protects (ids, sorted) and the width each must keep. The rule's width is
    not always possible: two `*` that must add up to a printed value (>= 4) are each at least 1, whatever is
    suppressed. Such a cell's requirement is the widest any pattern gives (everything printed suppressed),
    and it is reported as short of the rule for that reason."""

    cells: np.ndarray
    width: np.ndarray  # required: the rule's width, or what suppressing everything attains if less
    attainable: np.ndarray  # the widest interval any pattern gives

    def of(self, cells: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Whether the rule protects each of ``cells`` (ids), and its required and attainable width (0 if not)."""
        at = np.minimum(np.searchsorted(self.cells, cells), max(len(self.cells) - 1, 0))
        mine = self.cells[at] == cells if len(self.cells) else np.zeros(len(cells), dtype=bool)
        return mine, np.where(mine, self.width[at], 0), np.where(mine, self.attainable[at], 0)

    def short_of(self, intervals: dict[str, np.ndarray]) -> np.ndarray:
        """The cells (ids) whose interval in ``intervals`` is narrower than their requirement."""
        at = np.searchsorted(intervals["cell_id"], self.cells)
        width = intervals["interval_high"][at] - intervals["interval_low"][at]
        return self.cells[width < self.width]


def requirement(relations: Relations, rule: Rule) -> Requirement:
    """What the rule asks of each primary `*`: every one, less those pinned at 0 unless zeros count."""
    # A primary is a printed `*`; a cell a sheet leaves empty is an unknown too (0..max_count), never one.
    primaries = np.unique(relations.cell[(relations.low < relations.high) & relations.printed])
    if not len(primaries):
        return Requirement(primaries, primaries, primaries)
    found = audit(relations, only=primaries)
    if not rule.zero_sensitive:
        primaries = np.setdiff1d(primaries, found["cell_id"][found["interval_high"] == 0])
    widest = audit(relations, candidates(relations), only=primaries)  # the secondaries' own: not needed
    at = np.searchsorted(widest["cell_id"], primaries)
    attainable = widest["interval_high"][at] - widest["interval_low"][at]
    return Requirement(primaries, np.minimum(attainable, rule.width), attainable)


def plan(relations: Relations, rule: Rule = Rule(), cost: str = "participants",
         required: Requirement | None = None) -> list[Component]:
    """The secondary suppressions, per component that holds a primary cell the rule protects."""
    if cost not in COSTS:
        raise ValueError(f"cost is one of {', '.join(COSTS)}")
    required = required or requirement(relations, rule)
    protected = required.cells[required.width > 0]
    if not len(protected):
        return []
    relation_number = np.unique(relations.relation, return_inverse=True)[1]
    component = components(len(relations.cells), relation_number, relations.index)
    wanted = np.unique(component[np.searchsorted(relations.cells, protected)])
    results = []
    for label in wanted:
        mine = component[relations.index] == label
        part = Relations(*(getattr(relations, name)[mine] for name in
                           ["relation", "cell", "is_total", "low", "high", "printed"]))
        inside = np.isin(required.cells, part.cells) & (required.width > 0)
        results.append(_plan_component(part, Requirement(*(array[inside] for array in (
            required.cells, required.width, required.attainable))), cost))
    return results


class _Attacker:
    """The attacker's linear programs for one component: every cell a column (bounds by the pattern), every
    relation a row (parts - total = 0). The matrix is kept sparse: a month of municipality sheets is tens of
    thousands of cells."""

    def __init__(self, relations: Relations):
        self.low = relations.cell_values(relations.low).astype(float)
        self.high = relations.cell_values(relations.high).astype(float)
        row = np.unique(relations.relation, return_inverse=True)[1]
        count = len(relations.cells)
        # A cell twice in a relation counts twice; entries that cancel are left out.
        pair, inverse = np.unique(row * count + relations.index, return_inverse=True)
        value = np.bincount(inverse, weights=np.where(relations.is_total, -1.0, 1.0), minlength=len(pair))
        keep = value != 0
        self.rows, self.columns, self.values = pair[keep] // count, pair[keep] % count, value[keep]
        self.highs = model(self.low, self.high, self.rows, self.columns, self.values, np.zeros(int(row.max()) + 1))
        self.count = count

    def transposed_times(self, duals: np.ndarray) -> np.ndarray:
        """A' duals: each column's sum of its coefficients times its rows' duals."""
        return np.bincount(self.columns, weights=self.values * duals[self.rows], minlength=self.count)

    def bounds_for(self, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.where(chosen, SECONDARY_LOW, self.low), np.where(chosen, MAX_COUNT, self.high)

    def reduced_costs(self, column: int, sense: highspy.ObjSense, low: np.ndarray, high: np.ndarray) -> np.ndarray:
        """Optimise x_column within the bounds; the reduced costs d = e_column - A'pi of the optimal duals,
        so that for any bounds l, u: max x <= sum(d+ u + d- l) and min x >= sum(d+ l + d- u) (weak duality)."""
        highs = self.highs
        highs.changeColsBounds(self.count, np.arange(self.count, dtype=np.int32), low, high)
        costs = np.zeros(self.count)
        costs[column] = 1.0
        highs.changeColsCost(self.count, np.arange(self.count, dtype=np.int32), costs)
        highs.changeObjectiveSense(sense)
        highs.run()
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise ValueError("the published relations have no solution")
        optimum = highs.getInfo().objective_function_value
        duals = np.asarray(highs.getSolution().row_dual)
        for candidate in (duals, -duals):  # HiGHS' sign convention for the row duals, checked on the optimum
            reduced = costs - self.transposed_times(candidate)  # exact for any duals: never rounded to 0
            if abs(_bound(reduced, low, high, sense) - optimum) < _CUT_SLACK:
                return reduced
        raise AssertionError("HiGHS' duals do not reproduce its optimum")


def _bound(reduced: np.ndarray, low: np.ndarray, high: np.ndarray, sense: highspy.ObjSense) -> float:
    """The weak-duality bound on max (or min) x from reduced costs, for the bounds low..high."""
    upper, lower = (high, low) if sense == highspy.ObjSense.kMaximize else (low, high)
    return float(np.sum(np.where(reduced > 0, reduced * upper, reduced * lower)))


def _plan_component(relations: Relations, required: Requirement, cost: str) -> Component:
    started = time.perf_counter()
    attacker = _Attacker(relations)
    value = attacker.low
    candidate = (relations.cell_values(relations.printed).astype(bool) & (attacker.low == attacker.high)
                 & (attacker.low >= SECONDARY_LOW))
    columns = np.flatnonzero(candidate)  # the master's binaries: printed exact cells
    # Fewest cells: a cell weighs 1 plus its share of the component's participants (less than one cell in
    # all), so that among patterns of as many cells the one with the fewest participants wins.
    weights = value[columns] if cost == "participants" else 1.0 + value[columns] / (value[columns].sum() + 1.0)
    master = quiet_highs()
    master.setOptionValue("presolve", "on")
    master.setOptionValue("time_limit", _MASTER_SECONDS)
    master.addVars(len(columns), np.zeros(len(columns)), np.ones(len(columns)))
    master.changeColsIntegrality(len(columns), np.arange(len(columns), dtype=np.int32),
                                 np.full(len(columns), highspy.HighsVarType.kInteger))
    master.changeColsCost(len(columns), np.arange(len(columns), dtype=np.int32), weights.astype(float))
    master.changeObjectiveSense(highspy.ObjSense.kMinimize)
    positions = np.searchsorted(relations.cells, required.cells)
    stretch_low = value - SECONDARY_LOW  # how far a cell's lower bound falls when it is suppressed
    stretch_high = MAX_COUNT - value  # how far its upper bound rises
    chosen = np.zeros(attacker.count, dtype=bool)
    base_low, base_high = attacker.bounds_for(chosen)
    bound, cuts = 0.0, 0
    while True:
        # The integer audit of the pattern (one batched pass) names the cells short of the rule; only those
        # need the attacker's linear programs and their duals. A cell the integers leave wide enough is wide
        # enough for the linear programs too (they see at least what integers allow).
        found = audit(relations, relations.cells[chosen], only=required.cells)
        short = np.isin(required.cells, required.short_of(found))
        if not short.any():
            break
        low, high = attacker.bounds_for(chosen)
        added_cuts = 0
        for position, wanted in zip(positions[short], required.width[short].astype(float), strict=True):
            up = attacker.reduced_costs(position, highspy.ObjSense.kMaximize, low, high)
            down = attacker.reduced_costs(position, highspy.ObjSense.kMinimize, low, high)
            width = _bound(up, low, high, highspy.ObjSense.kMaximize) - _bound(down, low, high,
                                                                               highspy.ObjSense.kMinimize)
            if width >= wanted - TOLERANCE:
                continue
            # width(y) >= width(y = 0 on the master's cells) + sum(gain * y): valid for every pattern
            base = (_bound(up, base_low, base_high, highspy.ObjSense.kMaximize)
                    - _bound(down, base_low, base_high, highspy.ObjSense.kMinimize))
            gain = (np.where(up > 0, up * stretch_high, -up * stretch_low)
                    + np.where(down > 0, down * stretch_low, -down * stretch_high))[columns]
            needed = wanted - base
            gain = np.minimum(gain, needed)  # y is 0 or 1: a larger coefficient says no more
            if gain[chosen[columns]].sum() >= needed - _CUT_SLACK:
                continue  # within rounding of the rule: not a cut; the integer audit decides
            keep = np.flatnonzero(gain > 0)
            master.addRow(needed - _CUT_SLACK, highspy.kHighsInf, len(keep), keep.astype(np.int32), gain[keep])
            added_cuts += 1
        if not added_cuts:
            # Integers pin what the linear programs do not: exclude this pattern, and search on.
            others = np.flatnonzero(~chosen[columns])
            master.addRow(1.0, highspy.kHighsInf, len(others), others.astype(np.int32), np.ones(len(others)))
            added_cuts = 1
        cuts += added_cuts
        master.run()
        status = master.getModelStatus()
        if status not in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kTimeLimit):
            raise ValueError(f"no suppression pattern protects component {relations.cells[0]} "
                             f"({master.modelStatusToString(status)})")
        solution = np.asarray(master.getSolution().col_value)
        chosen = np.zeros(attacker.count, dtype=bool)
        chosen[columns[solution > 0.5]] = True
        bound = master.getInfo().mip_dual_bound
    objective = float(weights[chosen[columns]].sum())
    if cost == "cells":  # in cells: a pattern of k cells costs k plus less than 1, so at least floor(bound)
        objective, bound = float(chosen.sum()), float(np.floor(bound + TOLERANCE))
    return Component(int(relations.cells[0]), len(required.cells), relations.cells[chosen], int(value[chosen].sum()),
                     objective, min(bound, objective), cuts, time.perf_counter() - started)
