"""The disclosure stage on hand-built figures: each expected decision is worked out in the
comments (the heuristic of pipeline.disclosure.protect, then an LP check with scipy)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from disclosure_audit import Observations

from pipeline.disclosure import (
    Disclosure,
    cell_key,
    disclose,
    metric_key,
    month_key,
    protect,
    spc_key,
    total_key,
)
from pipeline.metrics.breakdowns import Breakdown
from pipeline.metrics.relations import Model

Q = "2026-27-Q1"


def model_of(values: dict, sums: list[tuple]) -> Model:
    """A model with each key printed on its own, and `sums` (total, parts) that hold."""
    model = Model()
    for key, value in values.items():
        model.add(key, value)
        model.places.append((key,))
    for total, parts in sums:
        model.relate(total, parts)
    return model


def cell(cat: str, col: str = "all") -> tuple[str, ...]:
    return ("cell", "interviewer_role", cat, col)


def test_one_small_part_and_the_part_that_would_reveal_it():
    # total 10 = a 3 + b 7 + c 0. a is primary (1-4); alone it is 10 - 7 - 0, so another
    # part goes: the cheapest non-zero shown one, b (7; the total 10 is larger). Then a and b
    # share 10 - 0 with room (3-1) + (7-1) = 8 >= 5. Zero stays shown.
    a, b, c, t = cell("a"), cell("b"), cell("c"), cell("total")
    model = model_of({a: 3, b: 7, c: 0, t: 10}, [(t, [a, b, c])])
    assert protect(model, 5) == {a, b}


def test_a_remainder_equal_to_the_floors_gives_the_cells_away():
    # Risk in county 5 of all 6 (issue #12): out of county = 6 - 5 = 1 is primary. Withholding
    # in county (5) too leaves 6 for two cells each at least 1, room (5-1)+(1-1) = 4 < 5: a
    # reader knows out of county is 1 or 2... so the total goes as well (room unbounded).
    all_, inn, out = cell("r", "all"), cell("r", "in"), cell("r", "out")
    model = model_of({all_: 6, inn: 5, out: 1}, [(all_, [inn, out])])
    assert protect(model, 5) == {all_, inn, out}


def test_independence_cannot_be_worked_out_from_the_roles():
    # Issue #12: 38 completed = independent practitioner 28 + host authority 1 + social worker
    # 6 + carer or staff 3 + other 0; the independence numerator 29 = 28 + host authority.
    # Primary: host authority 1, carer 3. Sum of roles: room (1-1)+(3-1) = 2 < 5, short 3:
    # the cheapest shown part with at least 3 to spare is social worker 6 (class 1 before the
    # valued independent practitioner). Numerator: host authority alone, so independent
    # practitioner 28 goes (cheaper than the numerator 29, both valued).
    ind, host, sw, carer, other, tot = (
        cell("independent_practitioner"),
        cell("host_authority_practitioner"),
        cell("social_worker"),
        cell("carer_or_staff"),
        cell("other"),
        cell("total"),
    )
    numerator = ("n", Q, "all", "independent")
    values = {ind: 28, host: 1, sw: 6, carer: 3, other: 0, tot: 38, numerator: 29}
    model = model_of(values, [(tot, [ind, host, sw, carer, other]), (numerator, [ind, host])])
    withheld = protect(model, 5)
    assert withheld == {host, carer, sw, ind}
    # The LP attack on what is shown: host authority in [1, 28] (29 - independent, which is
    # at least 1), carer in [1, 8] (38 - 29 - social worker): neither exact, both >= 5 wide.
    obs = Observations()
    for key, value in values.items():
        if key in withheld:
            obs.withheld(key, alone=True)
        else:
            obs.shown(key, value)
    assert _lp(obs, model) == {
        host: (1.0, 28.0),
        carer: (1.0, 8.0),
        sw: (1.0, 8.0),
        ind: (1.0, 28.0),
    }


def _lp(obs: Observations, model: Model) -> dict:
    from scipy.optimize import linprog

    unknown = sorted(k for k in model.values if k not in obs.known)
    col = {k: i for i, k in enumerate(unknown)}
    rows, rhs = [], []
    for rel in model.relations:
        row, b = np.zeros(len(unknown)), 0.0
        for key, coef in rel.terms:
            if key in col:
                row[col[key]] += coef
            else:
                b -= coef * obs.known[key]
        if row.any():
            rows.append(row)
            rhs.append(b)
    bounds = [(1.0 if k in obs.floor_one else 0.0, None) for k in unknown]
    out = {}
    for key in unknown:
        ends = []
        for sense in (1.0, -1.0):
            c = np.zeros(len(unknown))
            c[col[key]] = sense
            res = linprog(c, A_eq=np.array(rows), b_eq=rhs, bounds=bounds, method="highs")
            ends.append(round(sense * res.fun, 6))
        out[key] = tuple(ends)
    return out


def test_the_same_quantity_gets_the_same_decision_everywhere():
    # Face to face in county is the mode table's cell and the rate's numerator (issue #12:
    # 15 shown in one, withheld in the other). completed 18 = face to face 15 + telephone 3:
    # telephone is primary, face to face (15) is the cheaper complement (the total 18 is a
    # total row); the numerator equals the cell, so it is withheld with it.
    f2f, tel, tot = (
        ("cell", "rhi_mode", "face_to_face", "in"),
        ("cell", "rhi_mode", "telephone", "in"),
        ("cell", "rhi_mode", "total", "in"),
    )
    numerator = ("n", Q, "in", "face_to_face")
    model = model_of(
        {f2f: 15, tel: 3, tot: 18, numerator: 15}, [(tot, [f2f, tel]), (numerator, [f2f])]
    )
    assert protect(model, 5) == {f2f, tel, numerator}


def test_a_bound_that_holds_with_equality_is_protected_too():
    # A median's n equal to the withheld completed count would show it (n <= completed).
    completed, n = ("n", Q, "out", "rhi_completed"), ("n", Q, "out", "n_return_to_completion")
    model = model_of({completed: 4, n: 4}, [])
    model.relate(completed, [n], at_most=True)
    assert protect(model, 5) == {completed, n}


def metrics_table(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["quarter", "cohort", "metric", "numerator", "denominator", "value"]
    )


def test_a_rate_row_is_withheld_with_its_counts():
    # due 20 = offered 3 + not offered 17: offered is primary; not offered (17) is cheaper
    # than due (a headline count for all children). The offered rate prints 3 of 20: its row
    # is withheld; due stays shown.
    nan = np.nan
    metrics = metrics_table(
        [
            (Q, "all", "rhi_due", nan, nan, 20.0),
            (Q, "all", "rhi_offered", nan, nan, 3.0),
            (Q, "all", "rhi_not_offered", nan, nan, 17.0),
            (Q, "all", "rhi_offered_rate", 3.0, 20.0, 0.15),
        ]
    )
    d = disclose(metrics, [], None, quarter=Q, audience="public", threshold=5)
    assert d.withheld == {
        metric_key(Q, "all", "rhi_offered"),
        metric_key(Q, "all", "rhi_not_offered"),
        metric_key(Q, "all", "rhi_offered_rate"),
    }
    flags = d.flags(metrics)
    assert flags["suppressed"].tolist() == [False, True, True, True]
    assert d.count(metric_key(Q, "all", "rhi_due"), 20) == "20"
    assert d.count(metric_key(Q, "all", "rhi_offered"), 3) == "[c]"


def test_control_chart_limits_are_withheld_with_a_month():
    # Episodes by month 12, 3, 15 add up to the quarter's 30 (shown). May (3) is primary;
    # April (12) is the cheapest other month. The chart's mean would give May back
    # (3 x mean - shown months), so its mean, limits and signals are withheld.
    nan = np.nan
    metrics = metrics_table([(Q, "all", "episodes", nan, nan, 30.0)])
    monthly = pd.DataFrame({"month": ["2026-04", "2026-05", "2026-06"], "episodes": [12, 3, 15]})
    d = disclose(metrics, [], monthly, quarter=Q, audience="public", threshold=5)
    assert d.monthly_mask(monthly)["episodes"].tolist() == [True, True, False]
    assert d.spc_withheld("episodes") and spc_key("episodes") in d.withheld
    assert month_key("2026-05", "episodes") in d.withheld


def practitioners() -> Breakdown:
    frame = pd.DataFrame(
        {
            "category": ["practitioner_1", "practitioner_2"],
            "label": ["Practitioner 1", "Practitioner 2"],
            "all": [19, 7],
        }
    )
    return Breakdown("interviews_per_practitioner", "Per practitioner", "interviewer", True, frame)


def test_workload_per_practitioner_is_internal_only():
    b = practitioners()
    public = disclose(metrics_table([]), [b], None, quarter=Q, audience="public", threshold=5)
    internal = disclose(metrics_table([]), [b], None, quarter=Q, audience="internal", threshold=5)
    assert not public.publishes(b) and public.published([b]) == []
    assert internal.publishes(b) and internal.published([b]) == [b]


def test_a_note_quoting_a_withheld_figure_is_replaced():
    # 2 children had 3 or more episodes: primary, so the note may not say "2 children".
    frame = pd.DataFrame(
        {
            "category": ["1_episode", "2_episodes", "3_to_4_episodes", "5_or_more_episodes"],
            "label": ["1", "2", "3-4", "5+"],
            "all": [30, 8, 2, 0],
        }
    )
    b = Breakdown(
        "repeat_children",
        "Children",
        "band",
        True,
        frame,
        "2 children had 3 or more episodes (the repeat threshold).",
    )
    nan = np.nan
    metrics = metrics_table(
        [(Q, "all", "children", nan, nan, 40.0), (Q, "all", "children_repeat", nan, nan, 2.0)]
    )
    d = disclose(metrics, [b], None, quarter=Q, audience="public", threshold=5)
    assert "2 children" not in d.note(b) and "withheld" in d.note(b)
    internal = disclose(metrics, [b], None, quarter=Q, audience="internal", threshold=5)
    assert internal.note(b) == b.note


@pytest.mark.parametrize(("audience", "threshold"), [("internal", 5), ("public", 0), ("public", 1)])
def test_internal_audience_and_threshold_off_show_everything(audience, threshold):
    nan = np.nan
    metrics = metrics_table([(Q, "all", "episodes", nan, nan, 3.0)])
    d = disclose(metrics, [], None, quarter=Q, audience=audience, threshold=threshold)
    assert d.withheld == frozenset() and d == Disclosure(audience, threshold)


def test_unknown_audience_is_refused():
    with pytest.raises(ValueError, match="unknown audience"):
        disclose(metrics_table([]), [], None, quarter=Q, audience="press", threshold=5)


def test_breakdown_cells_and_totals_are_asked_by_key():
    frame = pd.DataFrame({"category": ["a", "b"], "label": ["A", "B"], "all": [2, 9]})
    b = Breakdown("x", "X", "x", True, frame)
    d = Disclosure("public", 5, frozenset({cell_key("x", "a", "all"), total_key("x", "all")}))
    assert d.breakdown_mask(b)["all"].tolist() == [True, False]
    assert d.total_withheld(b, "all")


# ----------------------------------------------------------------------------------------
# The stage boundary: renderers and the narrative only read decisions

# Functions of pipeline.disclosure that decide what is withheld. Only the disclosure stage
# (pipeline.run) and Results' fallback may call them.
DECIDING = {
    "disclose",
    "suppress_metrics",
    "suppress_breakdown",
    "suppress_monthly",
    "suppress_table",
    "mask_breakdown",
    "hidden_breakdown_totals",
    "primary_mask",
    "is_public",
    "protect",
    "protection",
    "Polytope",
    "capacity_withheld",
}


def _names_used(path) -> set[str]:
    """Every name and attribute a module's code refers to."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            used.add(node.id)
        elif isinstance(node, ast.Attribute):
            used.add(node.attr)
        elif isinstance(node, ast.alias):
            used.add(node.name.rsplit(".", 1)[-1])
    return used


def test_no_renderer_or_narrative_calls_a_suppression_function():
    from pathlib import Path

    import pipeline

    root = Path(pipeline.__file__).parent
    modules = [*sorted((root / "render").rglob("*.py")), root / "analysis" / "narrative.py"]
    assert len(modules) > 5  # the check looks where the renderers are
    offenders = {
        str(path.relative_to(root)): sorted(_names_used(path) & DECIDING) for path in modules
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_a_small_difference_of_two_shown_counts_is_protected():
    # Issue #12: completed 16 and independent 15 (not looked after) both shown publish
    # 16 - 15 = 1 interview not held by an independent worker. The difference is a count of
    # its own (printed nowhere, at least 0): primary, so one of the two is withheld. Both are
    # class 2; each makes up the shortfall alone, so the smaller goes: independent (15).
    # Then the difference lies in 0..16 (16 - independent, independent 0..16): wide enough.
    completed = ("n", Q, "not_looked_after", "rhi_completed")
    independent = ("n", Q, "not_looked_after", "independent")
    gap = ("n", Q, "not_looked_after", "rhi_completed-independent")
    model = model_of({completed: 16, independent: 15}, [])
    model.differ(gap, [completed], [independent])
    assert model.values[gap] == 1 and gap in model.derived
    assert protect(model, 5) == {independent, gap}


def test_a_difference_of_zero_or_at_least_the_threshold_is_left_alone():
    # 16 - 16 = 0 (every interview independent) and 16 - 11 = 5: nothing to protect.
    completed = ("n", Q, "all", "rhi_completed")
    all_of = ("n", Q, "all", "independent")
    some = ("n", Q, "all", "face_to_face")
    model = model_of({completed: 16, all_of: 16, some: 11}, [])
    model.differ(("n", Q, "all", "d1"), [completed], [all_of])
    model.differ(("n", Q, "all", "d2"), [completed], [some])
    assert protect(model, 5) == set()


def test_medians_on_fewer_than_twice_the_threshold_are_withheld():
    # n = 5 and n = 9 are under 2 x 5 = 10; n = 10 is not; n = 0 has no median to show.
    from pipeline.disclosure import median_minimum, small_medians

    metrics = pd.DataFrame(
        {
            "quarter": [Q] * 4,
            "cohort": ["looked_after_out_of_area", "all", "not_looked_after", "looked_after"],
            "metric": ["median_hours_return_to_completion"] * 4,
            "numerator": [np.nan] * 4,
            "denominator": [5.0, 10.0, 9.0, 0.0],
            "value": [194.65, 86.74, 50.0, np.nan],
        }
    )
    assert median_minimum(5) == 10
    assert small_medians(metrics, 5) == {
        metric_key(Q, "looked_after_out_of_area", "median_hours_return_to_completion"),
        metric_key(Q, "not_looked_after", "median_hours_return_to_completion"),
    }
