"""Date, boolean and code parsing: UK day-first order is never swapped."""

import pandas as pd

from pipeline.parse import (
    canonical_code,
    clean_text,
    factorize,
    parse_bools,
    parse_datetimes,
    per_distinct,
)


def _s(*values):
    return pd.Series(list(values), dtype="str")


def test_uk_dates_are_day_first_even_when_the_day_is_12_or_less():
    # Every day here is <= 12, the case pandas' inference silently swaps.
    values, bad = parse_datetimes(_s("03/04/2026 14:30", "01/02/2026", "12/11/2025 09:05"))
    assert values.tolist() == [
        pd.Timestamp(2026, 4, 3, 14, 30),
        pd.Timestamp(2026, 2, 1),
        pd.Timestamp(2025, 11, 12, 9, 5),
    ]
    assert not bad.any()


def test_iso_forms_and_date_only_is_midnight():
    values, bad = parse_datetimes(_s("2026-04-03 14:30", "2026-04-03T14:30:00", "2026-04-03"))
    assert values.tolist() == [
        pd.Timestamp(2026, 4, 3, 14, 30),
        pd.Timestamp(2026, 4, 3, 14, 30),
        pd.Timestamp(2026, 4, 3, 0, 0),
    ]
    assert not bad.any()


def test_mixed_column_reads_each_cell_in_its_own_form():
    values, bad = parse_datetimes(_s("2026-04-03", "13/04/2026 08:00"))
    assert values.tolist() == [pd.Timestamp(2026, 4, 3), pd.Timestamp(2026, 4, 13, 8)]
    assert not bad.any()


def test_impossible_and_month_first_dates_are_flagged_not_guessed():
    # 31 February does not exist; 13/25/2026 would need month 25 (it is month-first 25 Dec).
    values, bad = parse_datetimes(_s("31/02/2026", "2026-02-31", "13/25/2026", "soon"))
    assert values.isna().all()
    assert bad.tolist() == [True, True, True, True]


def test_blank_is_missing_not_bad():
    values, bad = parse_datetimes(_s("", "  ", None))
    assert values.isna().all()
    assert not bad.any()


def test_booleans_in_any_spelling():
    values, bad = parse_bools(_s("Yes", "n", "TRUE", "0", "1", "False", "", "maybe"))
    assert values.tolist()[:6] == [True, False, True, False, True, False]
    assert pd.isna(values.iloc[6]) and pd.isna(values.iloc[7])
    assert bad.tolist() == [False] * 7 + [True]


def test_canonical_code():
    assert canonical_code(_s("Face to Face", " out-of-area ", "Video")).tolist() == [
        "face_to_face",
        "out_of_area",
        "video",
    ]


def test_leap_days_and_month_lengths_by_position():
    # 2024 is a leap year; 1900 is not (a century), 2000 is (divisible by 400); April has 30.
    values, bad = parse_datetimes(
        _s("29/02/2024 23:59", "29/02/1900", "2000-02-29", "31/04/2026", "0001-01-01")
    )
    assert values.tolist()[:3] == [
        pd.Timestamp(2024, 2, 29, 23, 59),
        pd.NaT,
        pd.Timestamp(2000, 2, 29),
    ]
    assert values.iloc[4] == pd.Timestamp("0001-01-01").as_unit("us")
    assert bad.tolist() == [False, True, False, True, False]


def test_a_spread_column_is_factorised_like_pandas_without_hashing_again():
    # Trimmed through its distinct values (" a", "a", "b "), the column is a, a, blank, b:
    # the first two codes now hold the same value and are merged; the blank stays -1.
    trimmed = per_distinct(_s(" a", "a", None, "b "), clean_text)
    codes, uniques = factorize(trimmed)
    assert codes.tolist() == [0, 0, -1, 1]
    assert list(uniques) == ["a", "b"]
    expected_codes, expected_uniques = pd.factorize(trimmed)
    assert codes.tolist() == expected_codes.tolist()
    assert list(uniques) == list(expected_uniques)
