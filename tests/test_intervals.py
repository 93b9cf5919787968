"""The run path's small linear-programming solver (pipeline/intervals.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pipeline.intervals import Polytope, Row


def test_a_withheld_cell_beside_a_shown_total_and_part():
    # total 10 (shown) = a + b + 2 (shown); a and b withheld, each at least 1:
    # a + b = 8, so a runs from 1 to 7.
    region = Polytope([1.0, 1.0], [Row({0: 1.0, 1: 1.0}, -8.0, True)])
    assert region.low(0) == pytest.approx(1.0)
    assert region.high(0) == pytest.approx(7.0)


def test_a_cell_on_both_sides_is_unbounded():
    # all = in + out with all three withheld (floors 1): all - in - out = 0 has no upper
    # limit on any of them.
    region = Polytope([1.0, 1.0, 1.0], [Row({0: 1.0, 1: -1.0, 2: -1.0}, 0.0, True)])
    assert region.high(1) == math.inf
    assert region.low(0) == pytest.approx(2.0)  # at least in + out = 1 + 1


def test_a_bound_limits_and_names_the_relation_that_holds():
    # y0 + y1 = 9 (row 0), and y0 <= 4 written as 4 - y0 >= 0 (row 1): y0 in [1, 4].
    rows = [Row({0: 1.0, 1: 1.0}, -9.0, True), Row({0: -1.0}, 4.0, False)]
    region = Polytope([1.0, 1.0], rows)
    assert region.high(0) == pytest.approx(4.0)
    assert region.binding() == [1]
    assert region.low(0) == pytest.approx(1.0)


def test_high_stops_once_it_reaches_what_was_asked():
    region = Polytope([1.0, 1.0], [Row({0: 1.0, 1: 1.0}, -100.0, True)])
    assert 6.0 <= region.high(0, enough=6.0) <= 99.0


def test_inconsistent_relations_are_refused():
    # y0 = 3 and y0 = 5 at once.
    rows = [Row({0: 1.0}, -3.0, True), Row({0: 1.0}, -5.0, True)]
    with pytest.raises(ValueError, match="inconsistent"):
        Polytope([0.0], rows)


def _matrix(rows: list[Row], n: int, *, exact: bool) -> tuple:
    """The rows of one kind as a matrix and right-hand side (sum(coef * y) == or >= rhs)."""
    picked = [r for r in rows if r.exact == exact]
    if not picked:
        return None, None
    a = np.array([[r.terms.get(j, 0.0) for j in range(n)] for r in picked])
    return a, [-r.constant for r in picked]


def test_the_answers_agree_with_scipy_on_random_tables():
    from scipy.optimize import linprog

    rng = np.random.default_rng(12)
    for _ in range(60):
        n = int(rng.integers(2, 12))
        truth = rng.integers(0, 10, n).astype(float)
        floors = [1.0 if t >= 1 and rng.random() < 0.7 else 0.0 for t in truth]
        rows = []
        for _ in range(int(rng.integers(1, n + 2))):
            idx = rng.choice(n, int(rng.integers(1, min(n, 4) + 1)), replace=False)
            terms = {int(j): float(rng.choice([1, -1])) for j in idx}
            exact = bool(rng.random() < 0.6)
            slack = 0 if exact else int(rng.integers(0, 3))
            rows.append(Row(terms, -sum(c * truth[j] for j, c in terms.items()) + slack, exact))
        region = Polytope(floors, rows)

        a_eq, b_eq = _matrix(rows, n, exact=True)
        a_ge, b_ge = _matrix(rows, n, exact=False)
        for j in range(n):
            ends = []
            for sense in (1.0, -1.0):
                c = np.zeros(n)
                c[j] = sense
                res = linprog(
                    c,
                    A_ub=None if a_ge is None else -a_ge,
                    b_ub=None if b_ge is None else [-b for b in b_ge],
                    A_eq=a_eq,
                    b_eq=b_eq,
                    bounds=[(f, None) for f in floors],
                    method="highs",
                )
                ends.append(sense * res.fun if res.status == 0 else math.inf)
            assert region.low(j) == pytest.approx(ends[0], abs=1e-6)
            high = region.high(j)
            assert high == ends[1] or high == pytest.approx(ends[1], abs=1e-6)
