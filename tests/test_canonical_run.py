"""An empty config reads canonical extracts; figures worked out by hand from six episodes."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipeline.cli import main

EPISODES = """episode_id,child_id,start,end,episode_type,looked_after,placement_area
E1,C1,2026-04-02 10:00,2026-04-03 10:00,missing,yes,in_area
E2,C1,2026-04-20 08:00,2026-04-21 08:00,missing,yes,in_area
E3,C2,2026-05-05 12:00,2026-05-06 12:00,away,yes,out_of_area
E4,C3,2026-06-10 09:00,,missing,no,
E5,C4,2026-06-11 09:00,2026-06-11 18:00,missing,no,
E6,C5,2026-03-15 09:00,2026-03-16 09:00,missing,no,
"""
INTERVIEWS = """episode_id,outcome,completed_at,mode,interviewer_role
E1,completed,2026-04-06 10:00,face_to_face,independent_practitioner
E2,declined,,,
E3,completed,2026-05-10 12:00,telephone,social_worker
E6,completed,2026-03-17 09:00,face_to_face,independent_practitioner
"""


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    (tmp_path / "config.yaml").write_text("{}\n", encoding="utf-8")
    (tmp_path / "episodes.csv").write_text(EPISODES, encoding="utf-8")
    (tmp_path / "interviews.csv").write_text(INTERVIEWS, encoding="utf-8")
    return tmp_path


def _run(folder: Path, *extra: str) -> dict[tuple[str, str, str], dict[str, str]]:
    out = folder / "out"
    args = [
        "run",
        "--config",
        str(folder / "config.yaml"),
        "--episodes",
        str(folder / "episodes.csv"),
        "--interviews",
        str(folder / "interviews.csv"),
        "--out",
        str(out),
        *extra,
    ]
    assert main(args) == 0
    with (out / "metrics.csv").open(encoding="utf-8", newline="") as handle:
        return {(r["quarter"], r["cohort"], r["metric"]): r for r in csv.DictReader(handle)}


def test_internal_figures_for_the_quarter(folder):
    m = _run(folder, "--as-at", "2026-07-01", "--audience", "internal")
    q = "2026-27-Q1"

    def value(metric: str, cohort: str = "all") -> str:
        return m[(q, cohort, metric)]["value"]

    # Q1 holds E1-E5 (E6 starts in March: 2025-26 Q4). Children C1-C4.
    assert value("episodes") == "5" and value("children") == "4"
    # E4 has no end: ongoing, so 4 are due an RHI.
    assert value("episodes_ongoing") == "1" and value("rhi_due") == "4"
    # Offered: E1 completed, E2 declined, E3 completed; E5 has no RHI row: not offered.
    assert value("rhi_offered") == "3" and value("rhi_not_offered") == "1"
    assert value("rhi_declined") == "1" and value("rhi_completed") == "2"
    assert value("rhi_offered_rate") == "0.750000"  # 3 / 4
    assert value("rhi_decline_rate") == "0.333333"  # 1 / 3
    # Timeliness: E1 held exactly 72:00 after return (within); E3 96 hours after (late).
    timely = m[(q, "all", "rhi_timely_rate")]
    assert (timely["numerator"], timely["denominator"], timely["value"]) == ("1", "2", "0.500000")
    # Cohorts: looked after = E1, E2, E3 (children C1, C2); out of area = E3 only.
    assert value("episodes", "looked_after") == "3"
    assert value("children", "looked_after") == "2"
    assert value("episodes", "looked_after_out_of_area") == "1"
    assert value("episodes", "not_looked_after") == "2"
    # E3 (out of area) was by telephone with the social worker: 0 of 1 independent.
    assert value("rhi_independent_rate", "looked_after_out_of_area") == "0.000000"
    # The trend starts with the first quarter in the data, 2025-26 Q4 (E6 alone).
    assert m[("2025-26-Q4", "all", "episodes")]["value"] == "1"
    assert {k[0] for k in m} == {"2025-26-Q4", "2026-27-Q1"}


def test_default_quarter_is_the_latest_ended_by_the_as_at_date(folder):
    # Without --as-at, the as-at date is the latest date in either file: 11 June 2026
    # (E5's end), so 2026-27 Q1 has not ended and 2025-26 Q4 is reported.
    m = _run(folder, "--audience", "internal")
    assert {k[0] for k in m} == {"2025-26-Q4"}


def test_public_audience_suppresses_these_small_numbers(folder):
    m = _run(folder, "--as-at", "2026-07-01")
    # 1 ongoing and 4 due are suppressed (primary). 5 episodes is at the threshold, but
    # with 5 = 1 + 4 shown a reader would know each lies in 1 to 4, an interval narrower
    # than 5 (docs/privacy.md), so the total is withheld too; zero pending is shown.
    q = "2026-27-Q1"
    assert m[(q, "all", "episodes")]["value"] == "[c]"
    assert m[(q, "all", "episodes_ongoing")]["value"] == "[c]"
    assert m[(q, "all", "rhi_due")]["value"] == "[c]"
    assert m[(q, "all", "rhi_offered_rate")]["value"] == "[c]"
    assert m[(q, "all", "rhi_pending")]["value"] == "0"
