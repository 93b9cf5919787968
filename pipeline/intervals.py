"""How far a withheld figure can move: the smallest and largest value consistent with
everything shown, by linear programming, small enough for the run's path.

The disclosure stage (`pipeline.disclosure.protect`) asks this for every withheld figure,
as an attacker who knows every relation would: each unknown is at least its floor (a figure
shown as `[c]` is at least 1, since zero is shown), and the relations are sums and bounds
among the unknowns and the figures shown. The problems are small (tens of unknowns per
linked group) and made of sums with coefficients of 1 and -1, so a dense simplex method in
numpy answers each question in well under a millisecond; importing a general solver (scipy)
would cost more than the whole stage. The tests check the answers against scipy's HiGHS
(tests/test_intervals.py) and attack the public outputs with it (tests/disclosure_audit.py).

A `Polytope` is built once per linked group; `low` and `high` then start from the last
vertex found, so each further question takes a few pivots. `binding` names the relations
that stop a figure moving further, which is where a complementary figure helps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

# Pivots smaller than this are treated as zero (the data are small whole numbers).
EPS = 1e-9
# A simplex that has not finished after this many pivots is stopped; the caller treats the
# figure as not proven safe (so it protects it further) rather than trusting a guess.
MAX_PIVOTS = 5000


@dataclass(frozen=True)
class Row:
    """`sum(coef * y[j]) + constant == 0` (`exact`) or `>= 0`, over unknowns `y`."""

    terms: Mapping[int, float]
    constant: float
    exact: bool


class NotSolved(RuntimeError):
    """The simplex did not finish within MAX_PIVOTS pivots (never seen on real data)."""


class Polytope:
    """The values the unknowns `y` can take: `y[j] >= floors[j]` and every row.

    Standard form: z = y - floor >= 0, a surplus column for each bound row, an artificial
    column for each row that has no starting basic column. Phase one finds a vertex (the
    true figures satisfy every row, so one exists); each question is a phase two from the
    vertex the previous question ended at.
    """

    def __init__(self, floors: Sequence[float], rows: Sequence[Row]) -> None:
        n = len(floors)
        self.n = n
        self.floors = np.asarray(floors, dtype="float64")
        m = len(rows)
        bounds = [r for r, row in enumerate(rows) if not row.exact]
        surplus = {r: n + k for k, r in enumerate(bounds)}
        width = n + len(bounds) + m  # z, surplus, artificials
        table = np.zeros((m, width + 1))
        basis = np.empty(m, dtype="int64")
        self.artificial = np.zeros(width, dtype=bool)
        self.artificial[n + len(bounds) :] = True
        self.row_of_artificial = {n + len(bounds) + r: r for r in range(m)}
        # A column that appears in one row only can start basic in it (a crash basis), so
        # that phase one has fewer artificials to drive out.
        appearances = np.zeros(n, dtype="int64")
        for row in rows:
            for j in row.terms:
                appearances[j] += 1
        used: set[int] = set()
        for r, row in enumerate(rows):
            line = table[r]
            for j, c in row.terms.items():
                line[j] += c
            # sum(c * (z + floor)) + constant (== or >=) 0  ->  sum(c * z) - s = rhs
            rhs = -row.constant - sum(c * self.floors[j] for j, c in row.terms.items())
            if not row.exact:
                line[surplus[r]] = -1.0
            if rhs < 0:
                line[:width] *= -1.0
                rhs = -rhs
            line[width] = rhs
            # Every row keeps an artificial column: it carries the row's shadow price.
            line[n + len(bounds) + r] = 1.0
            singles = [j for j in row.terms if appearances[j] == 1 and line[j] > EPS]
            if not row.exact and line[surplus[r]] > 0:
                basis[r] = surplus[r]  # the surplus starts basic: no artificial needed
            elif singles and singles[0] not in used:
                j = singles[0]
                used.add(j)
                line /= line[j]
                basis[r] = j
            else:
                basis[r] = n + len(bounds) + r
        self._bound_rows = bounds
        self._first_artificial = n + len(bounds)
        self.table = table
        self.basis = basis
        self.width = width
        self.allowed = ~self.artificial
        self._phase_one()

    # ------------------------------------------------------------------------------------
    def _pivot(self, r: int, col: int) -> None:
        t = self.table
        t[r] /= t[r, col]
        column = t[:, col].copy()
        column[r] = 0.0
        nz = np.flatnonzero(np.abs(column) > EPS)
        if nz.size:
            t[nz] -= np.outer(column[nz], t[r])
        # The objective row (reduced costs, and minus the objective's value last).
        self.objective -= self.objective[col] * t[r]
        self.basis[r] = col

    def _set_cost(self, cost: np.ndarray) -> None:
        """Make `cost` the objective: its reduced costs at the current basis."""
        row = np.zeros(self.width + 1)
        row[: self.width] = cost
        self.objective = row - cost[self.basis] @ self.table
        self.cost = cost

    def _minimise(self, stop_below: float = -np.inf) -> float:
        """Minimise the objective from the current vertex; -inf when unbounded. Stops early
        once the objective is at or below `stop_below`."""
        t = self.table
        degenerate = 0
        blocked = ~self.allowed
        for _ in range(MAX_PIVOTS):
            value = -float(self.objective[-1])
            if value <= stop_below:
                return value
            d = self.objective[: self.width].copy()
            d[blocked] = 0.0
            candidates = np.flatnonzero(d < -EPS)
            if candidates.size == 0:
                return value
            # Dantzig's rule, and Bland's (lowest index) after a run of degenerate pivots, so
            # that the method cannot cycle.
            if degenerate > 50:
                col = int(candidates[0])
            else:
                col = int(candidates[np.argmin(d[candidates])])
            column = t[:, col]
            positive = np.flatnonzero(column > EPS)
            if positive.size == 0:
                return -np.inf
            ratios = t[positive, -1] / column[positive]
            best = ratios.min()
            ties = positive[ratios <= best + EPS]
            r = int(ties[np.argmin(self.basis[ties])])
            degenerate = degenerate + 1 if best <= EPS else 0
            self._pivot(r, col)
        raise NotSolved("the simplex did not finish")

    def _phase_one(self) -> None:
        # Artificials only leave the basis; none enters again.
        self._set_cost(self.artificial.astype("float64"))
        left = self._minimise()
        if left > 1e-7:
            raise ValueError("the relations cannot all hold: the figures are inconsistent")
        # Move artificials out of the basis where the row allows; a row that cannot is
        # redundant and keeps its artificial at zero for good.
        for r in range(len(self.basis)):
            if self.artificial[self.basis[r]]:
                line = self.table[r, : self.width]
                options = np.flatnonzero((np.abs(line) > EPS) & ~self.artificial)
                if options.size:
                    self._pivot(r, int(options[0]))

    # ------------------------------------------------------------------------------------
    def _objective(self, j: int, sense: float) -> np.ndarray:
        cost = np.zeros(self.width)
        cost[j] = sense
        return cost

    def low(self, j: int) -> float:
        """The smallest value unknown j can take."""
        self._set_cost(self._objective(j, 1.0))
        # It can go no lower than its floor: stop as soon as it is there.
        return float(self._minimise(stop_below=0.0)) + self.floors[j]

    def high(self, j: int, enough: float = np.inf) -> float:
        """The largest value unknown j can take (inf when unbounded), or any value at least
        `enough` once one is found (the question asked is only whether it reaches that)."""
        self._set_cost(self._objective(j, -1.0))
        stop = -(enough - self.floors[j])
        return -float(self._minimise(stop_below=stop)) + self.floors[j]

    def binding(self) -> list[int]:
        """The rows that stopped the last question (`low` or `high`, answered in full): those
        with a non-zero shadow price."""
        d = np.abs(self.objective[: self.width]) > EPS
        out = set(np.flatnonzero(d[self._first_artificial :]).tolist())
        # A bound row's shadow price is on its surplus column.
        surplus = np.flatnonzero(d[self.n : self._first_artificial])
        out.update(self._bound_rows[k] for k in surplus.tolist())
        return sorted(out)


__all__ = ["EPS", "NotSolved", "Polytope", "Row"]
