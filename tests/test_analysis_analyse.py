"""The analyse stage end to end on a small hand-built quarter: analyse, then write_narrative."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from pipeline.analysis import SPC_SERIES, analyse, write_narrative
from pipeline.config import Config
from pipeline.periods import Quarter

Q = Quarter.parse("2026-27-Q1")
N = math.nan
MONTHS = [f"2025-{m:02d}" for m in range(4, 13)] + [f"2026-{m:02d}" for m in range(1, 7)]


def metrics() -> pd.DataFrame:
    rows = [
        ("episodes", N, N, 30),
        ("children", N, N, 20),
        ("rhi_due", N, N, 28),
        ("rhi_offered", N, N, 21),
        ("rhi_declined", N, N, 7),
        ("rhi_completed", N, N, 14),
        # 21/28 = 75%; 7/21 = 33%; 14/28 = 50%; 7 of 14 timely = 50%
        ("rhi_offered_rate", 21, 28, 0.75),
        ("rhi_decline_rate", 7, 21, 1 / 3),
        ("rhi_completed_rate", 14, 28, 0.5),
        ("rhi_timely_rate", 7, 14, 0.5),
    ]
    return pd.DataFrame(
        [
            {
                "quarter": Q.id,
                "cohort": "all",
                "metric": m,
                "numerator": a,
                "denominator": b,
                "value": v,
            }
            for m, a, b, v in rows
        ]
    )


def monthly() -> pd.DataFrame:
    # 15 months; episodes steady at 10/12 then 11 in the quarter; the offer rate alternates;
    # timeliness 0.5/0.6 alternating
    return pd.DataFrame(
        {
            "month": MONTHS,
            "episodes": [10, 12] * 7 + [11],
            "rhi_offered_rate": [0.7, 0.8] * 7 + [0.75],
            "rhi_timely_rate": [0.5, 0.6] * 7 + [0.5],
        }
    )


def test_analyse_and_write_narrative(tmp_path: Path) -> None:
    (tmp_path / "commentary.md").write_text(
        f"---\nquarter: {Q.id}\n---\n## Timeliness\nWe must do better.\n", "utf-8"
    )
    config = Config(
        targets={"rhi_timely_rate": 0.9, "rhi_offered_rate": 1.0},
        spc={"rebase_months": ["2026-01"]},
        commentary=Path("commentary.md"),
        base_dir=tmp_path,
        headline_target_metric="rhi_timely_rate",
    )
    analysis = analyse(metrics(), monthly(), quarter=Q, quarters=[Q.previous(), Q], config=config)
    assert set(analysis.spc) == {"episodes", "rhi_offered_rate", "rhi_timely_rate"}
    assert set(analysis.spc) < set(SPC_SERIES)
    # a rate's limits are kept within 0 and 1; the episodes' are not bounded
    assert analysis.spc["rhi_timely_rate"].bounds == (0.0, 1.0)
    assert analysis.spc["episodes"].bounds is None
    # directions come from the registry: episodes has none, the rates are better up
    assert analysis.spc["episodes"].improvement is None
    assert analysis.spc["rhi_timely_rate"].improvement == "up"
    assert analysis.spc["rhi_timely_rate"].target == 0.9
    # 2026-01 is the 10th month (index 9): the limits are recalculated from there
    assert analysis.spc["episodes"].segments == (0, 9)
    assert analysis.spc["episodes"].labels[-1] == "2026-06"
    # 7 of 14 = 50% is 0.4 short of 90%: missed
    assert analysis.rag["rhi_timely_rate"].status == "red"
    # the commentary is for this quarter: no notice; it is rendered by write_narrative
    assert analysis.notices == [] and analysis.commentary_text is not None
    assert analysis.key_messages == []
    # two quarters of every headline KPI (those in the registry)
    assert set(analysis.history["quarter"]) == {Q.previous().id, Q.id}

    disclosed = metrics().assign(suppressed=False)
    disclosed.loc[disclosed["metric"] == "rhi_offered_rate", "suppressed"] = True
    assert write_narrative(analysis, disclosed, config) is analysis
    assert list(analysis.commentary) == ["timeliness"]
    sentences = analysis.key_messages
    # the headline target's sentence first; the volume follows the targets' sentences
    assert next(s for s in sentences if s.startswith("Between")) == (
        "Between April and June 2026 the council recorded 30 missing and away episodes involving "
        "20 children."
    )
    # the offer rate is hidden: its rating becomes "no data" and its sentence goes
    assert analysis.rag["rhi_offered_rate"].status == "no data"
    assert not any("was offered after" in s for s in sentences)
    assert sentences[0] == (
        "7 of the 14 interviews that count towards the timescale (50%) were held within "
        "72 hours of the child's return, well short of the council's target of 90%."
    )


def test_no_commentary_and_no_targets() -> None:
    analysis = analyse(metrics(), monthly(), quarter=Q, quarters=[Q], config=Config())
    assert analysis.commentary == {} and analysis.rag == {}
    assert analysis.spc["rhi_timely_rate"].assurance is None


def test_the_timeliness_chart_is_the_headline_target_metric() -> None:
    # By default the headline is the face-to-face rate, so that is the series charted (with
    # the target set for it); the rate in any mode is not charted as well.
    frame = monthly().assign(rhi_target_met_rate=[0.4, 0.5] * 7 + [0.4])
    config = Config(targets={"rhi_target_met_rate": 0.9})
    analysis = analyse(metrics(), frame, quarter=Q, quarters=[Q.previous(), Q], config=config)
    assert set(analysis.spc) == {"episodes", "rhi_offered_rate", "rhi_target_met_rate"}
    assert analysis.spc["rhi_target_met_rate"].target == 0.9
    # limits 0.4467 +/- 2.66 x 0.1 (every moving range 0.1): within 0 .. 1 either way
    assert analysis.spc["rhi_target_met_rate"].upper[-1] == pytest.approx(6.7 / 15 + 0.266)
