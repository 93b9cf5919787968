"""Shape and order of the metrics table (outputs.md) and the monthly series, and speed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from metrics_fixtures import random_table
from test_metrics_definitions import Q1, Q2, Q4, ROLES, scenario

from pipeline.metrics.registry import COHORTS, REGISTRY
from pipeline.metrics.table import COLUMNS, metric_table, monthly_series
from pipeline.periods import Quarter, quarters_back

PARAMS = {"timeliness_hours": 72, "repeat_threshold": 3, "independent_roles": ROLES}


def test_columns_dtypes_and_order() -> None:
    # Quarters given out of order and repeated come out once each, oldest first.
    m = metric_table(scenario(), [Q2, Q4, Q1, Q2], **PARAMS)
    assert (
        list(m.columns)
        == COLUMNS
        == [
            "quarter",
            "cohort",
            "metric",
            "numerator",
            "denominator",
            "value",
        ]
    )
    assert len(m) == 3 * len(COHORTS) * len(REGISTRY)
    for c in ("numerator", "denominator", "value"):
        assert m[c].dtype == "float64"
    expected = pd.MultiIndex.from_product(
        [[Q4.id, Q1.id, Q2.id], list(COHORTS), list(REGISTRY)]
    ).to_frame(index=False)
    assert m["quarter"].tolist() == expected[0].tolist()
    assert m["cohort"].tolist() == expected[1].tolist()
    assert m["metric"].tolist() == expected[2].tolist()


def test_episodes_outside_the_quarters_are_ignored() -> None:
    # Only Q1 asked for: episode 12 (Q4) and 13 (Q2) are not counted anywhere.
    m = metric_table(scenario(), [Q1], **PARAMS)
    assert m["quarter"].unique().tolist() == [Q1.id]
    row = m[(m["cohort"] == "all") & (m["metric"] == "episodes")]
    assert row["value"].tolist() == [12]


def test_same_inputs_same_table() -> None:
    a = metric_table(scenario(), [Q4, Q1, Q2], **PARAMS)
    b = metric_table(scenario().iloc[::-1].reset_index(drop=True), [Q4, Q1, Q2], **PARAMS)
    pd.testing.assert_frame_equal(a, b)  # row order of the input does not matter


def test_monthly_series() -> None:
    # From the scenario in test_metrics_definitions:
    # April: episodes 1, 2, 4, 6 (12 started in March). All due and completed. T = {1, 2}
    #   (4 has an exception, 6 was held before the return); 1 within 72h -> 1 of 2.
    # May: 3, 5, 14. Due 3, 14 (5 ongoing); offered 3 -> 1 of 2. T empty -> blank.
    # June: 7, 8, 9, 10, 11. All due; offered 7, 9, 10, 11 -> 4 of 5. T = {11} (10 excluded),
    #   within -> 1 of 1.
    # July: 13, due, not offered. T empty.
    # August: nothing.
    s = monthly_series(
        scenario(), ["2026-04", "2026-05", "2026-06", "2026-07", "2026-08"], timeliness_hours=72
    )
    assert list(s.columns) == [
        "month",
        "episodes",
        "rhi_due",
        "rhi_offered",
        "rhi_offered_rate",
        "rhi_timely",
        "T",
        "rhi_timely_rate",
        "rhi_target_met",
        "rhi_target_met_rate",
    ]
    assert s["month"].tolist() == ["2026-04", "2026-05", "2026-06", "2026-07", "2026-08"]
    assert s["episodes"].tolist() == [4, 3, 5, 1, 0]
    assert s["rhi_due"].tolist() == [4, 2, 5, 1, 0]
    assert s["rhi_offered"].tolist() == [4, 1, 4, 0, 0]
    assert s["rhi_timely"].tolist() == [1, 0, 1, 0, 0]
    assert s["T"].tolist() == [2, 0, 1, 0, 0]
    np.testing.assert_array_equal(s["rhi_offered_rate"], [1.0, 0.5, 0.8, 0.0, np.nan])
    np.testing.assert_array_equal(s["rhi_timely_rate"], [0.5, np.nan, 1.0, np.nan, np.nan])
    # face to face as well: April's 1 was (2 was late anyway); June's 11 was by video
    assert s["rhi_target_met"].tolist() == [1, 0, 0, 0, 0]
    np.testing.assert_array_equal(s["rhi_target_met_rate"], [0.5, np.nan, 0.0, np.nan, np.nan])


def test_monthly_series_honours_the_window() -> None:
    # 48 hours: April's T {1 (72h), 2 (72h 1m)} has none within.
    s = monthly_series(scenario(), ["2026-04"], timeliness_hours=48)
    assert (s["rhi_timely"].tolist(), s["T"].tolist()) == ([0], [2])


def test_monthly_totals_match_quarter() -> None:
    t = random_table(3000, seed=3)
    q = Quarter.parse("2026-27-Q1")
    m = metric_table(t, [q], **PARAMS)
    s = monthly_series(t, q.months, timeliness_hours=72)
    alls = m[m["cohort"] == "all"].set_index("metric")
    assert s["episodes"].sum() == alls.loc["episodes", "value"]
    assert s["rhi_offered"].sum() == alls.loc["rhi_offered", "value"]
    assert s["T"].sum() == alls.loc["rhi_timely_rate", "denominator"]


def test_bundled_sample_headline_figures() -> None:
    """The article's figures for April to June: 189 episodes, 105 children, 108 offered, 65
    declined, shown as 60% (65 / 108 = 60.19%)."""
    from pathlib import Path

    from pipeline.config import load_config
    from pipeline.metrics import present
    from pipeline.run import load_and_validate

    root = Path(__file__).resolve().parents[1]
    if not (root / "config.yaml").exists() or not any((root / "inputs").iterdir()):
        pytest.skip("the bundled sample is not present")
    config = load_config(root / "config.yaml")
    dataset, _ = load_and_validate(config)
    q1 = Quarter.parse("2026-27-Q1")
    m = metric_table(
        dataset.episodes,
        quarters_back(q1, 8),
        timeliness_hours=config.timeliness_hours,
        repeat_threshold=config.repeat_threshold,
        independent_roles=config.independent_roles,
    )
    alls = m[(m["quarter"] == q1.id) & (m["cohort"] == "all")].set_index("metric")
    assert alls.loc["episodes", "value"] == 189
    assert alls.loc["children", "value"] == 105
    assert alls.loc["rhi_offered", "value"] == 108
    assert alls.loc["rhi_declined", "value"] == 65
    decline = alls.loc["rhi_decline_rate"]
    assert present.percent(decline["numerator"], decline["denominator"]) == "60%"
    assert present.rate_percent(decline["value"]) == "60%"
