"""Breakdowns of metrics.md for the reported quarter, on a hand-built extract.

Quarter 2026-27-Q1 (April to June 2026). Rows (dates 2026 unless said; NLA = not looked after,
IN / OUT = looked after placed in / out of county):

 b1  P NLA away    04-01 00:00 -> 04-01 23:59 (<24h)  born 2016-04-02 (9)  completed f2f,
                   independent, W1, risks "cse;county_lines"
 b2  P NLA         04-02 00:00 -> 04-03 00:00 (24h)   born 2016-04-02 (10) completed telephone,
                   social worker, W1, risks "cse;cse"
 b3  Q IN          05-01 -> 05-08 (exactly 7 days)                         declined by child,
                   reason no_contact_wanted
 b4  Q IN          05-02 00:00 -> 05-09 00:01 (>7d)   born 2010-01-01 (16) declined, nobody
                   recorded, reason "just didn't"
 b5  R OUT         06-01 -> 06-02 (24h)               born 2013-06-01 (13) not offered, out_of_area
 b6  R OUT         06-03 00:00 -> 05:00                                    not offered,
                   "spoke to school"
 b7  R OUT         06-04 00:00 -> 06:00                                    no RHI row
 b8  R OUT         06-05, ongoing                                          no RHI row
 b9  S OUT         06-06 -> 06-07 (24h)                                    completed video, host
                   authority, W2, risks "cce;made_up", exception chose_social_worker
 b10 S OUT         06-07 -> 06-06 (end before start: duration_excluded)    pending
 b11-b15 T NLA     04-10 .. 04-14, 1 hour each                             completed f2f, W3
 b16-b18 U NLA     04-15 .. 04-17, 1 hour each                             completed f2f, W1
 b19 U NLA         04-18, 1 hour                                           completed f2f, no ID
 b20 V NLA         2026-03-31 (quarter 2025-26-Q4: outside)
 b21 W NLA         06-30 23:59, ongoing                                    no RHI row
"""

from __future__ import annotations

import pandas as pd
import pytest
from metrics_fixtures import episode, table

from pipeline.metrics.breakdowns import DEFAULT_LABELS, Breakdown, breakdowns
from pipeline.periods import Quarter
from pipeline.schema import (
    DECLINED_BY,
    EPISODE_TYPES,
    INTERVIEWER_ROLES,
    MODES,
    NOT_OFFERED_REASONS,
    OUTCOMES,
    PLACEMENT_AREAS,
    RISKS,
)

Q1 = Quarter.parse("2026-27-Q1")
LABELS = {
    "no_contact_wanted": "Did not want contact",
    "chose_social_worker": "Chose to talk to their social worker",
    "other": "Something else",
}
IN: dict = {"looked_after": True, "placement_area": "in_area"}
OUT: dict = {"looked_after": True, "placement_area": "out_of_area"}


def rows() -> pd.DataFrame:
    y = "2026-"
    done = {"outcome": "completed", "mode": "face_to_face"}
    made = [
        episode(
            child_id="P",
            episode_type="away",
            start=y + "04-01 00:00",
            end=y + "04-01 23:59",
            date_of_birth="2016-04-02 00:00",
            **done,
            completed_at=y + "04-02 00:00",
            interviewer_id="W1",
            risks="cse;county_lines",
        ),
        episode(
            child_id="P",
            start=y + "04-02 00:00",
            end=y + "04-03 00:00",
            date_of_birth="2016-04-02 00:00",
            outcome="completed",
            mode="telephone",
            interviewer_role="social_worker",
            completed_at=y + "04-03 01:00",
            interviewer_id="W1",
            risks="cse;cse",
        ),
        episode(
            child_id="Q",
            **IN,
            start=y + "05-01 00:00",
            end=y + "05-08 00:00",
            outcome="declined",
            declined_by="child",
            decline_reason="no_contact_wanted",
        ),
        episode(
            child_id="Q",
            **IN,
            start=y + "05-02 00:00",
            end=y + "05-09 00:01",
            date_of_birth="2010-01-01 00:00",
            outcome="declined",
            decline_reason="just didn't",
        ),
        episode(
            child_id="R",
            **OUT,
            start=y + "06-01 00:00",
            end=y + "06-02 00:00",
            date_of_birth="2013-06-01 00:00",
            outcome="not_offered",
            not_offered_reason="out_of_area",
        ),
        episode(
            child_id="R",
            **OUT,
            start=y + "06-03 00:00",
            end=y + "06-03 05:00",
            outcome="not_offered",
            not_offered_reason="spoke to school",
        ),
        episode(child_id="R", **OUT, start=y + "06-04 00:00", end=y + "06-04 06:00"),
        episode(child_id="R", **OUT, start=y + "06-05 00:00"),
        episode(
            child_id="S",
            **OUT,
            start=y + "06-06 00:00",
            end=y + "06-07 00:00",
            outcome="completed",
            mode="video",
            interviewer_role="host_authority_practitioner",
            completed_at=y + "06-07 09:00",
            interviewer_id="W2",
            risks="cce;made_up",
            exception="chose_social_worker",
        ),
        episode(
            child_id="S",
            **OUT,
            start=y + "06-07 00:00",
            end=y + "06-06 00:00",
            outcome="pending",
            duration_excluded=True,
        ),
    ]
    for day in range(10, 15):
        made.append(
            episode(
                child_id="T",
                start=f"{y}04-{day} 00:00",
                end=f"{y}04-{day} 01:00",
                **done,
                completed_at=f"{y}04-{day} 02:00",
                interviewer_id="W3",
            )
        )
    for day in range(15, 18):
        made.append(
            episode(
                child_id="U",
                start=f"{y}04-{day} 00:00",
                end=f"{y}04-{day} 01:00",
                **done,
                completed_at=f"{y}04-{day} 02:00",
                interviewer_id="W1",
            )
        )
    made.append(
        episode(
            child_id="U",
            start=y + "04-18 00:00",
            end=y + "04-18 01:00",
            **done,
            completed_at=y + "04-18 02:00",
        )
    )
    made.append(episode(child_id="V", start="2026-03-31 00:00", end="2026-03-31 01:00"))
    made.append(episode(child_id="W", start=y + "06-30 23:59"))
    return table(made)  # fmt: skip


@pytest.fixture(scope="module")
def result() -> dict[str, Breakdown]:
    out = breakdowns(rows(), Q1, labels=LABELS, repeat_threshold=3)
    return {b.id: b for b in out}


def counts(b: Breakdown, column: str = "all") -> dict[str, int]:
    return dict(zip(b.frame["category"], b.frame[column], strict=True))


def test_every_breakdown_present_and_tidy(result: dict[str, Breakdown]) -> None:
    assert list(result) == [
        "episodes_by_month",
        "episodes_by_type",
        "duration_bands",
        "age_bands",
        "episodes_by_cohort",
        "children_by_cohort",
        "repeat_children",
        "rhi_outcomes",
        "not_offered_reasons",
        "declined_by",
        "decline_reasons",
        "rhi_mode",
        "interviewer_role",
        "risks",
        "timeliness_exceptions",
        "interviews_per_practitioner",
    ]
    for b in result.values():
        assert list(b.frame.columns[:2]) == ["category", "label"], b.id
        assert b.title and b.dimension
        for column in b.frame.columns[2:]:
            assert column in (
                "all",
                "looked_after_in_area",
                "looked_after_out_of_area",
                "not_looked_after",
            )
            assert b.frame[column].dtype == "int64"


def test_by_month(result: dict[str, Breakdown]) -> None:
    # April b1, b2, b11-b19 = 11; May b3, b4 = 2; June b5-b10, b21 = 7. b20 is in March.
    b = result["episodes_by_month"]
    assert counts(b) == {"2026-04": 11, "2026-05": 2, "2026-06": 7}
    assert b.frame["label"].tolist() == ["April 2026", "May 2026", "June 2026"]
    assert b.additive


def test_by_type(result: dict[str, Breakdown]) -> None:
    assert counts(result["episodes_by_type"]) == {"missing": 19, "away": 1}


def test_duration_bands(result: dict[str, Breakdown]) -> None:
    # Ended: 18 (all but b8, b21); b10 ends before it starts: left out -> 17.
    # Under 24h: b1 (23:59), b6, b7, b11-b19 = 12. 1-7 days: b2 (exactly 24h), b3 (exactly
    # 7 days), b5, b9 = 4. Over 7 days: b4 (7 days 1 minute) = 1.
    b = result["duration_bands"]
    assert counts(b) == {"under_24_hours": 12, "1_to_7_days": 4, "over_7_days": 1}
    assert "1 episode(s)" in b.note


def test_age_bands(result: dict[str, Breakdown]) -> None:
    # b1: born 2 April 2016, starts 1 April 2026: 9 (birthday next day). b2: starts on the
    # 10th birthday: 10. b4: 16. b5: 13 on the day. The other 16 have no date of birth.
    assert counts(result["age_bands"]) == {
        "age_under_10": 1,
        "age_10_to_12": 1,
        "age_13_to_15": 1,
        "age_16_to_17": 1,
        "not_recorded": 16,
    }


def test_cohorts(result: dict[str, Breakdown]) -> None:
    assert counts(result["episodes_by_cohort"]) == {
        "looked_after_in_area": 2,  # b3, b4
        "looked_after_out_of_area": 6,  # b5-b10
        "not_looked_after": 12,  # b1, b2, b11-b19, b21
    }
    b = result["children_by_cohort"]
    assert not b.additive
    assert counts(b) == {
        "all": 7,  # P Q R S T U W
        "looked_after": 3,  # Q R S
        "looked_after_in_area": 1,
        "looked_after_out_of_area": 2,
        "not_looked_after": 4,  # P T U W
    }


def test_repeat_children(result: dict[str, Breakdown]) -> None:
    # P 2, Q 2, R 4, S 2, T 5, U 4, W 1 (V's episode is outside the quarter).
    b = result["repeat_children"]
    assert counts(b) == {
        "1_episode": 1,
        "2_episodes": 3,
        "3_to_4_episodes": 2,
        "5_or_more_episodes": 1,
    }
    assert b.note.startswith("3 children had 3 or more")


def test_outcomes_by_placement(result: dict[str, Breakdown]) -> None:
    # Due: 18. Completed b1, b2, b9, b11-b19 = 12; declined b3, b4; pending b10; not offered
    # b5, b6, b7.
    b = result["rhi_outcomes"]
    assert counts(b) == {"completed": 12, "declined": 2, "pending": 1, "not_offered": 3}
    assert counts(b, "looked_after_in_area") == {
        "completed": 0,
        "declined": 2,
        "pending": 0,
        "not_offered": 0,
    }
    assert counts(b, "looked_after_out_of_area") == {
        "completed": 1,
        "declined": 0,
        "pending": 1,
        "not_offered": 3,
    }
    # Everything else is not looked after: completed 12 - 0 - 1 = 11, the rest 0.
    assert counts(b, "not_looked_after") == {
        "completed": 11,
        "declined": 0,
        "pending": 0,
        "not_offered": 0,
    }


def test_not_offered_reasons(result: dict[str, Breakdown]) -> None:
    # b5 out_of_area; b6 free text -> other; b7 has no RHI row.
    b = result["not_offered_reasons"]
    assert counts(b) == {
        "missing_again": 0,
        "unable_to_contact": 0,
        "out_of_area": 1,
        "other": 1,
        "no_rhi_record": 1,
    }
    assert counts(b, "looked_after_out_of_area") == counts(b)
    assert "spoke to school" not in b.frame.to_string()
    assert counts(b, "looked_after_in_area") == dict.fromkeys(counts(b), 0)
    # All three not-offered episodes are R's (out of county): none for not looked after.
    assert counts(b, "not_looked_after") == dict.fromkeys(counts(b), 0)


def test_declines(result: dict[str, Breakdown]) -> None:
    assert counts(result["declined_by"]) == {"child": 1, "parent_carer": 0, "not_recorded": 1}
    b = result["decline_reasons"]
    # Configured code kept with its label; free text grouped as other, with the label override.
    assert counts(b) == {"no_contact_wanted": 1, "other": 1}
    assert b.frame["label"].tolist() == ["Did not want contact", "Something else"]
    assert "just didn" not in b.frame.to_string()
    # The reason is recorded apart from who declined, so the note says they need not match;
    # the free text made an 'Other' row (1), so the note also says what 'Other' holds.
    assert b.note == (
        "The reason is recorded apart from who declined, so a reason such as a parent or "
        "carer refusing need not match the declines by a parent or carer. "
        "Reasons not on the council's list of decline reasons are counted as 'Other'."
    )


def test_mode_and_role(result: dict[str, Breakdown]) -> None:
    mode = result["rhi_mode"]
    assert counts(mode) == {"face_to_face": 10, "telephone": 1, "video": 1}
    assert counts(mode, "looked_after_out_of_area") == {
        "face_to_face": 0,
        "telephone": 0,
        "video": 1,
    }
    role = result["interviewer_role"]
    assert counts(role) == {
        "independent_practitioner": 10,
        "host_authority_practitioner": 1,
        "social_worker": 1,
        "carer_or_staff": 0,
        "other": 0,
    }


def test_risks(result: dict[str, Breakdown]) -> None:
    # b1 cse + county_lines; b2 cse (listed twice, counted once); b9 cce + unknown -> other.
    b = result["risks"]
    assert not b.additive
    got = counts(b)
    assert {k: v for k, v in got.items() if v} == {
        "cse": 2,
        "county_lines": 1,
        "cce": 1,
        "other": 1,
    }
    assert list(got) == list(RISKS)
    assert counts(b, "looked_after_out_of_area")["cce"] == 1
    assert "made_up" not in b.frame.to_string()


def test_exceptions(result: dict[str, Breakdown]) -> None:
    assert counts(result["timeliness_exceptions"]) == {"chose_social_worker": 1}
    # Every exception is on the council's list: no 'Other' row, so no note about one.
    assert result["timeliness_exceptions"].note == ""


def test_practitioners_are_never_named(result: dict[str, Breakdown]) -> None:
    # W1: b1, b2, b16-b18 = 5; W3: b11-b15 = 5 (a tie, broken by ID: W1 first); W2: 1 (fewer
    # than 5: grouped); b19 has no ID.
    b = result["interviews_per_practitioner"]
    assert b.frame["label"].tolist() == [
        "Practitioner 1",
        "Practitioner 2",
        "Other interviewers",
        "Not recorded",
    ]
    assert b.frame["all"].tolist() == [5, 5, 1, 1]
    text = b.frame.to_string() + b.note
    assert not any(w in text for w in ("W1", "W2", "W3"))
    # one practitioner (W2) grouped: singular, no "(s)"
    assert b.note == (
        "Practitioners are numbered by the number of interviews they completed. 1 "
        "practitioner with fewer than 5 completed interviews is shown as 'Other interviewers'."
    )


def test_additive_breakdowns_add_up(result: dict[str, Breakdown]) -> None:
    totals = {
        "episodes_by_month": 20,
        "episodes_by_type": 20,
        "age_bands": 20,
        "episodes_by_cohort": 20,
        "duration_bands": 17,
        "rhi_outcomes": 18,
        "repeat_children": 7,
        "rhi_mode": 12,
        "interviewer_role": 12,
        "interviews_per_practitioner": 12,
        "not_offered_reasons": 3,
        "declined_by": 2,
        "decline_reasons": 2,
    }
    for id_, total in totals.items():
        assert result[id_].additive, id_
        assert result[id_].frame["all"].sum() == total, id_


def test_default_labels_cover_every_canonical_code() -> None:
    for codes in (
        EPISODE_TYPES,
        PLACEMENT_AREAS,
        OUTCOMES,
        MODES,
        DECLINED_BY,
        INTERVIEWER_ROLES,
        NOT_OFFERED_REASONS,
        RISKS,
    ):
        for code in codes:
            assert DEFAULT_LABELS[code], code


def test_empty_quarter_gives_zero_rows() -> None:
    out = breakdowns(rows(), Quarter.parse("2027-28-Q1"), labels={}, repeat_threshold=3)
    for b in out:
        assert (b.frame.iloc[:, 2:].to_numpy() == 0).all(), b.id
