"""The capacity replay: hand-worked schedules, its properties, and the quarter's returns."""

from __future__ import annotations

import math
import pickle

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from metrics_fixtures import episode, table

from pipeline.analysis.capacity import (
    Calendar,
    Visit,
    backlog_peak,
    quarter_returns,
    replay_option,
    replay_quarter,
    simulate,
)
from pipeline.config import CapacityConfig, CapacityOption, Config
from pipeline.periods import Quarter

# Monday to Friday, 09:00-17:00; a 1-hour interview; 30 minutes' travel each way in county;
# no offer call or write-up time unless a test says so.
SETTINGS = CapacityConfig(
    interview_hours=1.0,
    offer_hours=0,
    recording_hours=0,
    travel_hours={"in_area": 0.5, "out_of_area": 1.0},
    default_travel_hours=0.5,
    host_authority_hours=48,
)
ONE = CapacityOption(id="one", label="1 worker", workers=1)


def frame(rows: list[tuple[str, str, bool, float]], engages: list[bool] | None = None):
    """A `Returns.frame`: (returned, notified, out of county, one-way travel), engaging
    unless told, host rank in row order."""
    return pd.DataFrame(
        {
            "returned": pd.to_datetime([r[0] for r in rows], format="%Y-%m-%d %H:%M"),
            "notified": pd.to_datetime([r[1] for r in rows], format="%Y-%m-%d %H:%M"),
            "out_of_county": [r[2] for r in rows],
            "travel_hours": [r[3] for r in rows],
            "engages": engages if engages is not None else [True] * len(rows),
            "host_rank": list(range(len(rows))),
        }
    )


# 6 April 2026 is a Monday; 10 April a Friday; 13 April the next Monday.
WEEK = frame(
    [
        ("2026-04-06 08:00", "2026-04-06 08:30", False, 0.5),  # A
        ("2026-04-06 09:00", "2026-04-06 10:00", False, 0.5),  # B
        ("2026-04-06 10:00", "2026-04-06 10:30", False, 0.5),  # C
        ("2026-04-06 16:00", "2026-04-06 16:00", False, 0.5),  # D
        ("2026-04-10 16:30", "2026-04-10 16:45", False, 0.5),  # E
        ("2026-04-10 12:00", "2026-04-11 10:00", False, 0.5),  # F: notified on Saturday
        ("2026-04-10 09:00", "2026-04-10 16:50", False, 0.5),  # G
    ]
)


def test_hand_worked_week_with_one_worker() -> None:
    # Each visit is 30 min travel + 1 h interview + 30 min back = 2 h; interview at start + 30 min.
    # Returns go to the worker in the order they were notified: A, B, C, D, E, G, F.
    # Mon: A ready 08:30, office opens 09:00: start 09:00, interview 09:30 (1.5 h after its
    #      08:00 return); free 11:00.
    #      B (ready 10:00) starts 11:00, interview 11:30 (2.5 h); free 13:00.
    #      C (ready 10:30) starts 13:00, interview 13:30 (3.5 h); free 15:00.
    #      D ready 16:00: 16:00 + 2 h ends after 17:00, so Tue 09:00, interview 09:30 (17.5 h).
    # Fri: E ready 16:45 does not fit before 17:00: next Mon 09:00, interview 09:30
    #      (Fri 16:30 to Mon 09:30: 65 h); free 11:00.
    #      G ready 16:50: Mon 11:00, interview 11:30 (from Fri 09:00: 74.5 h): LATE.
    # Sat: F notified: Mon 13:00, interview 13:30 (from Fri 12:00: 73.5 h): LATE.
    # 5 of 7 timely. Busy 7 x 2 h = 14 h over the working days Mon 6 to Mon 13 April
    # (6 days x 8 h = 48 h): utilisation 14 / 48.
    # Waiting (notified, not started): peaks at 3 over the weekend (E, G, F).
    result = replay_option(WEEK, ONE, SETTINGS, timeliness_hours=72)
    assert result.wanted == {"in_county": 7, "out_of_county": 0, "all": 7}
    assert result.timely == {"in_county": 5, "out_of_county": 0, "all": 5}
    assert result.waits == (1.5, 2.5, 3.5, 17.5, 65.0, 73.5, 74.5)
    assert math.isclose(result.utilisation, 14 / 48)
    assert result.backlog_peak == 3
    assert math.isclose(result.share("all"), 5 / 7)
    assert math.isnan(result.share("out_of_county"))


def test_a_second_worker_saves_one_late_interview() -> None:
    # Two workers, each return to the one free soonest (ties: worker 0):
    # A: worker 0 at 09:00 (free 11:00). B: worker 1 (free since the start) at 10:00,
    # interview 10:30 (1.5 h; free 12:00). C: worker 0 at 11:00, interview 11:30 (1.5 h).
    # D: worker 1, Tue 09:00 (17.5 h; free Tue 11:00). E: worker 0 (free Mon 13:00), next Mon
    # 09:00 (65 h; free 11:00). G: worker 1, next Mon 09:00, interview 09:30 (72.5 h): late.
    # F: worker 0 at 11:00, interview 11:30 (71.5 h): timely. 6 of 7.
    result = replay_option(
        WEEK, CapacityOption(id="two", label="2", workers=2), SETTINGS, timeliness_hours=72
    )
    assert result.waits == (1.5, 1.5, 1.5, 17.5, 65.0, 71.5, 72.5)
    assert result.timely["all"] == 6


OUT_FIRST = [
    ("2026-04-06 08:00", "2026-04-06 08:00", True, 1.0),  # X, out of county
    ("2026-04-06 08:10", "2026-04-06 08:10", False, 0.5),  # Y, in county
]


def test_out_of_county_travel_lengthens_waits_as_configured() -> None:
    travel = CapacityOption(id="t", label="t", workers=1, out_of_county_visits=True)
    # 1 h each way: X starts 09:00, interview 10:00 (2 h); visit 3 h, so Y starts 12:00,
    # interview 12:30 (4 h 20 min).
    near = replay_option(frame(OUT_FIRST), travel, SETTINGS, timeliness_hours=72)
    assert near.waits == pytest.approx((2.0, 4 + 20 / 60))
    # 3 h each way: X's interview 12:00 (4 h, 2 h later: the extra travel there); the visit
    # ends 16:00 and Y's 2 h visit does not fit before 17:00: Tue 09:00, interview 09:30,
    # 25 h 20 min after Y's return.
    far_rows = [(*OUT_FIRST[0][:3], 3.0), OUT_FIRST[1]]
    far = replay_option(frame(far_rows), travel, SETTINGS, timeliness_hours=72)
    assert far.waits == pytest.approx((4.0, 25 + 20 / 60))


def test_without_out_of_county_visits_those_children_are_not_seen_in_time() -> None:
    # Visits off: X gets no visit (today's telephone or social-worker interview), Y goes first.
    result = replay_option(frame(OUT_FIRST), ONE, SETTINGS, timeliness_hours=72)
    assert result.timely == {"in_county": 1, "out_of_county": 0, "all": 1}
    assert result.visits == 1
    assert result.waits == pytest.approx((1 + 20 / 60,))  # Y: 08:10 to 09:30


def test_host_commissioning_holds_the_interview_after_the_host_lead_time() -> None:
    # X commissioned: interview 48 h after its 08:00 notification, so 48 h after return: timely.
    hosted = CapacityOption(id="h", label="h", workers=1, host_share=1.0)
    result = replay_option(frame(OUT_FIRST), hosted, SETTINGS, timeliness_hours=72)
    assert (result.hosted, result.visits) == (1, 1)
    assert result.timely["out_of_county"] == 1
    slow = SETTINGS.model_copy(update={"host_authority_hours": 80})
    assert (
        replay_option(frame(OUT_FIRST), hosted, slow, timeliness_hours=72).timely["out_of_county"]
        == 0
    )


def test_a_child_who_declines_still_costs_the_offer() -> None:
    # Offer 30 min, write-up 15 min. The first return (08:00) declines: a 30-minute offer
    # from 09:00 to 09:30. Y (08:10) then takes 30 offer + 30 travel + 60 + 30 back + 15 =
    # 165 min from 09:30; its interview starts at 09:30 + 60 = 10:30, 2 h 20 min after return.
    timed = SETTINGS.model_copy(update={"offer_hours": 0.5, "recording_hours": 0.25})
    rows = [(*OUT_FIRST[0][:2], False, 0.5), OUT_FIRST[1]]
    result = replay_option(frame(rows, [False, True]), ONE, timed, timeliness_hours=72)
    assert result.wanted["all"] == 1 and result.visits == 1
    assert result.waits == pytest.approx((2 + 20 / 60,))
    # busy 30 + 165 = 195 min on one working day of 480
    assert math.isclose(result.utilisation, 195 / 480)


def test_backlog_peak_counts_returns_waiting_at_once() -> None:
    # ready 0, 1, 2; started 5, 6, 7: all three wait at minute 2
    assert backlog_peak([0, 1, 2], [5, 6, 7]) == 3
    # one starts at the minute the next is notified: never two waiting
    assert backlog_peak([0, 5], [5, 6]) == 1


CALENDAR = Calendar(days=frozenset(range(5)), opens=9 * 60, closes=17 * 60)

visit_lists = st.lists(
    st.tuples(
        st.integers(0, 14 * 24 * 60),  # returned: minute within two weeks
        st.integers(0, 48 * 60),  # notification delay
        st.sampled_from([30, 60, 150, 240]),  # one-way travel
    ),
    min_size=1,
    max_size=25,
)


def _timely(visits: list[Visit], workers: int) -> int:
    schedule = simulate(visits, workers, CALENDAR, 72 * 60)
    return sum(
        at - v.returned <= 72 * 60 for at, v in zip(schedule.interview_at, visits, strict=True)
    )


@settings(max_examples=300, deadline=None)
@given(visit_lists, st.integers(1, 4))
def test_more_workers_never_lower_the_timely_count(rows, workers) -> None:
    visits = [Visit(r, r + d, t, 60) for r, d, t in rows]
    assert _timely(visits, workers + 1) >= _timely(visits, workers)
    # stronger, and why: no interview is ever held later with an extra worker
    fewer = simulate(visits, workers, CALENDAR, 72 * 60).interview_at
    more = simulate(visits, workers + 1, CALENDAR, 72 * 60).interview_at
    assert all(m <= f for m, f in zip(more, fewer, strict=True))


@settings(max_examples=100, deadline=None)
@given(visit_lists)
def test_every_visit_starts_in_working_time_after_it_is_ready(rows) -> None:
    visits = [Visit(r, r + d, t, 60) for r, d, t in rows]
    schedule = simulate(visits, 2, CALENDAR, 72 * 60)
    for start, v in zip(schedule.started, visits, strict=True):
        assert start >= v.ready
        closes = CALENDAR.closing(start)
        assert closes is not None
        # it ends by closing time, or is longer than a working day and starts at opening
        opening = closes - CALENDAR.day_length
        assert start + v.length <= closes or (v.length > CALENDAR.day_length and start == opening)


def quarter_table() -> pd.DataFrame:
    """Ten returns in Q1 2026-27: 4 completed, 2 declined, 1 pending, 2 not offered
    (unable to contact: non-engagement), 1 not offered (other), 1 with an exception."""
    rows = [
        episode(
            start="2026-04-06 07:00",
            end=f"2026-04-{6 + i:02d} 08:00",
            outcome=outcome,
            notified_at=f"2026-04-{6 + i:02d} 09:00",
            **extra,
        )
        for i, (outcome, extra) in enumerate(
            [
                ("completed", {"completed_at": "2026-04-06 10:00"}),
                ("completed", {"completed_at": "2026-04-07 10:00"}),
                ("completed", {"completed_at": "2026-04-08 10:00", "mode": "telephone"}),
                ("completed", {"exception": "chose carer", "completed_at": "2026-04-10 10:00"}),
                ("declined", {}),
                ("declined", {}),
                ("not_offered", {"not_offered_reason": "unable_to_contact"}),
                ("not_offered", {"not_offered_reason": "unable_to_contact"}),
                ("not_offered", {"not_offered_reason": "other"}),
                ("pending", {"looked_after": True, "placement_area": "out_of_area"}),
            ]
        )
    ]
    rows.append(episode(start="2026-04-10 07:00"))  # still missing: owes nothing yet
    return table(rows)


def test_quarter_returns_take_the_quarter_rates() -> None:
    # due 10; non-engagement 2 of 10 = 0.2; declines 2 of 7 offered (4 + 2 + 1 pending).
    # The exception leaves: 9 kept. round(0.2 x 9) = 2 not engaging; of the other 7,
    # round(7 x 2 / 7) = 2 decline; 5 engage.
    returns = quarter_returns(quarter_table(), Quarter(2026, 1), SETTINGS)
    assert (returns.due, returns.exceptions) == (10, 1)
    assert math.isclose(returns.non_engagement_rate, 0.2)
    assert math.isclose(returns.decline_rate, 2 / 7)
    assert len(returns.frame) == 9
    assert int(returns.frame["engages"].sum()) == 5
    assert int(returns.frame["out_of_county"].sum()) == 1
    assert returns.median_notification_hours == 1.0


def test_actual_outcome_is_face_to_face_independent_and_in_time() -> None:
    # In the timeliness measure: the 3 completed without an exception (all in county).
    # Face to face and independent within 72 h: the first two (the third was by telephone).
    capacity = replay_quarter(quarter_table(), Quarter(2026, 1), Config())
    assert capacity is not None
    assert capacity.actual.wanted == {"in_county": 3, "out_of_county": 0, "all": 3}
    assert capacity.actual.timely == {"in_county": 2, "out_of_county": 0, "all": 2}
    assert next(r.option.id for r in capacity.options) == capacity.current.option.id


def test_same_inputs_same_result() -> None:
    first = replay_quarter(quarter_table(), Quarter(2026, 1), Config())
    second = replay_quarter(quarter_table(), Quarter(2026, 1), Config())
    assert pickle.dumps(first) == pickle.dumps(second)


def test_switched_off() -> None:
    config = Config(capacity=CapacityConfig(enabled=False))
    assert replay_quarter(quarter_table(), Quarter(2026, 1), config) is None
