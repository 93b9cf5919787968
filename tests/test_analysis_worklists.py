"""Worklists for the director's report, worked by hand from a small episode table.

The reported quarter is 2026-27 Q1 (1 April to 30 June 2026); the as-at date is 14 July 2026,
so "now" is midnight at the end of it: 2026-07-15 00:00.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from metrics_fixtures import episode, table

from pipeline.analysis.worklists import WEEKDAYS, weekend_sentence, worklists
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


def test_still_missing_says_which_quarter_each_started_in() -> None:
    lists, _ = _lists()
    # C1 went missing on 10 July, after Q1 ended (30 June): so none of the summary's
    # episodes still open (Q1 starts only) is on the list, and the note says so.
    note = lists.get("still_missing").note
    assert "It started after the quarter ended." in note
    assert lists.get("still_missing").frame["RHI worker"].tolist() == ["Not allocated"]


def test_returns_with_no_interview_record_newest_first_with_hours() -> None:
    lists, _ = _lists()
    frame = lists.get("no_record").frame
    # Ended, no interview record at all, more than 72 hours ago: only C4 (C1 has not
    # returned; every other return has a record). 11 May 08:00 to 15 July 00:00 is 64 days
    # 16 hours (20 days of May, 30 of June, 14 of July, then 16 hours) = 1,552 hours.
    assert frame["Child"].tolist() == ["C4"]
    assert frame["Hours since return"].tolist() == [1552.0]
    assert frame["RHI worker"].tolist() == ["Not allocated"]
    # No return in the fixture has a record saying "not offered".
    assert lists.get("not_offered").frame.empty


def test_pending_beyond_72_hours_leaves_out_recent_returns() -> None:
    lists, _ = _lists()
    frame = lists.get("pending_overdue").frame
    # C3: 1 July 00:00 to 15 July 00:00 = 14 days = 336 hours > 72; C6: 36 hours, not listed.
    assert frame["Child"].tolist() == ["C3"]
    assert frame["Hours since return"].tolist() == [336.0]
    assert frame["RHI worker"].tolist() == ["W-2"]
    # C3 started on 30 June: in Q1, among the quarter's pending interviews.
    assert "It started in the quarter (among the quarter's pending interviews)." in (
        lists.get("pending_overdue").note
    )


def test_due_in_the_next_72_hours_with_the_deadline() -> None:
    lists, _ = _lists()
    frame = lists.get("due_soon").frame
    # C6 returned 13 July 12:00, still pending: 36 hours to 15 July 00:00, so its deadline
    # (13 July 12:00 + 72 hours) is 16 July 12:00, 72 - 36 = 36 hours away.
    assert frame["Child"].tolist() == ["C6"]
    assert frame["Deadline (72 hours)"].tolist() == [pd.Timestamp("2026-07-16 12:00")]
    assert frame["Hours left"].tolist() == [36.0]
    assert frame["Status"].tolist() == ["Offered, not yet held"]


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
    # W-1 is named on C2's first and C5's interview records (both Q1): 2 held, 1 within the
    # timescale of 1 in the measure; 13 weeks in Q1 (91 days / 7), so 2 / 13 returns a week. W-2 has
    # C3's pending interview: 1 return naming the worker, none held.
    assert workers.index.tolist() == ["W-1", "W-2"]
    assert workers.loc["W-2", ["Returns naming the worker", "Interviews held"]].tolist() == [1, 0]
    assert workers.loc["W-1", "Within timescale"] == 1
    assert workers.loc["W-1", "Returns naming the worker"] == 2
    assert workers.loc["W-1", "Interviews held"] == 2
    assert workers.loc["W-1", "Per week"] == 2 / 13


def test_data_quality_worklist_names_the_episode_of_the_row() -> None:
    lists, _ = _lists()
    frame = lists.get("data_quality").frame
    # Spreadsheet row 3 is the second episode table row (rows start at 2): C2's first, E2.
    assert frame["Episode"].tolist() == ["E2"]
    assert frame["RHI worker"].tolist() == ["W-1"]


def test_child_ids_are_collected_from_every_child_level_list() -> None:
    lists, _ = _lists()
    assert lists.child_ids() == {"C1", "C2", "C3", "C4", "C5", "C6"}


def _open_cases() -> object:
    """Returns around Q1 for the lists of open cases, with the as-at date 14 July 2026 (now
    is 15 July 00:00)."""
    rows = [
        # Started in 2025-26 Q4 with no record: history, on no list.
        episode(start="2026-03-20 10:00", end="2026-03-21 10:00"),
        # Q1, recorded as not offered, with a reason.
        episode(
            start="2026-04-05 10:00",
            end="2026-04-05 20:00",
            outcome="not_offered",
            not_offered_reason="unable_to_contact",
        ),
        episode(
            start="2026-06-01 10:00",
            end="2026-06-02 10:00",
            outcome="not_offered",
            not_offered_reason="missing_again",
        ),
        # After Q1, no record, returned 3 July 00:00: 12 days = 288 hours ago.
        episode(start="2026-07-02 10:00", end="2026-07-03 00:00"),
        # Q1, no record, returned 21 June 00:00: 24 days = 576 hours ago.
        episode(start="2026-06-20 10:00", end="2026-06-21 00:00"),
        # Returned 14 July 00:00 with no record: 24 hours ago, its 72 hours not yet run out.
        episode(start="2026-07-13 10:00", end="2026-07-14 00:00"),
    ]
    config = Config(
        labels={"unable_to_contact": "Unable to make contact", "missing_again": "Missing again"}
    )
    return worklists(table(rows), [], Q1, AS_AT, config)


def test_no_record_covers_the_quarter_and_since_and_says_which() -> None:
    lists = _open_cases()
    frame = lists.get("no_record").frame
    # E4 (3 July) and E5 (21 June), newest first; E1 started before Q1, E6 is inside 72 hours.
    assert frame["Episode"].tolist() == ["E4", "E5"]
    assert frame["Hours since return"].tolist() == [288.0, 576.0]
    assert (
        "Of these 2, 1 started in the quarter (counted as 'Nothing recorded about an "
        "interview') and 1 started after it ended." in lists.get("no_record").note
    )


def test_not_offered_with_the_reason_newest_first() -> None:
    lists = _open_cases()
    frame = lists.get("not_offered").frame
    # E3 returned 2 June 10:00: 43 days to 15 July 10:00, less 10 hours = 1,022 hours.
    # E2 returned 5 April 20:00: 101 days to 15 July 20:00, less 20 hours = 2,404 hours.
    assert frame["Episode"].tolist() == ["E3", "E2"]
    assert frame["Hours since return"].tolist() == [1022.0, 2404.0]
    assert frame["Reason"].tolist() == ["Missing again", "Unable to make contact"]


def test_due_soon_includes_returns_with_no_record_yet() -> None:
    lists = _open_cases()
    frame = lists.get("due_soon").frame
    # E6 returned 14 July 00:00: deadline 17 July 00:00, 72 - 24 = 48 hours left.
    assert frame["Episode"].tolist() == ["E6"]
    assert frame["Hours left"].tolist() == [48.0]
    assert frame["Status"].tolist() == ["No interview record"]


def test_this_week_says_what_each_list_needs_from_its_count() -> None:
    lists = _open_cases()
    # Nobody still missing, no pending interview, no repeat child, no finding: no line for
    # those. One due (deadline 17 July 00:00), 2 with no record, 2 not offered.
    assert lists.actions == [
        "Hold the 1 interview due in the next 72 hours, the first by 17/07/2026 00:00.",
        "Offer an interview, or record why none was offered, for the 2 returns with no "
        "interview record.",
        "Check the reason still holds for the 2 returns in the quarter not offered an interview.",
    ]


def test_repeat_children_never_interviewed_show_no_interview_held() -> None:
    rows = [
        # C1: three Q1 episodes, none interviewed.
        episode(child_id="C1", start="2026-04-01 10:00", end="2026-04-01 20:00"),
        episode(child_id="C1", start="2026-05-01 10:00", end="2026-05-01 20:00"),
        episode(
            child_id="C1",
            start="2026-06-01 10:00",
            end="2026-06-01 20:00",
            outcome="declined",
        ),
        # C2: three Q1 episodes, one interviewed by W-9 with no risk recorded.
        episode(child_id="C2", start="2026-04-02 10:00", end="2026-04-02 20:00"),
        episode(child_id="C2", start="2026-05-02 10:00", end="2026-05-02 20:00"),
        episode(
            child_id="C2",
            start="2026-06-02 10:00",
            end="2026-06-02 20:00",
            outcome="completed",
            completed_at="2026-06-03 10:00",
            interviewer_id="W-9",
        ),
    ]
    frame = worklists(table(rows), [], Q1, AS_AT, Config()).get("repeat_missing").frame
    frame = frame.set_index("Child")
    assert frame.loc["C1", "Risks identified"] == "No interview held"
    assert frame.loc["C1", "RHI worker"] == "Not allocated"
    assert frame.loc["C2", "Risks identified"] == "None recorded"
    assert frame.loc["C2", "RHI worker"] == "W-9"


def test_exceptions_show_the_configured_words() -> None:
    rows = [
        episode(
            start="2026-04-01 10:00",
            end="2026-04-01 20:00",
            outcome="completed",
            completed_at="2026-04-08 20:00",
            exception="bereavement",
        )
    ]
    config = Config(labels={"bereavement": "Family bereavement"})
    frame = worklists(table(rows), [], Q1, AS_AT, config).get("exceptions").frame
    assert frame["Exception"].tolist() == ["Family bereavement"]


def _days(counts: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """A weekday table's rows: (within the timescale, in the measure) by day."""
    return pd.DataFrame(
        {
            "timely": [counts.get(d, (0, 0))[0] for d in WEEKDAYS],
            "measured": [counts.get(d, (0, 0))[1] for d in WEEKDAYS],
        },
        index=list(WEEKDAYS),
    )


def test_weekend_sentence_comes_from_the_table() -> None:
    # Weekend 3 of 4 + 3 of 5 = 6 of 9; weekdays 3 of 7, 2 of 5, 0 of 1, 2 of 3, 5 of 10 =
    # 12 of 26. 6/9 (0.67) > 12/26 (0.46): more often, and 9 < 10 interviews.
    rows = _days(
        {
            "Monday": (3, 7),
            "Tuesday": (2, 5),
            "Wednesday": (0, 1),
            "Thursday": (2, 3),
            "Friday": (5, 10),
            "Saturday": (3, 4),
            "Sunday": (3, 5),
        }
    )
    assert weekend_sentence(rows, 72) == (
        "This quarter, interviews after a return at the weekend were held within 72 hours "
        "more often than after a return on a weekday: 6 of 9 against 12 of 26. With fewer "
        "than 10 interviews on one side, the difference may be chance."
    )
    # 1 of 2 and 5 of 10 are the same share.
    same = _days({"Saturday": (1, 2), "Monday": (5, 10)})
    assert weekend_sentence(same, 72) == (
        "This quarter, interviews after a return at the weekend were held within 72 hours "
        "as often as after a return on a weekday: 1 of 2 against 5 of 10."
    )
    assert weekend_sentence(_days({"Monday": (1, 1)}), 72) == (
        "No interview after a return on a weekend was in the timeliness measure this "
        "quarter, so the two cannot be compared."
    )
