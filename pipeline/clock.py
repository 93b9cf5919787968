"""Clock times as the extracts record them (UK local time) and real elapsed time between them.

Extracts hold wall-clock times in Europe/London with no offset. Elapsed time is the difference
of the instants they stand for, so an RHI held 71 h 30 min after a return across the October
clock change counts as 71.5 hours, not 72.5. The clock changes come from the time zone
database (zoneinfo), found once per year present and applied to whole columns at once.

A wall time that did not happen (01:30 on the night the clocks go forward) or happened twice
(01:30 on the night they go back) is read as zoneinfo reads it with fold=0: with the offset in
force before the change. The data-quality rules report both (docs/data-quality.md).
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import numpy as np

LONDON = ZoneInfo("Europe/London")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _offset(instant: datetime) -> timedelta:
    offset = instant.astimezone(LONDON).utcoffset()
    assert offset is not None
    return offset


@cache
def _changes_in(year: int) -> tuple[tuple[datetime, timedelta, timedelta], ...]:
    """Each clock change in a year: (UTC instant, offset before, offset after), found by
    checking each month's start and narrowing to the second."""
    changes = []
    starts = [datetime(year, month, 1, tzinfo=UTC) for month in range(1, 13)]
    starts.append(datetime(year + 1, 1, 1, tzinfo=UTC) if year < 9999 else starts[-1])
    for low, high in itertools.pairwise(starts):
        before, after = _offset(low), _offset(high)
        if before == after:
            continue
        while high - low > timedelta(seconds=1):
            middle = low + (high - low) / 2
            if _offset(middle) == before:
                low = middle
            else:
                high = middle
        changes.append((high.replace(microsecond=0), before, _offset(high)))
    return tuple(changes)


def _micros(value: timedelta) -> int:
    return value // timedelta(microseconds=1)


_NAT = np.iinfo(np.int64).min
_DAY = 86_400_000_000  # microseconds
_US_PER_YEAR_APPROX = 31_556_952_000_000  # the Gregorian year's mean length


def _years(ints: np.ndarray) -> range:
    """The calendar years spanned by wall times given as int64 microseconds (NaT = min)."""
    if not len(ints):
        return range(0)
    last = int(ints.max())
    if last == _NAT:
        return range(0)
    first = int(np.where(ints == _NAT, last, ints).min())
    # One year either side of the approximate span: a missed year would only cost a change.
    low = 1970 + first // _US_PER_YEAR_APPROX - 1
    high = 1970 + last // _US_PER_YEAR_APPROX + 1
    return range(max(low, 1), min(high, 9998) + 1)


@cache
def _wall_table(years: range) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """For some years: the wall times (int64 us) from which each change's new offset
    applies, those offsets (us), whether each change went forward, the start of each change's
    odd interval (wall times that did not happen or happened twice; it ends where the new
    offset applies), and the offset before the first change."""
    changes = [c for year in years for c in _changes_in(year)]
    from_wall, offsets, forward, odd_start = [], [], [], []
    for instant, before, after in changes:
        utc = _micros(instant - _EPOCH)
        wall_before, wall_after = utc + _micros(before), utc + _micros(after)
        # fold=0: inside the gap or the repeat, the offset before the change applies.
        from_wall.append(max(wall_before, wall_after))
        odd_start.append(min(wall_before, wall_after))
        offsets.append(_micros(after))
        forward.append(after > before)
    base = _micros(_offset(datetime(years.start, 1, 1, tzinfo=UTC))) if years else 0
    return (
        np.array(from_wall, dtype="int64"),
        np.array(offsets, dtype="int64"),
        np.array(forward, dtype=bool),
        np.array(odd_start, dtype="int64"),
        base,
    )


def _ints(local: np.ndarray) -> np.ndarray:
    return np.asarray(local, dtype="datetime64[us]").view("int64")


def utc_offsets(local: np.ndarray) -> np.ndarray:
    """The UTC offset (timedelta64[us]) of each Europe/London wall time (NaT stays NaT)."""
    ints = _ints(local)
    from_wall, offsets, _, _, base = _wall_table(_years(ints))
    table = np.concatenate([np.array([base], dtype="int64"), offsets])
    result = table[np.searchsorted(from_wall, ints, side="right")]
    result[ints == _NAT] = _NAT
    return result.view("timedelta64[us]")


def instants(local: np.ndarray) -> np.ndarray:
    """Europe/London wall times as the UTC instants they stand for (datetime64[us], naive)."""
    return np.asarray(local, dtype="datetime64[us]") - utc_offsets(local)


def elapsed(earlier: np.ndarray, later: np.ndarray) -> np.ndarray:
    """Real elapsed time (timedelta64[us]) from each `earlier` to each `later` wall time in
    Europe/London, clock changes counted; NaT where either is missing."""
    return instants(later) - instants(earlier)


def unusual_wall_times(local: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the wall times that did not happen in Europe/London (the clocks went forward
    over them) and of those that happened twice (the clocks went back over them)."""
    ints = _ints(local)
    from_wall, _, forward, odd_start, _ = _wall_table(_years(ints))
    missing = np.zeros(len(ints), dtype=bool)
    twice = np.zeros(len(ints), dtype=bool)
    if not len(odd_start):
        return missing, twice
    # Only wall times on the day of a change can be odd: look closer at those alone.
    change_days = np.unique(np.concatenate([odd_start // _DAY, (from_wall - 1) // _DAY]))
    near = np.flatnonzero(np.isin(ints // _DAY, change_days) & (ints != _NAT))
    if not len(near):
        return missing, twice
    values = ints[near]
    at = np.searchsorted(odd_start, values, side="right") - 1
    inside = at >= 0
    safe = np.where(inside, at, 0)
    inside &= values < from_wall[safe]
    missing[near] = inside & forward[safe]
    twice[near] = inside & ~forward[safe]
    return missing, twice


@cache
def change_at(local: np.datetime64) -> tuple[str, str]:
    """For an unusual wall time: the wall times of the change that night, as hh:mm
    (from, to), e.g. ("01:00", "02:00") when the clocks went forward."""
    wall = np.datetime64(local, "us")
    for instant, before, after in _changes_in(int(str(wall)[:4])):
        start = instant + before
        end = instant + after
        low, high = sorted((start, end))
        moment = datetime.fromisoformat(str(wall)).replace(tzinfo=UTC)
        if low <= moment < high:
            return f"{start:%H:%M}", f"{end:%H:%M}"
    return "", ""


__all__ = ["LONDON", "change_at", "elapsed", "instants", "unusual_wall_times", "utc_offsets"]
