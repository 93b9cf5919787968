"""Results objects for the render tests.

`small_results` is a hand-built metrics table (values chosen so tests can work out the shown
text by hand). `random_results` runs the real metric, breakdown, disclosure and SPC code on a
random but valid episode table, to render a full paper.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
from metrics_fixtures import random_table

from pipeline.config import Config
from pipeline.findings import Finding
from pipeline.periods import Quarter
from pipeline.results import InputFile, Results

Q1 = Quarter.parse("2026-27-Q1")
Q4 = Quarter.parse("2025-26-Q4")


@dataclass
class FakeAnalysis:
    """The parts of pipeline.analysis.Analysis the report reads."""

    key_messages: list[str] = field(default_factory=list)
    rag: dict[str, Any] = field(default_factory=dict)
    spc: dict[str, Any] = field(default_factory=dict)
    commentary: dict[str, Any] = field(default_factory=dict)


def metrics_rows(rows: list[tuple[str, str, str, float, float, float, bool]]) -> pd.DataFrame:
    """A disclosed metrics table from (quarter, cohort, metric, num, den, value, suppressed)."""
    frame = pd.DataFrame(
        rows,
        columns=["quarter", "cohort", "metric", "numerator", "denominator", "value", "suppressed"],
    )
    for col in ("numerator", "denominator", "value"):
        frame[col] = frame[col].astype("float64")
    frame["suppressed"] = frame["suppressed"].astype(bool)
    return frame


NAN = float("nan")


def small_results(audience: str = "public", **config: Any) -> Results:
    """Two quarters of a few hand-picked figures (see the tests for the arithmetic)."""
    q1, q4 = Q1.id, Q4.id
    metrics = metrics_rows(
        [
            (q4, "all", "episodes", NAN, NAN, 177, False),
            (q1, "all", "episodes", NAN, NAN, 189, False),
            (q4, "all", "children", NAN, NAN, 110, False),
            (q1, "all", "children", NAN, NAN, 105, False),
            (q4, "all", "rhi_decline_rate", 60, 100, 0.6, False),
            (q1, "all", "rhi_decline_rate", 65, 108, 65 / 108, False),
            (q4, "all", "rhi_timely_rate", 40, 80, 0.5, False),
            (q1, "all", "rhi_timely_rate", 21, 40, 21 / 40, False),
            (q4, "all", "rhi_target_met_rate", 30, 80, 30 / 80, False),
            (q1, "all", "rhi_target_met_rate", 18, 40, 18 / 40, False),
            (q4, "looked_after_out_of_area", "rhi_independent_rate", 1, 10, 0.1, True),
            (q1, "looked_after_out_of_area", "rhi_independent_rate", 3, 12, 0.25, True),
            (q1, "all", "children_repeat", NAN, NAN, 3, True),
        ]
    )
    cfg = Config(
        council_name="Example Council",
        targets={"rhi_timely_rate": {"target": 0.9, "amber_within": 0.1}},
        **config,
    )
    return Results(
        config=cfg,
        quarter=Q1,
        quarters=[Q4, Q1],
        as_at=date(2026, 7, 14),
        audience=audience,
        findings=[],
        episodes=pd.DataFrame(),
        metrics=metrics,
        analysis=FakeAnalysis(),
    )


@cache
def _random_inputs() -> tuple[pd.DataFrame, list[Quarter]]:
    episodes = random_table(600, seed=7, children=260)
    quarters = [Quarter.parse(q) for q in ("2025-26-Q3", "2025-26-Q4", "2026-27-Q1")]
    return episodes, quarters


def random_results(audience: str = "public", commentary: dict[str, Any] | None = None) -> Results:
    """A full Results from the real computing stages on a random valid episode table."""
    from pipeline import disclosure
    from pipeline.analysis.spc import xmr
    from pipeline.analysis.targets import rag
    from pipeline.metrics.breakdowns import breakdowns
    from pipeline.metrics.table import metric_table, monthly_series

    episodes, quarters = _random_inputs()
    cfg = Config(
        council_name="Example Council",
        report_owner="Director of Children's Services",
        targets={
            "rhi_offered_rate": {"target": 1.0},
            "rhi_timely_rate": {"target": 0.9},
            "rhi_independent_rate": {"target": 0.9},
        },
    )
    metrics = metric_table(
        episodes,
        quarters,
        timeliness_hours=cfg.timeliness_hours,
        repeat_threshold=cfg.repeat_threshold,
        independent_roles=cfg.independent_roles,
    )
    months = [m for q in quarters for m in q.months]
    monthly = monthly_series(episodes, months, timeliness_hours=cfg.timeliness_hours)
    parts = breakdowns(episodes, Q1, labels={}, repeat_threshold=cfg.repeat_threshold)
    decisions = disclosure.disclose(
        metrics, parts, monthly, quarter=Q1.id, audience=audience, threshold=cfg.suppress_below
    )
    disclosed = decisions.flags(metrics)
    spc = {
        "episodes": xmr(monthly["episodes"].to_numpy(dtype=float)),
        "rhi_offered_rate": xmr(
            monthly["rhi_offered_rate"].to_numpy(dtype=float), improvement="up"
        ),
        "rhi_timely_rate": xmr(
            monthly["rhi_timely_rate"].to_numpy(dtype=float), improvement="up", target=0.9
        ),
    }
    q1 = disclosed[(disclosed["quarter"] == Q1.id) & (disclosed["cohort"] == "all")]
    timely = q1.loc[q1["metric"] == "rhi_timely_rate"].iloc[0]
    analysis = FakeAnalysis(
        key_messages=[
            "Between April and June 2026 the council recorded many missing episodes.",
            "Fewer than half of interviews were held within 72 hours.",
        ],
        rag={
            "rhi_timely_rate": rag(
                float(timely["value"]),
                cfg.targets["rhi_timely_rate"],
                "up",
                suppressed=bool(timely["suppressed"]),
            )
        },
        spc=spc,
        commentary=commentary or {},
    )
    return Results(
        config=cfg,
        quarter=Q1,
        quarters=quarters,
        as_at=date(2026, 7, 14),
        audience=audience,
        findings=[
            Finding(
                "warning",
                "episodes.csv",
                14,
                "end",
                "end_before_start",
                "episodes.csv row 14: end is before start (child C-SECRET-1); left out.",
            ),
        ],
        episodes=episodes,
        metrics=disclosed,
        breakdowns=parts,
        analysis=analysis,
        inputs=[InputFile("episodes.csv", "inputs/episodes.csv", "ab" * 32, 600)],
        config_sha256="cd" * 32,
        monthly=monthly,
        disclosure=decisions,
    )


__all__ = ["NAN", "Q1", "Q4", "FakeAnalysis", "metrics_rows", "random_results", "small_results"]
_ = np  # numpy is used by the fixtures imported above
