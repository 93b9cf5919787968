"""KPI history: changes on the previous quarter and a year ago, judged by direction."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from pipeline.analysis.trends import (
    HEADLINE_KPIS,
    judge,
    kpi_history,
    round_half_away,
    with_suppression,
)
from pipeline.periods import Quarter, quarters_back

REG = {
    "episodes": SimpleNamespace(label="Episodes", kind="count", shown_as="count", direction=None),
    "rhi_timely_rate": SimpleNamespace(
        label="Timely", kind="ratio", shown_as="percent", direction="up"
    ),
    "rhi_decline_rate": SimpleNamespace(
        label="Declined", kind="ratio", shown_as="percent", direction="down"
    ),
}
KPIS = [("episodes", "all"), ("rhi_timely_rate", "all"), ("rhi_decline_rate", "all")]


def row(q: str, metric: str, num: float, den: float, value: float, cohort: str = "all"):
    return {
        "quarter": q,
        "cohort": cohort,
        "metric": metric,
        "numerator": num,
        "denominator": den,
        "value": value,
    }


NAN = math.nan


def table() -> pd.DataFrame:
    rows = [
        # a year before the reported quarter 2026-27-Q1
        row("2025-26-Q1", "episodes", NAN, NAN, 150),
        row("2025-26-Q1", "rhi_timely_rate", 30, 60, 0.5),
        row("2025-26-Q4", "episodes", NAN, NAN, 200),
        row("2025-26-Q4", "rhi_timely_rate", 54, 90, 0.6),
        row("2025-26-Q4", "rhi_decline_rate", 10, 40, 0.25),
        row("2026-27-Q1", "episodes", NAN, NAN, 189),
        row("2026-27-Q1", "rhi_timely_rate", 121, 200, 0.605),
        row("2026-27-Q1", "rhi_decline_rate", 5, 40, 0.125),
    ]
    return pd.DataFrame(rows)


def test_changes_and_judgements_by_hand() -> None:
    h = kpi_history(
        table(),
        [Quarter.parse("2025-26-Q4"), Quarter.parse("2026-27-Q1")],
        kpis=KPIS,
        registry=REG,
    )
    assert len(h) == 6  # 3 KPIs x 2 quarters
    latest = h[h["quarter"] == "2026-27-Q1"].set_index("metric")
    # episodes: 189 - 200 = -11 (a fall, not judged: no better direction);
    # a year ago 150 -> +39
    ep = latest.loc["episodes"]
    assert ep["change_previous"] == -11 and ep["movement_previous"] == "fall"
    assert ep["judgement_previous"] == "not judged"
    assert ep["change_year"] == 39 and ep["movement_year"] == "rise"
    assert ep["change_unit"] == "number"
    # timely: 60.5% shown as 61% (half away from zero) vs 60%: +0.5 points, a rise, better
    t = latest.loc["rhi_timely_rate"]
    assert t["change_previous"] == pytest.approx(0.5)
    assert t["movement_previous"] == "rise" and t["judgement_previous"] == "better"
    assert t["change_unit"] == "percentage points"
    # vs a year ago 50%: +10.5 points, better
    assert t["change_year"] == pytest.approx(10.5) and t["judgement_year"] == "better"
    # declined: 12.5% (13%) vs 25%: -12.5 points, a fall, and lower is better
    d = latest.loc["rhi_decline_rate"]
    assert d["change_previous"] == pytest.approx(-12.5)
    assert d["judgement_previous"] == "better"
    # no decline figure a year ago: not comparable
    assert math.isnan(d["change_year"]) and d["judgement_year"] == "not comparable"
    # the earliest quarter has no previous quarter in the table
    first = h[h["quarter"] == "2025-26-Q4"].set_index("metric")
    assert first.loc["episodes", "movement_previous"] == "not comparable"


def test_change_too_small_to_show_is_no_change() -> None:
    # 60.2% and 59.8% both show as 60%: no change, even though the values differ
    t = pd.DataFrame(
        [
            row("2025-26-Q4", "rhi_timely_rate", 301, 500, 0.602),
            row("2026-27-Q1", "rhi_timely_rate", 299, 500, 0.598),
        ]
    )
    h = kpi_history(t, ["2025-26-Q4", "2026-27-Q1"], kpis=KPIS[1:2], registry=REG)
    assert h.iloc[1]["movement_previous"] == "no change"
    assert h.iloc[1]["judgement_previous"] == "no change"


def test_at_most_eight_quarters_and_order() -> None:
    quarters = quarters_back(Quarter.parse("2026-27-Q1"), 10)
    h = kpi_history(table(), quarters, kpis=KPIS, registry=REG)
    assert len(h) == 3 * 8
    assert h["quarter"].iloc[0] == "2024-25-Q2" and h["quarter"].iloc[7] == "2026-27-Q1"
    assert h["metric"].tolist()[:8] == ["episodes"] * 8
    # quarters with no row are blank, not zero
    assert math.isnan(h["value"].iloc[0])


def test_cohort_override_and_unknown_metrics() -> None:
    t = pd.DataFrame([row("2026-27-Q1", "episodes", NAN, NAN, 7, cohort="looked_after")])
    h = kpi_history(
        t,
        ["2026-27-Q1"],
        cohort="looked_after",
        kpis=[("episodes", "all"), ("no_such_metric", "all")],
        registry=REG,
    )
    assert h["cohort"].tolist() == ["looked_after"]
    assert h["value"].tolist() == [7]


def test_judge_table() -> None:
    movement = np.array(["rise", "fall", "rise", "fall", "no change", "not comparable", "rise"])
    direction = np.array(["up", "up", "down", "down", "up", "down", None], dtype=object)
    assert judge(movement, direction).tolist() == [
        "better",
        "worse",
        "worse",
        "better",
        "no change",
        "not comparable",
        "not judged",
    ]


def test_round_half_away_from_zero() -> None:
    # 60.5 -> 61 and 0.605 * 100 -> 61 (not 60 from float error or banker's rounding)
    assert round_half_away(np.array([60.5, 59.5, -0.5, 0.605 * 100])).tolist() == [
        61,
        60,
        -1,
        61,
    ]


def test_with_suppression_marks_changes_next_to_hidden_figures() -> None:
    h = kpi_history(table(), ["2025-26-Q4", "2026-27-Q1"], kpis=KPIS, registry=REG)
    disclosed = table().assign(suppressed=False)
    hide = (disclosed["quarter"] == "2025-26-Q4") & (disclosed["metric"] == "rhi_decline_rate")
    disclosed.loc[hide, "suppressed"] = True
    s = with_suppression(h, disclosed)
    latest = s[s["quarter"] == "2026-27-Q1"].set_index("metric")
    assert not latest.loc["rhi_decline_rate", "suppressed"]
    assert latest.loc["rhi_decline_rate", "change_previous_suppressed"]
    assert not latest.loc["rhi_timely_rate", "change_previous_suppressed"]
    # the year-ago decline figure is not in the table at all: treated as suppressed
    assert latest.loc["rhi_decline_rate", "change_year_suppressed"]


def test_headline_kpis_exist_in_the_registry() -> None:
    from pipeline.metrics.registry import COHORTS, REGISTRY

    for metric, cohort in HEADLINE_KPIS:
        assert metric in REGISTRY and cohort in COHORTS


def test_shown_values_for_hours_and_numbers() -> None:
    from pipeline.analysis.trends import shown_values

    # 47.6 h -> 48 hours; 49 h -> 2.0 days (49/24 = 2.04) = 48 h as shown; 1.84 -> 1.8
    got = shown_values(np.array([47.6, 49.0, 1.84]), np.array(["hours", "hours", "number"]))
    assert got.tolist() == pytest.approx([48, 48, 1.8])
