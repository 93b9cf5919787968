"""Invariants of metrics.md over random valid extracts (hypothesis)."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from metrics_fixtures import episode, table

from pipeline.metrics.breakdowns import breakdowns
from pipeline.metrics.registry import REGISTRY
from pipeline.metrics.table import metric_table
from pipeline.periods import Quarter

QUARTERS = [Quarter.parse(q) for q in ("2025-26-Q4", "2026-27-Q1", "2026-27-Q2")]
FIRST = datetime(2026, 1, 1)
SPAN_MINUTES = 273 * 24 * 60  # January to September 2026: the three quarters
FMT = "%Y-%m-%d %H:%M"


def stamp(base: datetime, minutes: int) -> str:
    return (base + timedelta(minutes=minutes)).strftime(FMT)


@st.composite
def one_episode(draw: st.DrawFn) -> dict:
    """A valid joined episode: outcomes consistent with the rules of inputs.md."""
    start = FIRST + timedelta(minutes=draw(st.integers(0, SPAN_MINUTES)))
    fields: dict = {
        "child_id": draw(st.sampled_from(["a", "b", "c", "d", "e", "f"])),
        "start": start.strftime(FMT),
        "episode_type": draw(st.sampled_from(["missing", "away"])),
    }
    looked_after = draw(st.booleans())
    fields["looked_after"] = looked_after
    if looked_after:
        fields["placement_area"] = draw(st.sampled_from(["in_area", "out_of_area"]))
    ongoing = draw(st.integers(0, 3)) == 0
    if ongoing:
        return episode(**fields)  # ongoing: no RHI row, not offered
    end = start + timedelta(minutes=draw(st.integers(0, 20 * 24 * 60)))
    fields["end"] = end.strftime(FMT)
    has_row = draw(st.booleans()) or draw(st.booleans())
    if not has_row:
        return episode(**fields)
    outcome = draw(st.sampled_from(["completed", "declined", "pending", "not_offered"]))
    fields["outcome"] = outcome
    if draw(st.booleans()):
        fields["notified_at"] = stamp(end, draw(st.integers(-120, 72 * 60)))
        if draw(st.booleans()):
            fields["assigned_at"] = stamp(end, draw(st.integers(-120, 96 * 60)))
    if outcome == "completed":
        # Around the 72-hour boundary often, sometimes before the return.
        gap = draw(st.one_of(st.integers(-60, 10 * 24 * 60), st.integers(72 * 60 - 2, 72 * 60 + 2)))
        fields["completed_at"] = stamp(end, gap)
        fields["mode"] = draw(st.sampled_from(["face_to_face", "telephone", "video"]))
        fields["interviewer_role"] = draw(
            st.sampled_from(["independent_practitioner", "social_worker", "carer_or_staff"])
        )
        fields["interviewer_id"] = draw(st.sampled_from(["w1", "w2", "w3"]))
        if draw(st.integers(0, 4)) == 0:
            fields["exception"] = "agreed"
        fields["timeliness_excluded"] = gap < 0 or draw(st.integers(0, 9)) == 0
        fields["risks"] = draw(st.sampled_from(["", "cse", "cse;cce", "county_lines;other"]))
    elif outcome == "declined":
        fields["declined_by"] = draw(st.sampled_from(["child", "parent_carer"]))
    elif outcome == "not_offered":
        fields["not_offered_reason"] = draw(st.sampled_from(["missing_again", "free text"]))
    return episode(**fields)


extracts = st.lists(one_episode(), min_size=0, max_size=30).map(table)


def wide(m: pd.DataFrame, part: str = "value") -> pd.DataFrame:
    """quarter x cohort rows, one column per metric."""
    return m.pivot_table(index=["quarter", "cohort"], columns="metric", values=part, dropna=False)


SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(extracts, st.sampled_from([48, 72]), st.integers(2, 4))
def test_invariants(frame: pd.DataFrame, hours: int, threshold: int) -> None:
    m = metric_table(
        frame,
        QUARTERS,
        timeliness_hours=hours,
        repeat_threshold=threshold,
        independent_roles=["independent_practitioner"],
    )
    assert len(m) == len(QUARTERS) * 5 * len(REGISTRY)
    v = m.set_index(["quarter", "cohort", "metric"])

    def get(cohort: str, metric: str, part: str = "value") -> np.ndarray:
        rows = v.xs((cohort, metric), level=("cohort", "metric"))
        return rows[part].reindex([q.id for q in QUARTERS]).to_numpy()

    for cohort in ("all", "looked_after", "looked_after_in_area", "looked_after_out_of_area",
                   "not_looked_after"):  # fmt: skip
        episodes, due = get(cohort, "episodes"), get(cohort, "rhi_due")
        offered = get(cohort, "rhi_offered")
        assert (offered <= due).all() and (due <= episodes).all()
        assert (
            get(cohort, "rhi_declined") + get(cohort, "rhi_completed") + get(cohort, "rhi_pending")
            == offered
        ).all()
        assert (get(cohort, "rhi_not_offered") == due - offered).all()
        assert (get(cohort, "episodes_ongoing") + due == episodes).all()
        children = get(cohort, "children")
        assert (children <= episodes).all()
        assert (get(cohort, "children_repeat") <= children).all()
        # T within completed, timely within T, target met within timely.
        t = get(cohort, "rhi_timely_rate", "denominator")
        assert (t <= get(cohort, "rhi_completed")).all()
        assert (get(cohort, "rhi_target_met_rate", "numerator") <= get(
            cohort, "rhi_timely_rate", "numerator"
        )).all()  # fmt: skip

    # In county + out of county = looked after; looked after + not = all (episode counts).
    for metric, spec in REGISTRY.items():
        if spec.kind != "count" or metric.startswith("children"):
            continue
        la = get("looked_after", metric)
        assert (
            get("looked_after_in_area", metric) + get("looked_after_out_of_area", metric) == la
        ).all()
        assert (la + get("not_looked_after", metric) == get("all", metric)).all()

    ratios = m[m["metric"].map(lambda k: REGISTRY[k].kind == "ratio")]
    rates = ratios[ratios["metric"] != "episodes_per_child"]
    shown = rates["value"].dropna()
    assert ((shown >= 0) & (shown <= 1)).all()
    # Blank exactly where the denominator is 0; counts never blank.
    assert (ratios["value"].isna() == (ratios["denominator"] == 0)).all()
    assert (
        (ratios["numerator"] <= ratios["denominator"])
        .where(ratios["metric"] != "episodes_per_child", True)
        .all()
    )
    per_child = m[(m["metric"] == "episodes_per_child")]["value"].dropna()
    assert (per_child >= 1).all()
    counts = m[m["metric"].map(lambda k: REGISTRY[k].kind == "count")]
    assert counts["value"].notna().all() and counts["numerator"].isna().all()
    medians = m[m["metric"].map(lambda k: REGISTRY[k].kind == "median_hours")]
    assert (medians["value"].isna() == (medians["denominator"] == 0)).all()
    assert (medians["value"].dropna() >= 0).all()


@SETTINGS
@given(extracts)
def test_breakdowns_agree_with_the_metrics(frame: pd.DataFrame) -> None:
    q = QUARTERS[1]
    m = metric_table(frame, [q], timeliness_hours=72, repeat_threshold=3, independent_roles=["x"])
    alls = m[m["cohort"] == "all"].set_index("metric")["value"]
    out = {b.id: b for b in breakdowns(frame, q, labels={}, repeat_threshold=3)}
    total = {b: int(out[b].frame["all"].sum()) for b in out}
    for b in ("episodes_by_month", "episodes_by_type", "age_bands", "episodes_by_cohort"):
        assert total[b] == alls["episodes"]
    assert total["repeat_children"] == alls["children"]
    assert total["rhi_outcomes"] == alls["rhi_due"]
    assert total["not_offered_reasons"] == alls["rhi_not_offered"]
    assert total["declined_by"] == total["decline_reasons"] == alls["rhi_declined"]
    for b in ("rhi_mode", "interviewer_role", "interviews_per_practitioner"):
        assert total[b] == alls["rhi_completed"]
    assert total["duration_bands"] <= alls["rhi_due"]
    outcomes = out["rhi_outcomes"].frame.set_index("category")
    for cohort in ("looked_after_in_area", "looked_after_out_of_area"):
        cm = m[m["cohort"] == cohort].set_index("metric")["value"]
        assert outcomes.loc["completed", cohort] == cm["rhi_completed"]
        assert outcomes[cohort].sum() == cm["rhi_due"]
    repeat = out["repeat_children"].frame.set_index("category")["all"]
    assert repeat["3_to_4_episodes"] + repeat["5_or_more_episodes"] == alls["children_repeat"]
