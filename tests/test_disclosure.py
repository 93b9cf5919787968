"""Disclosure control on hand-built tables: each expected mask is worked out in the comments."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from pipeline.disclosure import (
    Relation,
    hidden_breakdown_totals,
    mask_breakdown,
    primary_mask,
    suppress_breakdown,
    suppress_metrics,
    suppress_monthly,
    suppress_table,
)
from pipeline.metrics.breakdowns import Breakdown

COHORTS = [
    "all",
    "looked_after",
    "looked_after_in_area",
    "looked_after_out_of_area",
    "not_looked_after",
]


def spec(id: str, kind: str, numerator: str | None = None, denominator: str | None = None):
    return SimpleNamespace(id=id, kind=kind, numerator=numerator, denominator=denominator)


REGISTRY = {
    s.id: s
    for s in [
        spec("episodes", "count"),
        spec("children", "count"),
        spec("episodes_ongoing", "count"),
        spec("rhi_due", "count"),
        spec("rhi_offered", "count"),
        spec("rhi_not_offered", "count"),
        spec("rhi_declined", "count"),
        spec("rhi_completed", "count"),
        spec("rhi_pending", "count"),
        spec("rhi_offered_rate", "ratio", "rhi_offered", "rhi_due"),
        spec("rhi_timely_rate", "ratio"),
        spec("median_hours_return_to_completion", "median_hours"),
    ]
}


def metrics_rows(quarter: str, metric: str, values: dict[str, tuple[float, float, float]]):
    """Rows of the metrics table; values maps cohort -> (numerator, denominator, value)."""
    return [
        {
            "quarter": quarter,
            "cohort": c,
            "metric": metric,
            "numerator": n,
            "denominator": d,
            "value": v,
        }
        for c, (n, d, v) in values.items()
    ]


def counts(metric: str, by_cohort: dict[str, int], quarter: str = "2026-27-Q1"):
    values = {c: (np.nan, np.nan, float(v)) for c, v in by_cohort.items()}
    return metrics_rows(quarter, metric, values)


def flags(table: pd.DataFrame, metric: str, quarter: str = "2026-27-Q1") -> dict[str, bool]:
    rows = table[(table["metric"] == metric) & (table["quarter"] == quarter)]
    return dict(zip(rows["cohort"], rows["suppressed"], strict=True))


# ---- the generic table ------------------------------------------------------------------


def test_primary_mask_keeps_zero_and_blank_shown():
    # threshold 5: 1..4 withheld; 0, 5 and blank shown.
    table = pd.DataFrame({"x": [0, 1, 4, 5, np.nan]})
    assert primary_mask(table, 5)["x"].tolist() == [False, True, True, False, False]


def test_one_small_part_and_the_part_that_would_reveal_it():
    # total 38 = 30 + 6 + 2 (threshold 5). Primary: 2. Shown total 38 minus 30 and 6 would
    # give 2 back, so the smallest other non-zero part, 6, is withheld too. 38 - 30 = 8 = ? + ?
    table = pd.DataFrame({"n": [30, 6, 2, 38]}, index=["a", "b", "c", "total"])
    relation = Relation(("total", "n"), (("a", "n"), ("b", "n"), ("c", "n")))
    mask = suppress_table(table, [relation], 5)
    assert mask["n"].tolist() == [False, True, True, False]


def test_secondary_skips_zero_parts_and_breaks_ties_in_order():
    # total 14 = 2 + 0 + 6 + 6. Primary: 2. The zero is shown (hiding it protects nothing
    # that is not already known); 6 and 6 tie, so the first (c) is withheld.
    table = pd.DataFrame({"n": [2, 0, 6, 6, 14]}, index=["a", "b", "c", "d", "t"])
    relation = Relation(("t", "n"), (("a", "n"), ("b", "n"), ("c", "n"), ("d", "n")))
    mask = suppress_table(table, [relation], 5)
    assert mask["n"].tolist() == [True, False, True, False, False]


def test_two_small_parts_need_no_secondary():
    # total 20 = 3 + 2 + 15: two unknowns in one sum cannot be separated.
    table = pd.DataFrame({"n": [3, 2, 15, 20]}, index=["a", "b", "c", "t"])
    relation = Relation(("t", "n"), (("a", "n"), ("b", "n"), ("c", "n")))
    assert suppress_table(table, [relation], 5)["n"].tolist() == [True, True, False, False]


def test_only_zero_parts_left_withholds_the_total():
    # total 9 = a 9 (withheld elsewhere, passed as hidden) + b 0. The only other part is
    # zero, and hiding a zero protects nothing (9 - ? = 9 still), so the total is withheld.
    table = pd.DataFrame({"n": [9, 0, 9]}, index=["a", "b", "t"])
    hidden = pd.DataFrame({"n": [True, False, False]}, index=["a", "b", "t"])
    relation = Relation(("t", "n"), (("a", "n"), ("b", "n")))
    mask = suppress_table(table, [relation], 5, hidden=hidden)
    assert mask["n"].tolist() == [True, False, True]


def test_fixpoint_follows_a_chain_of_sums():
    # due 30 = offered 26 + not_offered 4; offered 26 = declined 5 + completed 15 + pending 6.
    # Primary: not_offered 4. Pass 1, due: withhold offered (the only other part).
    # Then offered is the only withheld figure of its own sum, and 5 + 15 + 6 would give it
    # back (and 30 - 26 the 4), so the smallest part, declined 5, is withheld.
    index = ["due", "offered", "not_offered", "declined", "completed", "pending"]
    table = pd.DataFrame({"all": [30, 26, 4, 5, 15, 6]}, index=index)
    relations = [
        Relation(("due", "all"), (("offered", "all"), ("not_offered", "all"))),
        Relation(
            ("offered", "all"), (("declined", "all"), ("completed", "all"), ("pending", "all"))
        ),
    ]
    mask = suppress_table(table, relations, 5)
    assert mask["all"].tolist() == [False, True, True, True, False, False]


def test_relations_with_missing_cells_are_skipped():
    table = pd.DataFrame({"n": [2, 10]}, index=["a", "t"])
    relation = Relation(("t", "n"), (("a", "n"), ("zz", "n")))
    # Only the part that exists counts: t = a alone, one withheld -> no shown part -> total.
    assert suppress_table(table, [relation], 5)["n"].tolist() == [True, True]
    assert suppress_table(table, [Relation(("nope", "n"), (("a", "n"),))], 5)["n"].tolist() == [
        True,
        False,
    ]


# ---- the metrics table ------------------------------------------------------------------


def test_counts_across_cohorts_and_the_rates_built_on_them():
    # episodes: all 40 = looked_after 25 + not_looked_after 15; looked_after 25 = in 22 + out 3.
    # Primary: out 3. looked_after = in + out has one withheld -> in (22) withheld.
    # all = in + out + nla then has two withheld: done. `all`, looked_after, nla shown.
    rows = counts("episodes", dict(zip(COHORTS, [40, 25, 22, 3, 15], strict=True)))
    # rhi_due for the same cohorts: all 30, la 20, in 18, out 2, nla 10 -> out primary, in
    # secondary. rhi_offered: all 27, la 18, in 17, out 1, nla 9 -> out primary, in secondary.
    rows += counts("rhi_due", dict(zip(COHORTS, [30, 20, 18, 2, 10], strict=True)))
    rows += counts("rhi_offered", dict(zip(COHORTS, [27, 18, 17, 1, 9], strict=True)))
    # rhi_offered_rate = rhi_offered / rhi_due: withheld wherever either is (in, out).
    rows += metrics_rows(
        "2026-27-Q1",
        "rhi_offered_rate",
        {
            "all": (27, 30, 0.9),
            "looked_after": (18, 20, 0.9),
            "looked_after_in_area": (17, 18, 17 / 18),
            "looked_after_out_of_area": (1, 2, 0.5),
            "not_looked_after": (9, 10, 0.9),
        },
    )
    metrics = pd.DataFrame(rows)
    out = suppress_metrics(metrics, threshold=5, audience="public", registry=REGISTRY)
    expected = {
        "all": False,
        "looked_after": False,
        "looked_after_in_area": True,
        "looked_after_out_of_area": True,
        "not_looked_after": False,
    }
    # rhi_due = offered + not_offered is not checked here: not_offered is not in the table.
    assert flags(out, "episodes") == expected
    assert flags(out, "rhi_due") == expected
    assert flags(out, "rhi_offered") == expected
    assert flags(out, "rhi_offered_rate") == expected
    # Values are never changed.
    pd.testing.assert_frame_equal(out.drop(columns="suppressed"), metrics)


def test_metric_sums_withhold_the_count_that_would_reveal_a_small_one():
    # all only: episodes 33 = ongoing 3 + due 30; due 30 = offered 26 + not_offered 4;
    # offered 26 = declined 5 + completed 15 + pending 6. Primary: ongoing 3, not_offered 4.
    # Relations in order: episodes has one withheld (ongoing) -> due 30, its only other
    # part, is withheld. due = offered + not_offered now has two withheld; offered's sum
    # none. Check: 33 = ongoing + 26 + not_offered gives only ongoing + not_offered = 7.
    # The rate offered / due is withheld with due.
    rows = []
    for metric, value in [
        ("episodes", 33),
        ("episodes_ongoing", 3),
        ("rhi_due", 30),
        ("rhi_offered", 26),
        ("rhi_not_offered", 4),
        ("rhi_declined", 5),
        ("rhi_completed", 15),
        ("rhi_pending", 6),
    ]:
        rows += counts(metric, {"all": value})
    rows += metrics_rows("2026-27-Q1", "rhi_offered_rate", {"all": (26, 30, 26 / 30)})
    out = suppress_metrics(pd.DataFrame(rows), threshold=5, audience="public", registry=REGISTRY)
    withheld = set(out.loc[out["suppressed"], "metric"])
    assert withheld == {"episodes_ongoing", "rhi_due", "rhi_not_offered", "rhi_offered_rate"}


def test_median_and_rate_components_that_are_not_metrics():
    # Median n: all 12 = la 9 + nla 3; la 9 = in 6 + out 3. Primary: out 3, nla 3.
    # all = la + nla: one withheld (nla) -> la 9 withheld. la = in + out: two withheld.
    # all = in + out + nla: two withheld. So the medians for la, out and nla are withheld.
    median = {
        "all": (np.nan, 12, 30.5),
        "looked_after": (np.nan, 9, 31.0),
        "looked_after_in_area": (np.nan, 6, 20.0),
        "looked_after_out_of_area": (np.nan, 3, 50.0),
        "not_looked_after": (np.nan, 3, 10.0),
    }
    # Timely rate with numerator 0 in every cohort and T = 6 / 0: zero shown, and a 0
    # denominator gives a blank rate, not a withheld one.
    timely = {
        "all": (0, 6, 0.0),
        "looked_after": (0, 6, 0.0),
        "looked_after_in_area": (0, 6, 0.0),
        "looked_after_out_of_area": (0, 0, np.nan),
        "not_looked_after": (0, 0, np.nan),
    }
    rows = metrics_rows("2026-27-Q1", "median_hours_return_to_completion", median)
    rows += metrics_rows("2026-27-Q1", "rhi_timely_rate", timely)
    out = suppress_metrics(pd.DataFrame(rows), threshold=5, audience="public", registry=REGISTRY)
    assert flags(out, "median_hours_return_to_completion") == {
        "all": False,
        "looked_after": True,
        "looked_after_in_area": False,
        "looked_after_out_of_area": True,
        "not_looked_after": True,
    }
    assert not out.loc[out["metric"] == "rhi_timely_rate", "suppressed"].any()


def test_children_are_not_summed_across_cohorts():
    # children: all 20, la 17, nla 4 (a child in both cohorts). nla 4 is primary; children
    # are not additive across cohorts, so la stays shown.
    rows = counts("children", {"all": 20, "looked_after": 17, "not_looked_after": 4})
    out = suppress_metrics(pd.DataFrame(rows), threshold=5, audience="public", registry=REGISTRY)
    assert flags(out, "children") == {"all": False, "looked_after": False, "not_looked_after": True}


def test_quarters_are_independent():
    rows = counts("episodes", {"all": 3}, quarter="2026-27-Q1")
    rows += counts("episodes", {"all": 7}, quarter="2025-26-Q4")
    out = suppress_metrics(pd.DataFrame(rows), threshold=5, audience="public", registry=REGISTRY)
    assert flags(out, "episodes", "2026-27-Q1") == {"all": True}
    assert flags(out, "episodes", "2025-26-Q4") == {"all": False}


@pytest.mark.parametrize(("audience", "threshold"), [("internal", 5), ("public", 1), ("public", 0)])
def test_internal_audience_and_threshold_off_show_everything(audience, threshold):
    rows = counts("episodes", {"all": 3, "looked_after": 2, "not_looked_after": 1})
    out = suppress_metrics(
        pd.DataFrame(rows), threshold=threshold, audience=audience, registry=REGISTRY
    )
    assert not out["suppressed"].any()


def test_unknown_audience_is_refused():
    with pytest.raises(ValueError, match="audience"):
        suppress_metrics(
            pd.DataFrame(counts("episodes", {"all": 3})),
            threshold=5,
            audience="press",
            registry=REGISTRY,
        )


# ---- breakdowns -------------------------------------------------------------------------


def test_additive_breakdown_protects_against_the_column_total():
    # Completed RHIs by mode, all: 30 + 6 + 2 = 38. Primary: video 2. The total 38 is
    # known (it is rhi_completed), so telephone 6 (the smallest other) is withheld too.
    frame = pd.DataFrame(
        {
            "category": ["face_to_face", "telephone", "video"],
            "label": ["Face to face", "Telephone", "Video"],
            "all": [30, 6, 2],
        }
    )
    b = Breakdown("mode", "Completed RHIs by mode", "mode", True, frame)
    mask = suppress_breakdown(b, threshold=5, audience="public")
    assert list(mask.columns) == ["all"]
    assert mask["all"].tolist() == [False, True, True]
    assert not suppress_breakdown(b, threshold=5, audience="internal").any().any()


def test_breakdown_across_cohort_columns_even_when_not_additive():
    # Risks (one RHI can name several, so rows do not add up). Row cse: all 10 = la 7 + nla 3
    # -> nla primary, la secondary. Row cce: 12 = 6 + 6, nothing small.
    frame = pd.DataFrame(
        {
            "category": ["cse", "cce"],
            "label": ["Sexual exploitation", "Criminal exploitation"],
            "all": [10, 12],
            "looked_after": [7, 6],
            "not_looked_after": [3, 6],
        }
    )
    b = Breakdown("risks", "Risks", "risks", False, frame)
    mask = suppress_breakdown(b, threshold=5, audience="public")
    assert mask.to_dict("list") == {
        "all": [False, False],
        "looked_after": [True, False],
        "not_looked_after": [True, False],
    }


def test_breakdown_secondary_by_column_and_by_cohort_together():
    # Episodes by type:    all  la  nla
    #   missing            20   12   8
    #   away                5    3   2      (column totals 25, 15, 10)
    # Primary: la away 3, nla away 2. Column la: 15 = 12 + 3 -> 12 withheld; nla: 10 = 8 + 2
    # -> 8 withheld. Rows: 20 = 12 + 8 and 5 = 3 + 2 now each have two withheld. `all` shown.
    frame = pd.DataFrame(
        {
            "category": ["missing", "away"],
            "label": ["Missing", "Away"],
            "all": [20, 5],
            "looked_after": [12, 3],
            "not_looked_after": [8, 2],
        },
        index=[10, 11],
    )
    mask = suppress_breakdown(
        Breakdown("type", "Episodes by type", "episode_type", True, frame),
        threshold=5,
        audience="public",
    )
    assert list(mask.index) == [10, 11]
    assert mask.to_dict("list") == {
        "all": [False, False],
        "looked_after": [True, True],
        "not_looked_after": [True, True],
    }


def test_breakdown_total_withheld_elsewhere():
    # la column 5 + 7 = 12, and the metrics table withholds a count of 12 for looked_after
    # (secondary suppression there). Adding the column up would give it back, so the total
    # counts as withheld and the smaller part, 5, is withheld with it.
    frame = pd.DataFrame(
        {"category": ["a", "b"], "label": ["A", "B"], "all": [40, 50], "looked_after": [5, 7]}
    )
    b = Breakdown("x", "X", "x", True, frame)
    metrics = pd.DataFrame(counts("episodes", {"all": 90, "looked_after": 12}))
    metrics["suppressed"] = [False, True]
    hidden = hidden_breakdown_totals(b, metrics, "2026-27-Q1")
    assert hidden == ["looked_after"]
    mask = suppress_breakdown(b, threshold=5, audience="public", hidden_totals=hidden)
    assert mask["looked_after"].tolist() == [True, False]
    assert mask["all"].tolist() == [False, False]
    # Without the link nothing is small, so nothing is withheld.
    assert not suppress_breakdown(b, threshold=5, audience="public").any().any()
    # A different quarter, or a non-additive breakdown, has no such link.
    assert hidden_breakdown_totals(b, metrics, "2025-26-Q4") == []
    assert (
        hidden_breakdown_totals(Breakdown("x", "X", "x", False, frame), metrics, "2026-27-Q1") == []
    )


# ---- monthly series ---------------------------------------------------------------------


def test_monthly_series_small_month_and_its_partner_against_the_quarter_total():
    # Q1 2026-27 episodes by month: Apr 12, May 3, Jun 9 (quarter total 24, shown in the
    # report). Primary: May 3. Secondary: the smallest other month, Jun 9.
    # rhi_due: 10, 3, 8 -> May primary, Jun 8 secondary. rhi_offered: 9, 0, 8 -> nothing
    # small (the zero is shown). Rate offered/due withheld where due is: May, Jun.
    # T: 6, 0, 6 and rhi_timely: 5, 0, 6: none small, rate shown.
    monthly = pd.DataFrame(
        {
            "month": ["2026-04", "2026-05", "2026-06"],
            "episodes": [12, 3, 9],
            "rhi_due": [10, 3, 8],
            "rhi_offered": [9, 0, 8],
            "rhi_offered_rate": [0.9, 0.0, 1.0],
            "rhi_timely": [5, 0, 6],
            "T": [6, 0, 6],
            "rhi_timely_rate": [5 / 6, np.nan, 1.0],
        }
    )
    mask = suppress_monthly(monthly, metrics=None, threshold=5, audience="public")
    assert mask["episodes"].tolist() == [False, True, True]
    assert mask["rhi_due"].tolist() == [False, True, True]
    assert mask["rhi_offered"].tolist() == [False, False, False]
    assert mask["rhi_offered_rate"].tolist() == [False, True, True]
    assert not mask[["rhi_timely", "T", "rhi_timely_rate"]].any().any()
    assert not suppress_monthly(monthly, metrics=None, threshold=5, audience="internal").any().any()


def test_monthly_series_respects_a_quarter_total_withheld_in_the_metrics():
    # rhi_offered 9 + 0 + 8 = 17 for the quarter; the metrics table withholds rhi_offered for
    # `all` in that quarter (secondary suppression there), so the months must not add up to
    # it: the smallest non-zero month, Jun 8, is withheld.
    monthly = pd.DataFrame({"month": ["2026-04", "2026-05", "2026-06"], "rhi_offered": [9, 0, 8]})
    metrics = pd.DataFrame(counts("rhi_offered", {"all": 17}))
    metrics["suppressed"] = [True]
    mask = suppress_monthly(monthly, metrics=metrics, threshold=5, audience="public")
    assert mask["rhi_offered"].tolist() == [False, False, True]


def test_mask_breakdown_links_the_metrics_table():
    frame = pd.DataFrame({"category": ["a", "b"], "label": ["A", "B"], "all": [6, 7]})
    b = Breakdown("x", "X", "x", True, frame)
    metrics = pd.DataFrame(counts("episodes", {"all": 13}))
    metrics["suppressed"] = [True]
    # Total 13 withheld in the metrics -> smaller part 6 withheld (13 = ? + 7).
    kwargs = {"metrics": metrics, "quarter": "2026-27-Q1", "threshold": 5}
    assert mask_breakdown(b, audience="public", **kwargs)["all"].tolist() == [True, False]
    assert mask_breakdown(b, audience="internal", **kwargs)["all"].tolist() == [False, False]


def _funnel_with_median(n: int) -> list[dict]:
    """Offered 40 = declined 21 + completed 17 + pending 2, and a median over n interviews."""
    return (
        counts("rhi_offered", {"all": 40})
        + counts("rhi_declined", {"all": 21})
        + counts("rhi_completed", {"all": 17})
        + counts("rhi_pending", {"all": 2})
        + metrics_rows(
            "2026-27-Q1", "median_hours_return_to_completion", {"all": (np.nan, float(n), 80.5)}
        )
    )


def test_a_median_n_equal_to_a_withheld_count_is_withheld_too():
    # One cohort, all: offered 40 = declined 21 + completed 17 + pending 2.
    # Pending 2 is primary; secondary withholds the smaller shown part, completed 17.
    # The median from return to interview is over n = 17 interviews, the same 17: shown, it
    # would give completed back exactly, so it is withheld (and so is the median).
    # The offered total itself stays shown: two of its three parts are withheld.
    rows = _funnel_with_median(n=17)
    out = suppress_metrics(
        pd.DataFrame(rows), threshold=5, audience="public", registry=REGISTRY
    ).set_index("metric")["suppressed"]
    assert out["rhi_pending"] and out["rhi_completed"]
    assert out["median_hours_return_to_completion"]
    assert not out["rhi_offered"] and not out["rhi_declined"]


def test_a_median_n_below_its_withheld_superset_stays_shown():
    # As above, but only 16 of the 17 interviews have both dates: n = 16 does not reveal
    # completed exactly, and 16 is not small, so the median is shown.
    rows = _funnel_with_median(n=16)
    out = suppress_metrics(
        pd.DataFrame(rows), threshold=5, audience="public", registry=REGISTRY
    ).set_index("metric")["suppressed"]
    assert out["rhi_completed"]
    assert not out["median_hours_return_to_completion"]


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
