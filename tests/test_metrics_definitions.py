"""Every metric of metrics.md on a small hand-built extract, with the working shown.

The scenario (quarter 2026-27-Q1 is April to June 2026 unless said otherwise):

 #  child cohort        start        end          RHI
 1  A  not looked after 04-01 08:00  04-01 20:00  completed 04-04 20:00 (exactly 72:00), face to
                                                  face, independent practitioner;
                                                  notified 04-01 22:00, assigned 04-02 10:00
 2  A  not looked after 04-10 08:00  04-10 12:00  completed 04-13 12:01 (72:01), telephone,
                                                  social worker; notified 04-10 15:00,
                                                  assigned 04-10 18:00
 3  A  not looked after 05-01 08:00  05-02 08:00  declined by the child; notified 05-02 12:00
 4  B  looked after, in  04-05 09:00  04-06 09:00  completed 04-08 09:00 (48h) face to face by
                                                  host authority practitioner, WITH an exception;
                                                  notified 04-06 09:00
 5  B  looked after, in  05-05 09:00  (ongoing)    no RHI row
 6  C  looked after, out 04-20 10:00  04-21 10:00  completed 04-21 09:00 (BEFORE the return),
                                                  telephone, social worker
 7  C  looked after, out 06-01 10:00  06-02 10:00  pending
 8  C  looked after, out 06-10 10:00  06-11 10:00  no RHI row (due, not offered)
 9  D  not looked after 06-20 10:00  06-20 22:00  declined by parent/carer; notified 06-20 21:00
                                                  (before the return: left out of the median)
10  D  looked after, out 06-25 10:00  06-26 10:00  completed 06-27 10:00 (24h) face to face,
                                                  independent, but timeliness_excluded
11  C  looked after, out 06-28 23:00  07-02 10:00  completed 07-03 10:00 (24h), video,
                                                  independent (starts in Q1, ends in Q2)
12  E  not looked after 2026-03-30    04-01 10:00  completed 04-02 10:00 (24h), face to face
                                                  (quarter 2025-26-Q4)
13  A  not looked after 07-01 00:00  07-01 05:00  no RHI row (quarter 2026-27-Q2)
14  A  not looked after 05-20 08:00  05-20 10:00  RHI row: not offered, missing again

Child D is in two cohorts in Q1 (not looked after for episode 9, looked after out of county
for episode 10).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from metrics_fixtures import episode, table

from pipeline.metrics.registry import REGISTRY
from pipeline.metrics.table import metric_table
from pipeline.periods import Quarter

Q4 = Quarter.parse("2025-26-Q4")
Q1 = Quarter.parse("2026-27-Q1")
Q2 = Quarter.parse("2026-27-Q2")
ROLES = ("independent_practitioner", "host_authority_practitioner")
NLA: dict = {"looked_after": False}
LA_IN: dict = {"looked_after": True, "placement_area": "in_area"}
LA_OUT: dict = {"looked_after": True, "placement_area": "out_of_area"}


def scenario() -> pd.DataFrame:
    """The 14 episodes of the module docstring."""
    y = "2026-"
    return table(
        [
            episode(child_id="A", **NLA, start=y + "04-01 08:00", end=y + "04-01 20:00",
                    outcome="completed", completed_at=y + "04-04 20:00",
                    notified_at=y + "04-01 22:00", assigned_at=y + "04-02 10:00"),
            episode(child_id="A", **NLA, start=y + "04-10 08:00", end=y + "04-10 12:00",
                    outcome="completed", completed_at=y + "04-13 12:01", mode="telephone",
                    interviewer_role="social_worker",
                    notified_at=y + "04-10 15:00", assigned_at=y + "04-10 18:00"),
            episode(child_id="A", **NLA, start=y + "05-01 08:00", end=y + "05-02 08:00",
                    outcome="declined", declined_by="child", notified_at=y + "05-02 12:00"),
            episode(child_id="B", **LA_IN, start=y + "04-05 09:00", end=y + "04-06 09:00",
                    outcome="completed", completed_at=y + "04-08 09:00",
                    interviewer_role="host_authority_practitioner",
                    exception="child chose to speak to their social worker",
                    notified_at=y + "04-06 09:00"),
            episode(child_id="B", **LA_IN, start=y + "05-05 09:00"),
            episode(child_id="C", **LA_OUT, start=y + "04-20 10:00", end=y + "04-21 10:00",
                    outcome="completed", completed_at=y + "04-21 09:00", mode="telephone",
                    interviewer_role="social_worker"),
            episode(child_id="C", **LA_OUT, start=y + "06-01 10:00", end=y + "06-02 10:00",
                    outcome="pending"),
            episode(child_id="C", **LA_OUT, start=y + "06-10 10:00", end=y + "06-11 10:00"),
            episode(child_id="D", **NLA, start=y + "06-20 10:00", end=y + "06-20 22:00",
                    outcome="declined", declined_by="parent_carer",
                    notified_at=y + "06-20 21:00"),
            episode(child_id="D", **LA_OUT, start=y + "06-25 10:00", end=y + "06-26 10:00",
                    outcome="completed", completed_at=y + "06-27 10:00",
                    timeliness_excluded=True),
            episode(child_id="C", **LA_OUT, start=y + "06-28 23:00", end=y + "07-02 10:00",
                    outcome="completed", completed_at=y + "07-03 10:00", mode="video"),
            episode(child_id="E", **NLA, start=y + "03-30 10:00", end=y + "04-01 10:00",
                    outcome="completed", completed_at=y + "04-02 10:00"),
            episode(child_id="A", **NLA, start=y + "07-01 00:00", end=y + "07-01 05:00"),
            episode(child_id="A", **NLA, start=y + "05-20 08:00", end=y + "05-20 10:00",
                    outcome="not_offered", not_offered_reason="missing_again"),
        ]
    )  # fmt: skip


def compute(frame: pd.DataFrame, quarters: list[Quarter] | None = None, **kw: object):
    params = {"timeliness_hours": 72, "repeat_threshold": 3, "independent_roles": ROLES}
    params.update(kw)
    return metric_table(frame, quarters or [Q4, Q1, Q2], **params)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def metrics() -> pd.DataFrame:
    return compute(scenario())


def fig(metrics: pd.DataFrame, cohort: str, metric: str, quarter: Quarter = Q1):
    """(numerator, denominator, value) of one row."""
    row = metrics[
        (metrics["quarter"] == quarter.id)
        & (metrics["cohort"] == cohort)
        & (metrics["metric"] == metric)
    ]
    assert len(row) == 1, (quarter, cohort, metric)
    r = row.iloc[0]
    return r["numerator"], r["denominator"], r["value"]


def value(metrics: pd.DataFrame, cohort: str, metric: str, quarter: Quarter = Q1) -> float:
    return fig(metrics, cohort, metric, quarter)[2]


def blank(x: float) -> bool:
    return isinstance(x, float) and math.isnan(x)


# ---- counts, cohort all, Q1: episodes 1-11 and 14 (12 is Q4, 13 is Q2) -------------------

COUNTS_ALL = {
    "episodes": 12,  # 1-11, 14
    "children": 4,  # A, B, C, D
    "children_repeat": 2,  # A has 1,2,3,14 and C has 6,7,8,11: 4 each; B and D have 2
    "episodes_ongoing": 1,  # 5
    "rhi_due": 11,  # 12 - 1 ongoing
    "rhi_offered": 9,  # completed 1,2,4,6,10,11 + declined 3,9 + pending 7
    "rhi_declined": 2,  # 3, 9
    "rhi_completed": 6,  # 1,2,4,6,10,11
    "rhi_pending": 1,  # 7
    "rhi_not_offered": 2,  # 8 (no RHI row) and 14 (row says not offered): 11 - 9
}


@pytest.mark.parametrize(("metric", "expected"), COUNTS_ALL.items())
def test_counts_for_all(metrics: pd.DataFrame, metric: str, expected: int) -> None:
    num, den, val = fig(metrics, "all", metric)
    assert val == expected
    assert blank(num) and blank(den)  # counts leave numerator and denominator blank


# ---- ratios, cohort all, Q1 --------------------------------------------------------------

RATIOS_ALL = {
    "episodes_per_child": (12, 4),
    "children_repeat_rate": (2, 4),
    "rhi_offered_rate": (9, 11),
    "rhi_decline_rate": (2, 9),
    "rhi_completed_rate": (6, 11),
    # T = completed 1,2,4,6,10,11 minus 4 (exception), 6 (held before return), 10 (excluded
    # by a data-quality treatment) = {1, 2, 11}. Within 72h: 1 (exactly 72:00), 11 (24h);
    # 2 is 72:01, outside.
    "rhi_timely_rate": (2, 3),
    # of T, within 72h and face to face: only 1 (11 was by video).
    "rhi_target_met_rate": (1, 3),
    # completed face to face: 1, 4, 10 (2 and 6 telephone, 11 video).
    "rhi_face_to_face_rate": (3, 6),
    # independent or host authority: 1, 4 (host), 10, 11; social workers held 2 and 6.
    "rhi_independent_rate": (4, 6),
}


@pytest.mark.parametrize(("metric", "parts"), RATIOS_ALL.items())
def test_ratios_for_all(metrics: pd.DataFrame, metric: str, parts: tuple[int, int]) -> None:
    num, den, val = fig(metrics, "all", metric)
    assert (num, den) == parts
    assert val == pytest.approx(parts[0] / parts[1], rel=1e-12)


# ---- process times, cohort all, Q1 ------------------------------------------------------


def test_median_even_is_mean_of_middle_two(metrics: pd.DataFrame) -> None:
    # return -> notification: 1: 20:00->22:00 = 2h; 2: 12:00->15:00 = 3h; 3: 08:00->12:00 =
    # 4h; 4: 0h. 9 was notified before the return: left out. Sorted 0, 2, 3, 4: n = 4,
    # median (2 + 3) / 2 = 2.5.
    num, den, val = fig(metrics, "all", "median_hours_return_to_notification")
    assert blank(num)
    assert den == 4
    assert val == 2.5


def test_median_notification_to_assignment(metrics: pd.DataFrame) -> None:
    # 1: 04-01 22:00 -> 04-02 10:00 = 12h; 2: 15:00 -> 18:00 = 3h. n = 2, median 7.5.
    assert fig(metrics, "all", "median_hours_notification_to_assignment")[1:] == (2, 7.5)


def test_median_assignment_to_completion(metrics: pd.DataFrame) -> None:
    # 1: 04-02 10:00 -> 04-04 20:00 = 58h; 2: 04-10 18:00 -> 04-13 12:01 = 66h 1m.
    # median = (58 + 66 + 1/60) / 2 = 62 + 1/120.
    _, den, val = fig(metrics, "all", "median_hours_assignment_to_completion")
    assert den == 2
    assert val == pytest.approx(62 + 1 / 120, rel=1e-12)


def test_median_odd(metrics: pd.DataFrame) -> None:
    # return -> completion: 1: 72h, 2: 72h 1m, 4: 48h, 10: 24h, 11: 24h; 6 was held before
    # the return: left out. Sorted 24, 24, 48, 72, 72.02: n = 5, median 48.
    assert fig(metrics, "all", "median_hours_return_to_completion")[1:] == (5, 48)


# ---- the other cohorts ------------------------------------------------------------------


def test_looked_after_in_area(metrics: pd.DataFrame) -> None:
    # Episodes 4 and 5 (child B).
    m = {k: value(metrics, "looked_after_in_area", k) for k in REGISTRY}
    assert (m["episodes"], m["children"], m["children_repeat"]) == (2, 1, 0)
    assert (m["episodes_ongoing"], m["rhi_due"], m["rhi_offered"], m["rhi_completed"]) == (
        1, 1, 1, 1,
    )  # fmt: skip
    assert m["rhi_decline_rate"] == 0  # 0 of 1 offered: a real zero, not blank
    # T is empty: 4 has an exception. Zero denominator -> blank value.
    num, den, val = fig(metrics, "looked_after_in_area", "rhi_timely_rate")
    assert (num, den) == (0, 0) and blank(val)
    assert blank(m["rhi_target_met_rate"])
    assert m["rhi_independent_rate"] == 1  # host authority practitioner counts as independent
    # Process time 4: return -> notification 0h (equal times are kept); nothing else.
    assert fig(metrics, "looked_after_in_area", "median_hours_return_to_notification")[1:] == (
        1, 0,
    )  # fmt: skip
    num, den, val = fig(metrics, "looked_after_in_area", "median_hours_notification_to_assignment")
    assert den == 0 and blank(val) and blank(num)  # n = 0: blank value


def test_looked_after_out_of_area(metrics: pd.DataFrame) -> None:
    # Episodes 6, 7, 8, 11 (child C) and 10 (child D).
    m = {k: fig(metrics, "looked_after_out_of_area", k) for k in REGISTRY}
    assert m["episodes"][2] == 5
    assert m["children"][2] == 2  # C, D
    assert m["children_repeat"][2] == 1  # C has 4
    assert m["rhi_due"][2] == 5
    assert m["rhi_offered"][2] == 4  # 6, 7, 10, 11
    assert m["rhi_not_offered"][2] == 1  # 8: no RHI row
    assert m["rhi_decline_rate"] == (0, 4, 0)
    assert m["rhi_completed_rate"][:2] == (3, 5)  # 6, 10, 11
    assert m["rhi_timely_rate"] == (1, 1, 1)  # T = {11}: 6 before return, 10 excluded
    assert m["rhi_target_met_rate"] == (0, 1, 0)  # 11 was by video
    assert m["rhi_face_to_face_rate"][:2] == (1, 3)  # 10
    assert m["rhi_independent_rate"][:2] == (2, 3)  # 10, 11
    # return -> completion: 10: 24h, 11: 24h (6 left out) -> n = 2, median 24.
    assert m["median_hours_return_to_completion"][1:] == (2, 24)


def test_not_looked_after(metrics: pd.DataFrame) -> None:
    # Episodes 1, 2, 3, 14 (child A) and 9 (child D).
    m = {k: fig(metrics, "not_looked_after", k) for k in REGISTRY}
    assert (m["episodes"][2], m["children"][2], m["children_repeat"][2]) == (5, 2, 1)
    assert m["rhi_decline_rate"] == (2, 4, 0.5)  # declined 3, 9 of offered 1, 2, 3, 9
    assert m["rhi_timely_rate"] == (1, 2, 0.5)  # T = {1, 2}; 1 is exactly 72:00
    # return -> completion 72h and 72h 1m: even, mean of the two = 72 + 1/120.
    assert m["median_hours_return_to_completion"][1] == 2
    assert m["median_hours_return_to_completion"][2] == pytest.approx(72 + 1 / 120, rel=1e-12)


def test_a_child_in_two_cohorts(metrics: pd.DataFrame) -> None:
    # D is counted once in all, once in not looked after and once in looked after out of
    # county, so the cohort child counts (3 looked after + 2 not) exceed all (4).
    assert value(metrics, "all", "children") == 4
    assert value(metrics, "looked_after", "children") == 3  # B, C, D
    assert value(metrics, "not_looked_after", "children") == 2  # A, D


def test_episode_crossing_quarters_counts_where_it_started(metrics: pd.DataFrame) -> None:
    # 11 started 28 June (Q1) and ended 2 July (Q2): counted in Q1 only. Q2 has 13 alone.
    assert value(metrics, "looked_after_out_of_area", "rhi_completed", Q1) == 3
    assert value(metrics, "all", "episodes", Q2) == 1
    assert value(metrics, "all", "rhi_completed", Q2) == 0
    # 13 was due and not offered: 0 of 1 offered; nothing offered, so decline rate is blank.
    assert fig(metrics, "all", "rhi_offered_rate", Q2) == (0, 1, 0)
    assert blank(value(metrics, "all", "rhi_decline_rate", Q2))


def test_earlier_quarter(metrics: pd.DataFrame) -> None:
    # Q4 2025-26: episode 12 only, ended 1 April (Q1) and held 24h later, within 72h.
    assert value(metrics, "all", "episodes", Q4) == 1
    assert fig(metrics, "all", "rhi_timely_rate", Q4) == (1, 1, 1)
    assert value(metrics, "looked_after", "episodes", Q4) == 0
    assert blank(value(metrics, "looked_after", "rhi_offered_rate", Q4))


# ---- configuration, not literals --------------------------------------------------------


def test_timeliness_window_is_configuration() -> None:
    # 72.5 hours: 2 (72:01) comes inside -> T {1, 2, 11} all within: 3/3.
    assert fig(compute(scenario(), timeliness_hours=72.5), "all", "rhi_timely_rate")[:2] == (3, 3)
    # 48 hours: only 11 (24h) -> 1/3.
    assert fig(compute(scenario(), timeliness_hours=48), "all", "rhi_timely_rate")[:2] == (1, 3)


def test_repeat_threshold_is_configuration() -> None:
    # Threshold 2: A (4), B (2), C (4), D (2) all qualify -> 4 of 4.
    assert fig(compute(scenario(), repeat_threshold=2), "all", "children_repeat_rate")[:2] == (4, 4)
    # Threshold 5: nobody has 5 -> 0 of 4.
    assert fig(compute(scenario(), repeat_threshold=5), "all", "children_repeat_rate")[:2] == (0, 4)


def test_independent_roles_is_configuration() -> None:
    # Only social workers: 2 and 6 -> 2 of 6 completed.
    m = compute(scenario(), independent_roles=["social_worker"])
    assert fig(m, "all", "rhi_independent_rate")[:2] == (2, 6)


# ---- edges in isolation -----------------------------------------------------------------


def one(**fields: object) -> pd.DataFrame:
    base = {"start": "2026-04-01 08:00", "end": "2026-04-01 10:00"}
    base.update(fields)  # type: ignore[arg-type]
    return table([episode(**base)])


@pytest.mark.parametrize(
    ("completed_at", "within"),
    [
        ("2026-04-04 09:59", 1),  # 71:59
        ("2026-04-04 10:00", 1),  # exactly 72:00 is within
        ("2026-04-04 10:01", 0),  # 72:01 is not
        ("2026-04-01 10:00", 1),  # 0:00, held at the moment of return: in T and within
    ],
)
def test_exact_72_hour_boundary(completed_at: str, within: int) -> None:
    m = compute(one(outcome="completed", completed_at=completed_at), [Q1])
    assert fig(m, "all", "rhi_timely_rate")[:2] == (within, 1)


def test_exception_leaves_timeliness_but_not_completion() -> None:
    m = compute(one(outcome="completed", completed_at="2026-04-10 10:00", exception="agreed"), [Q1])
    assert fig(m, "all", "rhi_timely_rate")[:2] == (0, 0)
    assert blank(value(m, "all", "rhi_timely_rate"))
    assert value(m, "all", "rhi_completed") == 1
    assert fig(m, "all", "rhi_face_to_face_rate") == (1, 1, 1)


def test_whitespace_exception_counts_as_blank() -> None:
    m = compute(one(outcome="completed", completed_at="2026-04-02 10:00", exception="  "), [Q1])
    assert fig(m, "all", "rhi_timely_rate") == (1, 1, 1)


def test_ongoing_episode_owes_nothing() -> None:
    m = compute(one(end=None), [Q1])
    assert value(m, "all", "episodes_ongoing") == 1
    assert value(m, "all", "rhi_due") == 0
    assert value(m, "all", "rhi_not_offered") == 0
    assert fig(m, "all", "rhi_offered_rate")[1] == 0
    assert blank(value(m, "all", "rhi_offered_rate"))


def test_no_episodes_at_all_gives_zero_counts_and_blank_rates() -> None:
    m = compute(table([]), [Q1])
    assert len(m) == len(REGISTRY) * 5
    counts = m[m["metric"].isin([k for k, s in REGISTRY.items() if s.kind == "count"])]
    assert (counts["value"] == 0).all()
    others = m[~m.index.isin(counts.index)]
    assert others["value"].isna().all()


# ---- real elapsed time in Europe/London (docs/reliability.md) ------------------------------
# The extracts hold UK wall-clock times. On 29 March 2026 the clocks went forward at 01:00
# GMT (to 02:00 BST); on 25 October 2026 they go back at 02:00 BST (to 01:00 GMT).

Q4_2025 = Quarter.parse("2025-26-Q4")  # January to March 2026
Q3 = Quarter.parse("2026-27-Q3")  # October to December 2026


def test_an_rhi_across_the_spring_change_counts_the_hour_that_never_was() -> None:
    # Return Fri 27/03 10:00 GMT, RHI Mon 30/03 10:30 BST: the clocks read 72:30 apart, but
    # only 71:30 passed (one hour was skipped), so it is within 72 hours.
    frame = table(
        [
            episode(
                start="2026-03-27 08:00",
                end="2026-03-27 10:00",
                outcome="completed",
                completed_at="2026-03-30 10:30",
            )
        ]
    )
    m = compute(frame, [Q4_2025])
    assert fig(m, "all", "rhi_timely_rate", Q4_2025)[:2] == (1, 1)
    assert value(m, "all", "median_hours_return_to_completion", Q4_2025) == 71.5


def test_an_rhi_across_the_autumn_change_counts_the_hour_that_came_twice() -> None:
    # Return Fri 23/10 10:00 BST, RHI Mon 26/10 09:30 GMT: the clocks read 71:30 apart, but
    # 72:30 passed (01:00-02:00 came twice), so it is not within 72 hours.
    frame = table(
        [
            episode(
                start="2026-10-23 08:00",
                end="2026-10-23 10:00",
                outcome="completed",
                completed_at="2026-10-26 09:30",
            )
        ]
    )
    m = compute(frame, [Q3])
    assert fig(m, "all", "rhi_timely_rate", Q3)[:2] == (0, 1)
    assert value(m, "all", "median_hours_return_to_completion", Q3) == 72.5
