"""Worklists for the director's report, worked by hand from a small episode table.

The reported quarter is 2026-27 Q1 (1 April to 30 June 2026); the as-at date is 14 July 2026,
so "now" is midnight at the end of it: 2026-07-15 00:00.
"""

from __future__ import annotations

from datetime import date

from metrics_fixtures import episode, table

from pipeline.analysis.worklists import worklists
from pipeline.config import Config
from pipeline.findings import Finding
from pipeline.periods import Quarter

Q1 = Quarter.parse("2026-27-Q1")
AS_AT = date(2026, 7, 14)


def _lists() -> object:
    rows = [
        # C1: still missing since 10 July 2026 12:00 (Q2, but still missing now).
        episode(child_id="C1", start="2026-07-10 12:00", end=None),
        # C2: three episodes in Q1 (a repeat child at threshold 3).
        episode(
            child_id="C2",
            start="2026-04-02 10:00",
            end="2026-04-03 10:00",
            outcome="completed",
            completed_at="2026-04-04 10:00",
            interviewer_id="W-1",
            risks="cse;cce",
        ),
        episode(
            child_id="C2",
            start="2026-05-06 10:00",
            end="2026-05-06 20:00",
            outcome="declined",
            declined_by="child",
            decline_reason="no_need_seen",
            date_of_birth="2012-01-01 00:00",
        ),
        episode(
            child_id="C2",
            start="2026-06-01 10:00",
            end="2026-06-02 09:00",
            outcome="declined",
            declined_by="child",
            decline_reason="no_need_seen",
            date_of_birth="2012-01-01 00:00",
        ),
        # C3: started 30 June (Q1), returned 1 July 2026 00:00, offered, still pending.
        episode(
            child_id="C3",
            start="2026-06-30 18:00",
            end="2026-07-01 00:00",
            outcome="pending",
            offered_at="2026-07-01 09:00",
            interviewer_id="W-2",
        ),
        # C4: looked after out of county, returned with no interview record.
        episode(
            child_id="C4",
            start="2026-05-10 08:00",
            end="2026-05-11 08:00",
            looked_after=True,
            placement_area="out_of_area",
        ),
        # C5: completed with an agreed exception.
        episode(
            child_id="C5",
            start="2026-06-10 08:00",
            end="2026-06-11 08:00",
            outcome="completed",
            completed_at="2026-06-20 08:00",
            exception="child in hospital",
            interviewer_id="W-1",
        ),
        # C6: returned 13 July 2026 12:00, pending but within 72 hours (36 hours at now).
        episode(
            child_id="C6",
            start="2026-07-13 00:00",
            end="2026-07-13 12:00",
            outcome="pending",
        ),
    ]
    episodes = table(rows)
    findings = [Finding("warning", "episodes.csv", 3, "end", "bad_date", "row 3: check the end")]
    config = Config(labels={"no_need_seen": "Did not see the need"})
    return worklists(episodes, findings, Q1, AS_AT, config), episodes


def test_still_missing_counts_hours_to_the_end_of_the_as_at_day() -> None:
    lists, _ = _lists()
    frame = lists.get("still_missing").frame
    # Only C1 has no end. 10 July 12:00 to 15 July 00:00 = 4 days 12 hours = 108 hours.
    assert frame["Child"].tolist() == ["C1"]
    assert frame["Hours missing"].tolist() == [108.0]


def test_no_offer_lists_returns_without_an_offer_or_record() -> None:
    lists, _ = _lists()
    frame = lists.get("no_offer").frame
    # In Q1 and ended with outcome not_offered: only C4 (no interview record at all).
    assert frame["Child"].tolist() == ["C4"]
    assert frame["Interview record"].tolist() == ["No"]
    assert frame["Reason"].tolist() == ["No interview record"]


def test_pending_beyond_72_hours_leaves_out_recent_returns() -> None:
    lists, _ = _lists()
    frame = lists.get("pending_overdue").frame
    # C3: 1 July 00:00 to 15 July 00:00 = 14 days = 336 hours > 72; C6: 36 hours, not listed.
    assert frame["Child"].tolist() == ["C3"]
    assert frame["Hours since return"].tolist() == [336.0]
    assert frame["Worker"].tolist() == ["W-2"]


def test_repeat_children_with_their_outcomes_and_risks() -> None:
    lists, _ = _lists()
    frame = lists.get("repeat_missing").frame
    # C2 has 3 Q1 episodes (threshold 3): 1 completed, 2 declined; risks CSE and CCE.
    assert frame["Child"].tolist() == ["C2"]
    row = frame.iloc[0]
    assert (row["Episodes"], row["Completed"], row["Declined"], row["Pending"]) == (3, 1, 2, 0)
    assert row["Risks identified"] == "Child criminal exploitation; Child sexual exploitation"


def test_out_of_county_and_exceptions_and_declines() -> None:
    lists, _ = _lists()
    placed = lists.get("out_of_county").frame
    assert placed["Child"].tolist() == ["C4"]
    # C4 has no interview record: nobody held one, in no mode.
    assert placed[["Interviewer role", "Mode"]].values.tolist() == [["No interview"] * 2]
    assert lists.get("exceptions").frame["Exception"].tolist() == ["child in hospital"]
    # 11 June 08:00 to 20 June 08:00 = 9 days = 216 hours.
    assert lists.get("exceptions").frame["Hours to interview"].tolist() == [216.0]
    declines = lists.get("declines").frame
    assert declines["Child"].tolist() == ["C2", "C2"]
    assert declines["Reason"].tolist() == ["Did not see the need"] * 2
    # Born 1 January 2012: 14 at both starts (May and June 2026), so "13 to 15".
    assert declines["Age"].tolist() == ["13 to 15"] * 2
    assert lists.get("repeat_decliners").frame.values.tolist() == [["C2", 2]]
    assert lists.get("declines_by_group").frame.values.tolist() == [
        ["Not looked after", "13 to 15", 2]
    ]


def test_timeliness_by_day_and_worker() -> None:
    lists, _ = _lists()
    by_day = lists.get("timeliness_by_day").frame.set_index("Day of return")
    # Returns of Q1 episodes: C2 3 April (Fri), 6 May (Wed), 2 June (Tue); C4 11 May (Mon);
    # C5 11 June (Thu); C3 1 July (Wed). C2's first interview: 24 hours after return, within
    # 72 (in the measure). C5 has an exception, so it is held but not in the measure.
    assert by_day.loc["Friday"].tolist()[:4] == [1, 1, 1, 1]
    assert by_day.loc["Friday", "Median hours to interview"] == 24.0
    assert by_day.loc["Thursday"].tolist()[:4] == [1, 1, 0, 0]
    assert by_day.loc["Wednesday"].tolist()[:4] == [2, 0, 0, 0]
    assert by_day.loc["Sunday"].tolist()[:4] == [0, 0, 0, 0]
    workers = lists.get("workload_by_worker").frame.set_index("Worker")
    # W-1 was assigned C2's first and C5's returns (both Q1): 2 held, 1 within the timescale
    # of 1 in the measure; 13 weeks in Q1 (91 days / 7), so 2 / 13 returns a week. W-2 has
    # C3's pending interview: 1 assigned, none held.
    assert workers.index.tolist() == ["W-1", "W-2"]
    assert workers.loc["W-2", ["Returns assigned", "Interviews held"]].tolist() == [1, 0]
    assert workers.loc["W-1", "Within timescale"] == 1
    assert workers.loc["W-1", "Returns assigned"] == 2
    assert workers.loc["W-1", "Interviews held"] == 2
    assert workers.loc["W-1", "Returns per week"] == 2 / 13


def test_data_quality_worklist_names_the_episode_of_the_row() -> None:
    lists, _ = _lists()
    frame = lists.get("data_quality").frame
    # Spreadsheet row 3 is the second episode table row (rows start at 2): C2's first, E2.
    assert frame["Episode"].tolist() == ["E2"]
    assert frame["Worker"].tolist() == ["W-1"]


def test_child_ids_are_collected_from_every_child_level_list() -> None:
    lists, _ = _lists()
    assert lists.child_ids() == {"C1", "C2", "C3", "C4", "C5"}
