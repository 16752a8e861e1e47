"""The HiGHS helpers the disclosure audit (``nav_tiltak.audit``) and secondary suppression
(``nav_tiltak.protect``) share: the connected components of relations, a linear program over some of them,
a quiet solver instance, and the error for figures that contradict each other."""

from __future__ import annotations

import os
import sys

import highspy
import numpy as np

TOLERANCE = 1e-6


class InfeasibleError(ValueError):
    """The published figures contradict each other: no value of the unknowns satisfies every relation.
    ``relations`` are the relations where the contradiction shows (ids as given to ``audit_arrays``)."""

    def __init__(self, message: str, relations: np.ndarray | None = None):
        super().__init__(message)
        self.relations = np.zeros(0, dtype=np.int64) if relations is None else np.asarray(relations)

    def __reduce__(self):  # from a worker process with its relations
        return InfeasibleError, (str(self), self.relations)


def components(cells: int, relation: np.ndarray, cell: np.ndarray) -> np.ndarray:
    """Each cell's component (the smallest cell id it is linked to through relations): labels spread over
    relations until nothing changes, a pass per step of the longest path (a few for NAV's tables)."""
    label = np.arange(cells)
    relations = int(relation.max()) + 1 if len(relation) else 0
    while True:
        relation_label = np.full(relations, cells, dtype=np.int64)
        np.minimum.at(relation_label, relation, label[cell])
        spread = label.copy()
        np.minimum.at(spread, cell, relation_label[relation])
        if np.array_equal(spread, label):
            return label
        label = spread


def model(lo: np.ndarray, hi: np.ndarray, row: np.ndarray, column: np.ndarray, coefficient: np.ndarray,
           rest: np.ndarray) -> highspy.Highs:
    """A HiGHS model: columns within their bounds, row i of the entries equal to -rest[i]."""
    order = np.argsort(row, kind="stable")
    starts = np.searchsorted(row[order], np.arange(len(rest)))
    highs = quiet_highs()
    highs.addVars(len(lo), lo.astype(float), hi.astype(float))
    value = -rest.astype(float)
    highs.addRows(len(rest), value, value, len(order), starts.astype(np.int32), column[order].astype(np.int32),
                  coefficient[order].astype(float))
    return highs


def run(highs: highspy.Highs, costs: np.ndarray, sense: highspy.ObjSense) -> None:
    highs.changeColsCost(len(costs), np.arange(len(costs), dtype=np.int32), costs)
    highs.changeObjectiveSense(sense)
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise InfeasibleError(f"no values of the suppressed cells satisfy every published relation "
                              f"({highs.modelStatusToString(highs.getModelStatus())})")


_banner_shown = False


def quiet_highs() -> highspy.Highs:
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
    # Each program is solved again and again with a new objective only: the primal simplex keeps the last
    # basis feasible and goes on from it, and presolve would start from scratch each time (measured: a third
    # less time than HiGHS's defaults on 100 editions).
    highs.setOptionValue("presolve", "off")
    highs.setOptionValue("simplex_strategy", 4)
    return highs
