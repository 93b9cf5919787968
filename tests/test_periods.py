"""Financial quarters, worked out by hand from the UK financial year (April to March)."""

from datetime import date

import pandas as pd
import pytest

from pipeline.periods import Quarter, month_label, quarter_ids, quarters_back


def test_parse_and_label():
    q = Quarter.parse("2026-27-Q1")
    assert (q.year, q.number) == (2026, 1)
    assert q.label == "Quarter 1 2026-27 (April to June 2026)"
    assert q.start == date(2026, 4, 1)
    assert q.last_day == date(2026, 6, 30)


def test_q4_is_january_to_march_of_the_following_calendar_year():
    q = Quarter.parse("2025-26-Q4")
    assert q.start == date(2026, 1, 1) and q.last_day == date(2026, 3, 31)
    assert q.label == "Quarter 4 2025-26 (January to March 2026)"
    assert q.months == ["2026-01", "2026-02", "2026-03"]


def test_q3_spans_december():
    q = Quarter.parse("2025-26-Q3")
    assert q.months == ["2025-10", "2025-11", "2025-12"]
    assert q.next() == Quarter.parse("2025-26-Q4")


@pytest.mark.parametrize("bad", ["2026-28-Q1", "2026-27-Q5", "2026Q1", "Q1 2026-27"])
def test_bad_ids_are_rejected(bad):
    with pytest.raises(ValueError):
        Quarter.parse(bad)


def test_containing_at_the_year_boundary():
    # 31 March 2026 is the last day of 2025-26; 1 April 2026 the first of 2026-27.
    assert Quarter.containing(date(2026, 3, 31)).id == "2025-26-Q4"
    assert Quarter.containing(date(2026, 4, 1)).id == "2026-27-Q1"


def test_previous_wraps_the_financial_year():
    assert Quarter.parse("2026-27-Q1").previous().id == "2025-26-Q4"
    assert [q.id for q in quarters_back(Quarter.parse("2026-27-Q1"), 3)] == [
        "2025-26-Q3",
        "2025-26-Q4",
        "2026-27-Q1",
    ]


def test_vectorised_ids_match_the_scalar_rule():
    stamps = pd.Series(
        pd.to_datetime(["2026-03-31 23:59", "2026-04-01 00:00", None], format="%Y-%m-%d %H:%M")
    )
    assert quarter_ids(stamps).tolist()[:2] == ["2025-26-Q4", "2026-27-Q1"]
    assert pd.isna(quarter_ids(stamps).iloc[2])


def test_month_label():
    assert month_label("2026-04") == "April 2026"
    assert month_label("2026-04", short=True) == "Apr 2026"
