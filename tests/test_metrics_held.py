"""Not held is not zero (pipeline.metrics.held): which figures a run cannot give."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pandas as pd

from pipeline.metrics import held
from pipeline.metrics.registry import COHORTS, REGISTRY

EPISODES_ONLY = frozenset({"episode_id", "child_id", "start", "end", "looked_after"})


def test_every_metric_and_cohort_says_what_it_needs():
    assert set(held.METRIC_NEEDS) == set(REGISTRY)
    assert set(held.COHORT_NEEDS) == set(COHORTS)


def test_everything_is_recorded_when_every_column_is_held():
    assert held.not_recorded_metrics(None) == frozenset()


def test_an_episode_only_run_records_the_episode_measures_only():
    missing = held.not_recorded_metrics(EPISODES_ONLY)
    assert "episodes" not in missing and "rhi_due" not in missing
    assert {"rhi_offered", "rhi_offered_rate", "rhi_timely_rate"} <= missing
    # With no placement area the in-county figures are not recorded, the looked-after are.
    assert not held.metric_recorded("episodes", EPISODES_ONLY, "looked_after_in_area")
    assert held.metric_recorded("episodes", EPISODES_ONLY, "looked_after")


def test_mark_not_recorded_blanks_the_figures_and_flags_them():
    metrics = pd.DataFrame(
        {
            "quarter": ["2026-27-Q1"] * 3,
            "cohort": ["all", "all", "looked_after_in_area"],
            "metric": ["episodes", "rhi_offered_rate", "episodes"],
            "numerator": [math.nan, 0.0, math.nan],
            "denominator": [math.nan, 12.0, math.nan],
            "value": [12.0, 0.0, 3.0],
        }
    )
    out = held.mark_not_recorded(metrics, EPISODES_ONLY)
    # 12 episodes stay; the offered rate (0 of 12 computed from no RHI data) and the
    # in-county count (no placement area) become blank and not recorded, never 0.
    assert out["not_recorded"].tolist() == [False, True, True]
    assert out["value"].tolist()[0] == 12.0
    assert out.loc[1, ["numerator", "denominator", "value"]].isna().all()
    assert math.isnan(out.loc[2, "value"])
    assert metrics["value"].tolist() == [12.0, 0.0, 3.0]  # the input is not changed


def test_monthly_series_not_held_are_blank():
    monthly = pd.DataFrame({"month": ["2026-04"], "episodes": [3], "rhi_offered_rate": [0.0]})
    out = held.mark_monthly(monthly, EPISODES_ONLY)
    assert out["episodes"].tolist() == [3]
    assert out["rhi_offered_rate"].isna().all()
    assert held.monthly_recorded("episodes", EPISODES_ONLY)
    assert not held.monthly_recorded("rhi_timely_rate", EPISODES_ONLY)


def test_breakdowns_whose_column_is_not_held_are_left_out():
    parts = [SimpleNamespace(id=i) for i in ("episodes_by_month", "rhi_mode", "age_bands")]
    kept = held.held_breakdowns(parts, EPISODES_ONLY)
    assert [b.id for b in kept] == ["episodes_by_month"]
