"""Presentation rules of metrics.md: whole-number percentages rounded half away from zero,
"no cases" for a zero denominator, [c] when suppressed, thousands separators, hours/days."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from pipeline.metrics import present


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (60.5, 61),  # half goes up, not to the even 60
        (61.5, 62),
        (0.5, 1),
        (1.5, 2),
        (2.5, 3),  # banker's rounding would give 2
        (-0.5, -1),  # away from zero
        (-2.5, -3),
        (60.18518, 60),
        (0.6018518 * 100, 60),
        (0.145 * 100, 15),  # the float is 14.499999999999998; the intended 14.5 rounds to 15
        (0.285 * 100, 29),  # 28.499999999999996 as a float
        (14.49, 14),
        (99.5, 100),
        (0, 0),
    ],
)
def test_round_half_away(x: float, expected: int) -> None:
    assert present.round_half_away(x) == expected
    assert isinstance(present.round_half_away(x), int)


def test_round_half_away_to_places() -> None:
    assert present.round_half_away(1.25, 1) == Decimal("1.3")  # binary 1.25 is exact
    assert present.round_half_away(1.15, 1) == Decimal("1.2")  # binary 1.15 is 1.149999...


@pytest.mark.parametrize(
    ("num", "den", "expected"),
    [
        (65, 108, "60%"),  # 60.185...% (the article's decline rate)
        (121, 200, "61%"),  # exactly 60.5% -> 61%
        (29, 200, "15%"),  # exactly 14.5% -> 15%
        (1, 3, "33%"),
        (2, 3, "67%"),
        (0, 5, "0%"),  # a real zero is shown
        (5, 5, "100%"),
        (0, 0, "no cases"),
        (3, 0, "no cases"),
        (math.nan, math.nan, "no cases"),
        (None, None, "no cases"),
        (65.0, 108.0, "60%"),  # floats from the metrics table
    ],
)
def test_percent(num: float, den: float, expected: str) -> None:
    assert present.percent(num, den) == expected


def test_percent_suppressed_wins() -> None:
    assert present.percent(3, 4, suppressed=True) == "[c]"
    assert present.percent(0, 0, suppressed=True) == "[c]"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (65 / 108, "60%"),
        (0.605, "61%"),
        (0.145, "15%"),
        (0.6018518, "60%"),
        (0.0, "0%"),
        (1.0, "100%"),
        (math.nan, "no cases"),
        (None, "no cases"),
    ],
)
def test_rate_percent(value: float, expected: str) -> None:
    assert present.rate_percent(value) == expected
    assert present.rate_percent(value, suppressed=True) == "[c]"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "0"), (7, "7"), (1234, "1,234"), (1234567.0, "1,234,567"), (189.0, "189")],
)
def test_count(value: float, expected: str) -> None:
    assert present.count(value) == expected
    assert present.count(value, suppressed=True) == "[c]"


def test_count_blank() -> None:
    assert present.count(math.nan) == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.2, "less than 1 hour"),
        (0.5, "1 hour"),  # rounds half away to 1
        (1, "1 hour"),
        (36, "36 hours"),
        (36.5, "37 hours"),
        (48, "48 hours"),  # 48 is still shown in hours
        (48.4, "48 hours"),  # rounds to 48
        (48.5, "2.0 days"),  # rounds to 49: shown in days, 48.5 / 24 = 2.02 -> 2.0
        (84, "3.5 days"),  # 84 / 24 = 3.5
        (85.2, "3.6 days"),  # 3.55 days exactly -> 3.6 (half away)
        (24 * 1500, "1,500.0 days"),
        (math.nan, "no cases"),
    ],
)
def test_hours(value: float, expected: str) -> None:
    assert present.hours(value) == expected
    assert present.hours(value, suppressed=True) == "[c]"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.2, "less than 1 hour"),
        (1.4, "1 hour"),
        (48.5, "49 hours"),  # past 48 still in hours, unlike present.hours
        (85.5, "86 hours"),  # half away from zero
        (24 * 1500, "36,000 hours"),
        (math.nan, "no cases"),
    ],
)
def test_whole_hours(value: float, expected: str) -> None:
    assert present.whole_hours(value) == expected
    assert present.whole_hours(value, suppressed=True) == "[c]"
    assert present.whole_hours(value, not_recorded=True) == "[x]"


@pytest.mark.parametrize(
    ("value", "expected"), [(1.8, "1.8"), (12 / 4, "3.0"), (1.25, "1.3"), (math.nan, "no cases")]
)
def test_number(value: float, expected: str) -> None:
    assert present.number(value) == expected


def test_value_dispatches_on_shown_as() -> None:
    assert present.value("percent", 0.5) == "50%"
    assert present.value("hours", 72) == "3.0 days"
    assert present.value("number", 1.84) == "1.8"
    assert present.value("count", 1000) == "1,000"
    assert present.value("count", 3, suppressed=True) == "[c]"


def test_not_recorded_is_x_in_every_format():
    # [x] wins over every other state: a figure not held is never 0, "no cases" or [c].
    assert present.percent(0, 12, not_recorded=True) == "[x]"
    assert present.rate_percent(0.0, not_recorded=True) == "[x]"
    assert present.count(0, suppressed=True, not_recorded=True) == "[x]"
    assert present.number(None, not_recorded=True) == "[x]"
    assert present.hours(36.0, not_recorded=True) == "[x]"
    assert present.value("percent", 0.5, not_recorded=True) == "[x]"
