"""Statistical process control: XmR charts and the NHS "Making Data Count" rules.

An XmR chart plots each value (X) against the mean of the series, with process limits at
mean +/- 2.66 x the mean moving range (mR, the absolute difference between consecutive
values). 2.66 is 3 / 1.128, so the limits sit three estimated standard deviations from the
mean and "2 sigma" is 2/3 of the way out (mean +/- 1.773 x mR).

Four rules mark special-cause variation, each a small function returning a boolean mask
(True = the point is part of a signal):

- `points_outside_limits`: a point above the upper or below the lower process limit;
- `runs_on_one_side`: a run of `run_length` (default 7) points all above or all below the
  mean; a point exactly on the mean breaks the run;
- `trends`: `trend_length` (default 7) points each higher (or each lower) than the one
  before; a tie (two equal consecutive points) breaks the trend;
- `two_of_three_beyond_two_sigma`: two of three consecutive points beyond 2 sigma on the
  same side of the mean.

Blank points (NaN, e.g. a rate for a month with no cases) are skipped: they take no part in
the mean or the moving ranges, they neither break nor extend a run or a trend, and they are
never flagged. `docs/spc.md` says where this follows NHSRplotthedots and where it differs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

Direction = Literal["up", "down"] | None
Variation = Literal["common_cause", "improvement", "concern", "neither"]
Assurance = Literal["consistently_meets", "consistently_fails", "hit_and_miss"]

LIMIT = 2.66  # 3 / d2 with d2 = 1.128 for moving ranges of two points
TWO_SIGMA = 2 * LIMIT / 3
RANGE_LIMIT = 3.267  # upper limit of a moving range, as a multiple of the mean moving range
MIN_POINTS = 12  # fewer points than this in a segment: its limits are trial limits

RULES = ("outside", "two_of_three", "run", "trend")
RULE_TEXT = {
    "outside": "a point outside the process limits",
    "two_of_three": "two of three points close to a process limit",
    "run": "a run of points on one side of the mean",
    "trend": "a run of points each rising or each falling",
}


@dataclass(frozen=True)
class SpcResult:
    """One XmR chart: the values, their limits and the special-cause signals.

    `mean`, `lower` and `upper` have one entry per point, because rebasing makes them step.
    Each flag array marks the points taking part in that rule's signal; `special` is any of
    them. `point_type` gives each point's colour on the chart ("common_cause",
    "improvement", "concern" or "neither" when the metric has no better direction).
    `variation` and `assurance` are the Making Data Count icons for the latest point with a
    value; `text` holds their plain-English equivalents (keys "variation", "assurance",
    "limits"), so no icon is ever the only way the meaning is given.
    """

    values: np.ndarray
    mean: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    outside: np.ndarray
    run: np.ndarray
    trend: np.ndarray
    two_of_three: np.ndarray
    special: np.ndarray
    point_type: tuple[str, ...]
    variation: Variation | None
    assurance: Assurance | None
    trial_limits: bool
    latest: int | None  # index of the latest point with a value; None when there is none
    improvement: Direction = None
    target: float | None = None
    segments: tuple[int, ...] = (0,)  # index where each set of limits starts
    text: dict[str, str] = field(default_factory=dict)
    labels: tuple[str, ...] = ()  # what each point is, e.g. its month `2026-04`; may be empty

    def rules_at(self, index: int) -> tuple[str, ...]:
        """The rules (from RULES, strongest first) that flag the point at `index`."""
        flags = {
            "outside": self.outside,
            "two_of_three": self.two_of_three,
            "run": self.run,
            "trend": self.trend,
        }
        return tuple(rule for rule in RULES if bool(flags[rule][index]))


def _as_array(values: Sequence[float] | np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype="float64")


def moving_ranges(values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Absolute differences between consecutive values (one fewer than the values)."""
    x = _as_array(values)
    return np.abs(np.diff(x))


def limits(
    values: Sequence[float] | np.ndarray, *, screen_outliers: bool = True
) -> tuple[float, float, float, float]:
    """Mean, lower limit, upper limit and mean moving range of a series with no blanks.

    With `screen_outliers` (the default, as in NHSRplotthedots and Making Data Count),
    moving ranges of at least 3.267 x the mean moving range (the upper range limit) are
    left out and the mean moving range taken again, once, so one freak month does not
    widen the limits. With one point there is no moving range, so the limits are NaN.
    """
    x = _as_array(values)
    if x.size == 0:
        return (np.nan, np.nan, np.nan, np.nan)
    mean = float(x.mean())
    if x.size < 2:
        return (mean, np.nan, np.nan, np.nan)
    ranges = moving_ranges(x)
    mr = float(ranges.mean())
    if screen_outliers:
        kept = ranges[ranges < RANGE_LIMIT * mr]
        # All ranges equal to zero keep nothing; the mean moving range is then zero.
        mr = float(kept.mean()) if kept.size else mr
    return (mean, mean - LIMIT * mr, mean + LIMIT * mr, mr)


def _spread(mask: np.ndarray, length: int) -> np.ndarray:
    """Mark the `length` points ending at each True of `mask` (a signal's whole window)."""
    out = np.zeros(mask.size, dtype=bool)
    # A window longer than the series can never have ended inside it.
    for offset in range(min(length, mask.size)):
        # Shift the end-of-window marks back by `offset` so every point in a window is set.
        out[: mask.size - offset] |= mask[offset:]
    return out


def _windows_all(condition: np.ndarray, length: int) -> np.ndarray:
    """True at each index that ends `length` consecutive True values of `condition`."""
    n = condition.size
    if n < length or length <= 0:
        return np.zeros(n, dtype=bool)
    counts = np.convolve(condition.astype("int64"), np.ones(length, dtype="int64"), "valid")
    ends = np.zeros(n, dtype=bool)
    ends[length - 1 :] = counts == length
    return ends


def points_outside_limits(
    values: Sequence[float] | np.ndarray,
    lower: Sequence[float] | np.ndarray,
    upper: Sequence[float] | np.ndarray,
) -> np.ndarray:
    """Points strictly above the upper or below the lower process limit.

    A point exactly on a limit is inside it. NaN values or limits are never flagged.
    """
    x, lo, hi = _as_array(values), _as_array(lower), _as_array(upper)
    with np.errstate(invalid="ignore"):
        return (x > hi) | (x < lo)


def runs_on_one_side(
    values: Sequence[float] | np.ndarray,
    mean: Sequence[float] | np.ndarray,
    length: int = 7,
) -> np.ndarray:
    """Every point in a run of at least `length` points all above, or all below, the mean.

    A point exactly on the mean is on neither side, so it breaks the run. The series must
    have no blanks (xmr removes them first).
    """
    side = np.sign(_as_array(values) - _as_array(mean))
    above = _spread(_windows_all(side > 0, length), length)
    below = _spread(_windows_all(side < 0, length), length)
    return above | below


def trends(values: Sequence[float] | np.ndarray, length: int = 7) -> np.ndarray:
    """Every point in a run of at least `length` points each higher (or each lower) than
    the point before.

    `length` counts points, so a trend of 7 has 6 rises. Two equal consecutive points are a
    tie: neither a rise nor a fall, so the tie breaks the trend. The series must have no
    blanks.
    """
    x = _as_array(values)
    if x.size < 2:
        return np.zeros(x.size, dtype=bool)
    step = np.sign(np.diff(x))
    rising = _windows_all(step > 0, length - 1)
    falling = _windows_all(step < 0, length - 1)
    # A window of length-1 steps ending at step i covers points i-length+2 .. i+1.
    ends = np.zeros(x.size, dtype=bool)
    ends[1:] = rising | falling
    return _spread(ends, length)


def _trend_direction(values: np.ndarray, length: int) -> np.ndarray:
    """+1 where a point belongs to a rising trend, -1 to a falling one, else 0."""
    x = values
    out = np.zeros(x.size, dtype="int64")
    if x.size < 2:
        return out
    step = np.sign(np.diff(x))
    for sign in (1, -1):
        ends = np.zeros(x.size, dtype=bool)
        ends[1:] = _windows_all(step == sign, length - 1)
        out[_spread(ends, length)] = sign
    return out


def two_of_three_beyond_two_sigma(
    values: Sequence[float] | np.ndarray,
    mean: Sequence[float] | np.ndarray,
    lower: Sequence[float] | np.ndarray,
    upper: Sequence[float] | np.ndarray,
) -> np.ndarray:
    """Points beyond 2 sigma that, with at least one other such point on the same side, fall
    within three consecutive points.

    "Beyond 2 sigma" includes points beyond the process limits (Western Electric rule 2).
    The third point of the window may be anywhere. Only the points beyond 2 sigma are
    flagged, not the third point. The series must have no blanks.
    """
    x, m, lo, hi = (_as_array(a) for a in (values, mean, lower, upper))
    with np.errstate(invalid="ignore"):
        high_band = m + (hi - m) * (2 / 3)  # 2 sigma: two thirds of the way to the limit
        low_band = m - (m - lo) * (2 / 3)
        high = x > high_band
        low = x < low_band
    out = np.zeros(x.size, dtype=bool)
    for beyond in (high, low):
        counts = np.convolve(beyond.astype("int64"), np.ones(3, dtype="int64"), "full")
        # counts[j] = beyond points among indices j-2..j; a point is flagged when some
        # window containing it (ending at i, i+1 or i+2) holds at least two.
        hit = counts >= 2
        in_hit_window = hit[: x.size] | hit[1 : x.size + 1] | hit[2 : x.size + 2]
        out |= beyond & in_hit_window
    return out


def _segment_starts(n: int, rebase_at: Sequence[int]) -> list[int]:
    starts = sorted({0, *(int(i) for i in rebase_at if 0 < int(i) < n)})
    return starts


def _variation_text(variation: Variation | None, improvement: Direction) -> str:
    better = {"up": "higher is better", "down": "lower is better", None: ""}[improvement]
    if variation is None:
        return "No data: there are no points to chart."
    if variation == "common_cause":
        return "Common cause variation: no significant change in the latest month."
    if variation == "neither":
        return (
            "Special cause variation in the latest month: an unusual change, with no "
            "direction that is better."
        )
    word = "improvement" if variation == "improvement" else "concern"
    return f"Special cause variation of {word} in the latest month ({better})."


def _assurance_text(assurance: Assurance | None, target: float | None) -> str:
    if assurance is None:
        return "" if target is None else "No assurance: the measure has no better direction."
    return {
        "consistently_meets": "The process limits say the target will be met consistently.",
        "consistently_fails": (
            "The process limits say the target will be missed consistently unless the "
            "process changes."
        ),
        "hit_and_miss": (
            "The target lies within the process limits: it will be met in some months and "
            "missed in others, by chance alone."
        ),
    }[assurance]


def _point_types(
    x: np.ndarray,
    mean: np.ndarray,
    side_rules: np.ndarray,
    trend_dir: np.ndarray,
    improvement: Direction,
) -> np.ndarray:
    """Each point's colour: improvement, concern, neither, or common_cause."""
    special = side_rules | (trend_dir != 0)
    out = np.full(x.size, "common_cause", dtype=object)
    if improvement is None:
        out[special] = "neither"
        return out
    good = 1 if improvement == "up" else -1
    side = np.sign(x - mean)
    # Outside limits, two-of-three and runs point the way of the side of the mean the points
    # are on; a trend points the way it moves (where NHSRplotthedots uses the side).
    says_good = (side_rules & (side == good)) | (trend_dir == good)
    says_bad = (side_rules & (side == -good)) | (trend_dir == -good)
    out[says_good] = "improvement"
    # When rules disagree (a rising trend still below the mean), show concern: the cautious
    # reading for a board.
    out[says_bad] = "concern"
    return out


def xmr(
    values: Sequence[float] | np.ndarray,
    *,
    run_length: int = 7,
    trend_length: int = 7,
    rebase_at: Sequence[int] = (),
    improvement: Direction = None,
    target: float | None = None,
    labels: Sequence[str] = (),
    screen_outliers: bool = True,
) -> SpcResult:
    """An XmR chart of `values` (oldest first) with the Making Data Count rules applied.

    `rebase_at` lists point indices where the limits are recalculated from that point on;
    each segment gets its own mean and limits and the rules look within a segment only.
    `improvement` is the metric's better direction ("up", "down" or None); `target`, when
    given with a direction, sets the assurance icon from the latest segment's limits.
    `labels` (optional, one per point) are carried through for charts and sentences.
    `screen_outliers` leaves very large moving ranges out of the limits (see `limits`).
    """
    x = _as_array(values)
    if labels and len(labels) != x.size:
        raise ValueError("xmr: give one label per value, or none")
    n = x.size
    valid = ~np.isnan(x)
    mean = np.full(n, np.nan)
    lower = np.full(n, np.nan)
    upper = np.full(n, np.nan)
    outside = np.zeros(n, dtype=bool)
    run = np.zeros(n, dtype=bool)
    trend = np.zeros(n, dtype=bool)
    two3 = np.zeros(n, dtype=bool)
    trend_dir = np.zeros(n, dtype="int64")
    starts = _segment_starts(n, rebase_at)
    trial = False
    for k, start in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else n
        idx = np.arange(start, stop)[valid[start:stop]]  # the segment's points with values
        seg = x[idx]
        m, lo, hi, _ = limits(seg, screen_outliers=screen_outliers)
        mean[start:stop], lower[start:stop], upper[start:stop] = m, lo, hi
        if 0 < seg.size < MIN_POINTS:
            trial = True
        if seg.size == 0:
            continue
        ms, los, his = np.full(seg.size, m), np.full(seg.size, lo), np.full(seg.size, hi)
        outside[idx] = points_outside_limits(seg, los, his)
        run[idx] = runs_on_one_side(seg, ms, run_length)
        trend[idx] = trends(seg, trend_length)
        two3[idx] = two_of_three_beyond_two_sigma(seg, ms, los, his)
        trend_dir[idx] = _trend_direction(seg, trend_length)
    special = outside | run | trend | two3
    types = _point_types(x, mean, outside | run | two3, trend_dir, improvement)
    latest = int(np.flatnonzero(valid)[-1]) if valid.any() else None
    variation: Variation | None = None if latest is None else types[latest]
    assurance: Assurance | None = None
    if target is not None and improvement is not None and latest is not None:
        lo, hi = lower[latest], upper[latest]
        if not (np.isnan(lo) or np.isnan(hi)):
            meets_above = improvement == "up"
            if target < lo:
                assurance = "consistently_meets" if meets_above else "consistently_fails"
            elif target > hi:
                assurance = "consistently_fails" if meets_above else "consistently_meets"
            else:
                assurance = "hit_and_miss"
    text = {
        "variation": _variation_text(variation, improvement),
        "assurance": _assurance_text(assurance, target),
        "limits": (
            f"Fewer than {MIN_POINTS} points: these are trial limits and will change as "
            "more months are added."
            if trial
            else ""
        ),
    }
    return SpcResult(
        values=x,
        mean=mean,
        lower=lower,
        upper=upper,
        outside=outside,
        run=run,
        trend=trend,
        two_of_three=two3,
        special=special,
        point_type=tuple(str(t) for t in types),
        variation=variation,
        assurance=assurance,
        trial_limits=trial,
        latest=latest,
        improvement=improvement,
        target=target,
        segments=tuple(starts),
        text=text,
        labels=tuple(str(label) for label in labels),
    )


__all__ = [
    "LIMIT",
    "MIN_POINTS",
    "RULES",
    "RULE_TEXT",
    "SpcResult",
    "limits",
    "moving_ranges",
    "points_outside_limits",
    "runs_on_one_side",
    "trends",
    "two_of_three_beyond_two_sigma",
    "xmr",
]
