"""UK wall-clock times as instants: offsets, real elapsed time, times that did not happen or
happened twice. Expected values by hand from the UK's rules: the clocks go forward at 01:00
GMT on the last Sunday of March and back at 02:00 BST (01:00 GMT) on the last Sunday of
October (29 March and 25 October in 2026)."""

from __future__ import annotations

import numpy as np

from pipeline.clock import change_at, elapsed, unusual_wall_times, utc_offsets


def _t(*texts: str) -> np.ndarray:
    return np.array(texts, dtype="datetime64[us]")


def _minutes(deltas: np.ndarray) -> list[int]:
    return (deltas // np.timedelta64(1, "m")).tolist()


def test_offsets_through_both_changes_of_2026():
    stamps = _t(
        "2026-01-15T12:00",  # GMT: 0
        "2026-03-29T00:59",  # just before the change: 0
        "2026-03-29T01:30",  # did not happen: read with the offset before, 0
        "2026-03-29T02:00",  # BST: 60
        "2026-10-25T00:30",  # BST: 60
        "2026-10-25T01:30",  # happened twice: the first (BST), 60
        "2026-10-25T02:00",  # GMT: 0
        "NaT",
    )
    offsets = utc_offsets(stamps)
    assert _minutes(offsets[:7]) == [0, 0, 0, 60, 60, 60, 0]
    assert np.isnat(offsets[7])


def test_elapsed_counts_the_clock_changes():
    # Fri 27/03 10:00 -> Mon 30/03 10:30: 72:30 on the clock, 71:30 passed.
    # Fri 23/10 10:00 -> Mon 26/10 09:30: 71:30 on the clock, 72:30 passed.
    # 1/7 10:00 -> 4/7 10:00 (no change): 72:00. A blank gives NaT.
    earlier = _t("2026-03-27T10:00", "2026-10-23T10:00", "2026-07-01T10:00", "NaT")
    later = _t("2026-03-30T10:30", "2026-10-26T09:30", "2026-07-04T10:00", "2026-07-04T10:00")
    spans = elapsed(earlier, later)
    assert _minutes(spans[:3]) == [71 * 60 + 30, 72 * 60 + 30, 72 * 60]
    assert np.isnat(spans[3])


def test_times_that_did_not_happen_or_happened_twice_are_found():
    stamps = _t(
        "2026-03-29T00:59",
        "2026-03-29T01:00",  # the first minute that did not happen
        "2026-03-29T01:59",
        "2026-03-29T02:00",
        "2026-10-25T00:59",
        "2026-10-25T01:00",  # the first minute that happened twice
        "2026-10-25T01:59",
        "2026-10-25T02:00",
        "2025-10-26T01:15",  # the 2025 change, last Sunday of October
        "NaT",
    )
    missing, twice = unusual_wall_times(stamps)
    assert missing.tolist() == [0, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    assert twice.tolist() == [0, 0, 0, 0, 0, 1, 1, 0, 1, 0]


def test_no_dates_at_all():
    missing, twice = unusual_wall_times(_t())
    assert missing.tolist() == twice.tolist() == []
    assert len(utc_offsets(_t("NaT"))) == 1


def test_the_change_is_described_by_its_wall_times():
    assert change_at(np.datetime64("2026-03-29T01:30", "us")) == ("01:00", "02:00")
    assert change_at(np.datetime64("2026-10-25T01:30", "us")) == ("02:00", "01:00")
