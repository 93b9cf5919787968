"""The relations among published figures, on hand-built figures (working in comments)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.metrics.breakdowns import Breakdown
from pipeline.metrics.registry import REGISTRY
from pipeline.metrics.relations import Model, build_model

Q = "2026-27-Q1"
NAN = np.nan


def test_a_sum_that_holds_is_an_equation_and_one_that_falls_short_a_bound():
    model = Model()
    for key, value in {"t": 10, "a": 4, "b": 6, "c": 3}.items():
        model.add((key,), value)
    model.relate(("t",), [("a",), ("b",)])  # 10 = 4 + 6
    model.relate(("t",), [("a",), ("c",)])  # 10 > 4 + 3: a bound
    model.relate(("c",), [("a",)])  # 3 < 4: the definition does not hold, skipped
    model.relate(("t",), [("missing",)])  # no value: skipped
    assert [r.exact for r in model.relations] == [True, False]


def test_the_funnel_cohorts_and_the_outcomes_table_are_linked():
    rows = []
    for cohort, (due, offered, not_offered) in {
        "all": (20, 12, 8),
        "looked_after": (15, 10, 5),
        "not_looked_after": (5, 2, 3),
    }.items():
        rows += [
            (Q, cohort, "rhi_due", NAN, NAN, due),
            (Q, cohort, "rhi_offered", NAN, NAN, offered),
            (Q, cohort, "rhi_not_offered", NAN, NAN, not_offered),
            (Q, cohort, "rhi_offered_rate", offered, due, offered / due),
        ]
    metrics = pd.DataFrame(
        rows, columns=["quarter", "cohort", "metric", "numerator", "denominator", "value"]
    )
    frame = pd.DataFrame({"category": ["not_offered"], "label": ["Not offered"], "all": [8]})
    outcomes = Breakdown("rhi_outcomes", "Outcomes", "outcome", True, frame)
    model = build_model(metrics, [outcomes], None, quarter=Q, registry=REGISTRY)
    sums = {(r.terms[0][0], tuple(k for k, _ in r.terms[1:])) for r in model.relations if r.exact}
    n = lambda c, m: ("n", Q, c, m)  # noqa: E731
    # due = offered + not offered, in every cohort (20 = 12 + 8, 15 = 10 + 5, 5 = 2 + 3)
    assert (n("all", "rhi_due"), (n("all", "rhi_offered"), n("all", "rhi_not_offered"))) in sums
    # all = looked after + not looked after (12 = 10 + 2)
    assert (
        n("all", "rhi_offered"),
        (n("looked_after", "rhi_offered"), n("not_looked_after", "rhi_offered")),
    ) in sums
    # the outcomes table's not-offered cell is the funnel's count (8), and its total (8) the
    # due count? No: 8 != 20, so the total is no equation with rhi_due here.
    cell = ("cell", "rhi_outcomes", "not_offered", "all")
    assert (n("all", "rhi_not_offered"), (cell,)) in sums
    assert (n("all", "rhi_due"), (("cell", "rhi_outcomes", "total", "all"),)) not in sums
    # the rate prints its numerator and denominator: one place of two quantities
    assert (n("all", "rhi_offered"), n("all", "rhi_due")) in model.places


def test_cohort_columns_without_not_looked_after_give_only_a_bound():
    # Mode by area: all 10 = in county 6 + out of county 4 here, but not-looked-after
    # interviews are not published in this table, so a reader knows only all >= in + out.
    frame = pd.DataFrame(
        {
            "category": ["telephone"],
            "label": ["Telephone"],
            "all": [10],
            "looked_after_in_area": [6],
            "looked_after_out_of_area": [4],
        }
    )
    mode = Breakdown("rhi_mode", "Mode", "mode", True, frame)
    empty = pd.DataFrame(
        columns=["quarter", "cohort", "metric", "numerator", "denominator", "value"]
    )
    model = build_model(empty, [mode], None, quarter=Q, registry=REGISTRY)
    across = [
        r
        for r in model.relations
        if r.terms[0][0] == ("cell", "rhi_mode", "telephone", "all") and len(r.terms) == 3
    ]
    assert [r.exact for r in across] == [False]


def test_child_counts_add_up_across_cohorts_only_when_no_child_is_in_two():
    # Children with 3 or more episodes: looked after 15 = in county 10 + out of county 5
    # (no child in both: an equation a reader may use); all 18 != looked after 15 + not
    # looked after 2 = 17 (a child is in two cohorts: no equation, only "at most all").
    rows = [
        (Q, cohort, "children_repeat", NAN, NAN, value)
        for cohort, value in {
            "all": 18,
            "looked_after": 15,
            "looked_after_in_area": 10,
            "looked_after_out_of_area": 5,
            "not_looked_after": 2,
        }.items()
    ]
    metrics = pd.DataFrame(
        rows, columns=["quarter", "cohort", "metric", "numerator", "denominator", "value"]
    )
    model = build_model(metrics, [], None, quarter=Q, registry=REGISTRY)
    n = lambda c: ("n", Q, c, "children_repeat")  # noqa: E731
    sums = {(r.terms[0][0], tuple(k for k, _ in r.terms[1:])) for r in model.relations if r.exact}
    assert sums == {(n("looked_after"), (n("looked_after_in_area"), n("looked_after_out_of_area")))}
    bounds = {(r.terms[0][0], r.terms[1][0]) for r in model.relations if not r.exact}
    assert (n("all"), n("not_looked_after")) in bounds


def test_a_difference_is_a_count_with_the_equation_that_defines_it():
    # within 72 hours 18, face to face within 72 hours 16: the reader works out 2 by
    # telephone or video. Recorded as its own count, 18 - 16 - d = 0 exact; a part larger
    # than its whole (no containment) gives no difference.
    model = Model()
    timely, met = ("n", "q", "all", "timely"), ("n", "q", "all", "target_met")
    model.add(timely, 18)
    model.add(met, 16)
    model.differ(("n", "q", "all", "timely-target_met"), [timely], [met])
    model.differ(("n", "q", "all", "odd"), [met], [timely])
    assert model.values[("n", "q", "all", "timely-target_met")] == 2
    assert ("n", "q", "all", "odd") not in model.values
    (relation,) = model.relations
    assert relation.exact
    assert dict(relation.terms) == {
        timely: 1.0,
        met: -1.0,
        ("n", "q", "all", "timely-target_met"): -1.0,
    }


def test_the_capacity_replays_actual_counts_sit_inside_face_to_face_within_72_hours():
    # The sample's figures: of 35 interviews in the timeliness base (5 out of county), 15 were
    # independent, face to face and within 72 hours (0 out of county); face to face within
    # 72 hours 16 for all children, 0 out of county. Differences: all 16 - 15 = 1; out of
    # county 0 - 0 = 0; in county or at home (16 - 0) - 15 = 1. Non-engagement: 28 of 184
    # returns = unable to make contact 12 + missing again 16.
    from types import SimpleNamespace

    from pipeline.metrics.relations import capacity_count_key, capacity_relations

    model = Model()
    for cohort, met, base, ind in (("all", 16, 35, 29), ("looked_after_out_of_area", 0, 5, 1)):
        model.add(("n", "q", cohort, "target_met"), met)
        model.add(("n", "q", cohort, "in_timeliness"), base)
        model.add(("n", "q", cohort, "independent"), ind)
    model.add(("cell", "not_offered_reasons", "unable_to_contact", "all"), 12)
    model.add(("cell", "not_offered_reasons", "missing_again", "all"), 16)
    actual = SimpleNamespace(
        timely={"in_county": 15, "out_of_county": 0, "all": 15},
        wanted={"in_county": 30, "out_of_county": 5, "all": 35},
    )
    returns = SimpleNamespace(non_engagement_rate=28 / 184, due=184)
    capacity_relations(model, SimpleNamespace(actual=actual, returns=returns), "q")
    assert model.values[("n", "q", "all", "target_met-capacity_actual")] == 1
    assert model.values[("n", "q", "looked_after_out_of_area", "target_met-capacity_actual")] == 0
    assert model.values[capacity_count_key("target_met-actual_timely", "in_county")] == 1
    assert model.values[capacity_count_key("non_engagement", "all")] == 28
    exact = [dict(r.terms) for r in model.relations if r.exact]
    assert {
        capacity_count_key("non_engagement", "all"): 1.0,
        ("cell", "not_offered_reasons", "unable_to_contact", "all"): -1.0,
        ("cell", "not_offered_reasons", "missing_again", "all"): -1.0,
    } in exact
