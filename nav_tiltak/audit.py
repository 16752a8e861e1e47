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
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import highspy

_TOLERANCE = 1e-6


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
    """
    unknowns = [key for key, (low, high) in bounds.items() if low < high]
    if not unknowns:
        return {}
    column = {key: index for index, key in enumerate(unknowns)}
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    lows = [float(bounds[key][0]) for key in unknowns]
    highs_ = [float(bounds[key][1]) for key in unknowns]
    highs.addVars(len(unknowns), lows, highs_)

    for relation in relations:
        coefficients: dict[int, float] = defaultdict(float)
        known = 0  # sum(parts) - total, over the known cells
        for key, sign in [(relation.total, -1), *((part, 1) for part in relation.parts)]:
            low, high = bounds.get(key, (0, 0))
            if key in column:
                coefficients[column[key]] += sign
            else:
                known += sign * low
        if coefficients:
            indices = list(coefficients)
            highs.addRow(-known, -known, len(indices), indices, [coefficients[i] for i in indices])
        elif known != 0:
            raise InfeasibleError(f"published figures do not add up: {relation} is off by {known}")

    intervals = {}
    for key in unknowns:
        intervals[key] = (_optimum(highs, column[key], len(unknowns), highspy.ObjSense.kMinimize),
                          _optimum(highs, column[key], len(unknowns), highspy.ObjSense.kMaximize))
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


def audit_grid(rows: Iterable[tuple]) -> list[tuple]:
    """Intervals for every suppressed cell of the gridded tables.

    ``rows`` are (month_date, measure_group, county_code, main_group, low, high) for every cell of the
    grid (see int_cells__gridded); months and measure groups are independent of each other, because NAV
    prints no total over measure groups. Returns (month_date, measure_group, county_code, main_group,
    interval_low, interval_high) for each suppressed cell.
    """
    blocks: dict[tuple, dict[tuple[str, str], tuple[int, int]]] = defaultdict(dict)
    for month, measure_group, county, main_group, low, high in rows:
        blocks[(month, measure_group)][(county, main_group)] = (low, high)
    result = []
    for (month, measure_group), bounds in sorted(blocks.items()):
        if all(low == high for low, high in bounds.values()):
            continue
        relations = table_relations({g for g, _ in bounds}, {m for _, m in bounds})
        try:
            intervals = feasibility_intervals(bounds, relations)
        except InfeasibleError as error:
            raise InfeasibleError(f"{month}, {measure_group}: {error}") from None
        result.extend((month, measure_group, county, main_group, low, high)
                      for (county, main_group), (low, high) in sorted(intervals.items()))
    return result
