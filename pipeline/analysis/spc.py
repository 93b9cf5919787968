"""Statistical process control: XmR charts and the NHS "Making Data Count" rules.

An XmR chart plots each value (X) against the mean of the series, with process limits at
mean +/- 2.66 x the mean moving range (mR, the absolute difference between consecutive
values). 2.66 is 3 / 1.128, so the limits sit three estimated standard deviations from the
mean and "2 sigma" is 2/3 of the way out (mean +/- 1.773 x mR).

Four rules mark special-cause variation, each a small function returning a boolean mask
(True = the point is part of a signal):

- `points_outside_limits`: a point above the upper or below the lower process limit;
- `trends`: `trend_length` (default 7) points each higher (or each lower) than the one
  before; a tie (two equal consecutive points) breaks the trend;
- `two_of_three_beyond_two_sigma`: two of three consecutive points beyond 2 sigma, all
  three on the same side of the mean;
- `runs_on_one_side`: a run of `run_length` (default 7) points all above or all below the
  mean; a point exactly on the mean breaks the run.

`RULES` lists them strongest first, in NHSRplotthedots' order. Each flagged point says
"high" or "low" (its side of the mean, or for a trend the way it moves); `point_types` turns
that into improvement, concern or, for a measure with no better direction, neutral high or
low. Blank points (NaN, e.g. a rate for a month with no cases) are skipped: they take no part
in the mean or the moving ranges, they neither break nor extend a run or a trend, and they
are never flagged. `docs/spc.md` says where this follows NHSRplotthedots and Making Data
Count, and where it differs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from pipeline.periods import month_label

Direction = Literal["up", "down"] | None
PointType = Literal["common_cause", "improvement", "concern", "neutral_high", "neutral_low"]
Variation = PointType
Assurance = Literal["consistently_meets", "consistently_fails", "hit_and_miss"]
Rule = Literal["outside", "trend", "two_of_three", "run"]

LIMIT = 2.66  # 3 / d2 with d2 = 1.128 for moving ranges of two points
TWO_SIGMA = 2 * LIMIT / 3
RANGE_LIMIT = 3.267  # upper limit of a moving range, as a multiple of the mean moving range
MIN_POINTS = 12  # fewer points than this behind a set of limits: they are trial limits

# Strongest first, as NHSRplotthedots ranks them (ptd_special_cause_type, since 0.2.2).
RULES: tuple[Rule, ...] = ("outside", "trend", "two_of_three", "run")
RULE_TEXT = {
    "outside": "a point outside the process limits",
    "trend": "a run of points each rising or each falling",
    "two_of_three": "two of three points close to a process limit",
    "run": "a run of points on one side of the mean",
}
PROPORTION: tuple[float, float] = (0.0, 1.0)  # the bounds of a rate's limits


@dataclass(frozen=True)
class Signal:
    """One special-cause signal: the rule, the points it spans and which way it points.

    `start` and `end` are point indices (inclusive); `points` counts the points with values
    between them. `high` is True when the signal is above the mean (or, for a trend,
    rising). `kind` is the point type the signal gives ("improvement", "concern",
    "neutral_high" or "neutral_low").
    """

    rule: Rule
    start: int
    end: int
    points: int
    high: bool
    kind: PointType


@dataclass(frozen=True)
class SpcResult:
    """One XmR chart: the values, their limits and the special-cause signals.

    `mean`, `lower` and `upper` have one entry per point, because rebasing makes them step;
    for a proportion `lower` and `upper` are kept within 0 and 1 (`bounds`). Each flag array
    marks the points taking part in that rule's signal; `special` is any of them.
    `point_type` gives each point's colour on the chart ("common_cause", "improvement",
    "concern", or "neutral_high" / "neutral_low" when the metric has no better direction)
    and `reason` the strongest rule behind it ("" for common cause). `variation` and
    `assurance` are the Making Data Count icons for the latest point with a value; `text`
    holds their plain-English equivalents (keys "variation", "assurance", "limits"), so no
    icon is ever the only way the meaning is given.
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
    reason: tuple[str, ...] = ()  # the strongest rule behind each point's colour, or ""
    trend_direction: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype="int64"))
    fix_after_n_points: int | None = None
    bounds: tuple[float, float] | None = None

    def rules_at(self, index: int) -> tuple[str, ...]:
        """The rules (from RULES, strongest first) that flag the point at `index`."""
        flags = {
            "outside": self.outside,
            "trend": self.trend,
            "two_of_three": self.two_of_three,
            "run": self.run,
        }
        return tuple(rule for rule in RULES if bool(flags[rule][index]))

    def signal_at(self, index: int) -> Signal | None:
        """The signal behind the point at `index` (by its `reason`), or None if it has none."""
        return signal_at(self, index)

    def latest_signal(self, within: Sequence[int] | None = None) -> Signal | None:
        """The signal behind the latest special-cause point, among `within` if given."""
        candidates = range(self.values.size) if within is None else within
        flagged = [i for i in candidates if 0 <= i < self.values.size and self.special[i]]
        return signal_at(self, flagged[-1]) if flagged else None


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


def _trend_members(x: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the points in a rising trend and in a falling trend of `length` points."""
    if x.size < 2 or length < 2:
        empty = np.zeros(x.size, dtype=bool)
        return empty, empty.copy()
    step = np.sign(np.diff(x))
    masks = []
    for sign in (1, -1):
        # A window of length-1 steps ending at step i covers points i-length+2 .. i+1.
        ends = np.zeros(x.size, dtype=bool)
        ends[1:] = _windows_all(step == sign, length - 1)
        masks.append(_spread(ends, length))
    return masks[0], masks[1]


def trends(values: Sequence[float] | np.ndarray, length: int = 7) -> np.ndarray:
    """Every point in a run of at least `length` points each higher (or each lower) than
    the point before.

    `length` counts points, so a trend of 7 has 6 rises. Two equal consecutive points are a
    tie: neither a rise nor a fall, so the tie breaks the trend. The series must have no
    blanks.
    """
    rising, falling = _trend_members(_as_array(values), length)
    return rising | falling


def trend_directions(values: Sequence[float] | np.ndarray, length: int = 7) -> np.ndarray:
    """+1 for a point in a rising trend, -1 in a falling one, 0 in none.

    A point at a turning point can end a falling trend and start a rising one (or the
    reverse). It takes the direction of the trend it starts, the step to its right, as
    NHSRplotthedots does ("if a point is part of a trend either side, use right side").
    """
    x = _as_array(values)
    rising, falling = _trend_members(x, length)
    out = np.zeros(x.size, dtype="int64")
    out[rising] = 1
    out[falling] = -1
    both = np.flatnonzero(rising & falling)
    if both.size:
        # Both can only hold where one trend ends and the next begins, so i + 1 exists.
        out[both] = np.sign(x[both + 1] - x[both]).astype("int64")
    return out


def two_of_three_beyond_two_sigma(
    values: Sequence[float] | np.ndarray,
    mean: Sequence[float] | np.ndarray,
    lower: Sequence[float] | np.ndarray,
    upper: Sequence[float] | np.ndarray,
) -> np.ndarray:
    """Points beyond 2 sigma in three consecutive points that are all on the same side of
    the mean and hold at least two points beyond 2 sigma on that side.

    "Beyond 2 sigma" includes points beyond the process limits (Making Data Count's rule
    since November 2023). Only the points beyond 2 sigma are flagged, not the third point of
    the window. A point exactly on the mean is on neither side, so a window holding one
    gives no signal. `lower` and `upper` are the unclipped limits (2 sigma is two thirds of
    the way to them). The series must have no blanks; an empty series gives an empty mask.
    """
    x, m, lo, hi = (_as_array(a) for a in (values, mean, lower, upper))
    out = np.zeros(x.size, dtype=bool)
    if x.size < 3:
        return out
    with np.errstate(invalid="ignore"):
        side = np.sign(x - m)
        beyond_high = x > m + (hi - m) * (2 / 3)
        beyond_low = x < m - (m - lo) * (2 / 3)
    for sign, beyond in ((1, beyond_high), (-1, beyond_low)):
        same_side = _windows_all(side == sign, 3)  # windows ending at i: i-2 .. i
        two = np.convolve(beyond.astype("int64"), np.ones(3, dtype="int64"), "valid") >= 2
        ends = np.zeros(x.size, dtype=bool)
        ends[2:] = two
        out |= _spread(ends & same_side, 3) & beyond
    return out


def _segment_starts(n: int, rebase_at: Sequence[int]) -> list[int]:
    starts = sorted({0, *(int(i) for i in rebase_at if 0 < int(i) < n)})
    return starts


def point_types(
    highs: dict[str, np.ndarray], improvement: Direction
) -> tuple[np.ndarray, np.ndarray]:
    """Each point's type and the rule behind it, from each rule's +1 (high) / -1 (low) / 0.

    `highs` maps each rule in RULES to an array: +1 where the rule flags the point and says
    high (above the mean, or a rising trend), -1 where it says low, 0 where it does not
    flag it. With a better direction, a point any rule calls good is an improvement, even if
    another rule calls it bad: Making Data Count's tool shows improvement when both fire
    (NHSRplotthedots issue 194). Otherwise a point some rule calls bad is a concern. With no
    better direction the strongest rule says neutral high or neutral low. The reason is the
    strongest rule that agrees with the point's type.
    """
    n = next(iter(highs.values())).size if highs else 0
    types = np.full(n, "common_cause", dtype=object)
    reasons = np.full(n, "", dtype=object)
    for i in range(n):
        said = [(rule, int(highs[rule][i])) for rule in RULES if highs[rule][i] != 0]
        if not said:
            continue
        if improvement is None:
            rule, sign = said[0]
            types[i] = "neutral_high" if sign > 0 else "neutral_low"
            reasons[i] = rule
            continue
        good = 1 if improvement == "up" else -1
        wanted = good if any(sign == good for _, sign in said) else -good
        types[i] = "improvement" if wanted == good else "concern"
        reasons[i] = next(rule for rule, sign in said if sign == wanted)
    return types, reasons


def assurance_type(
    target: float | None, lower: float, upper: float, improvement: Direction
) -> Assurance | None:
    """What the limits say about a target: met consistently, missed consistently, or either.

    Better "up": a target below the lower limit is met consistently, above the upper limit
    missed consistently, otherwise hit and miss (a target on a limit too). "down" is the
    mirror image. None without a target, a better direction or limits.
    """
    if target is None or improvement is None or np.isnan(lower) or np.isnan(upper):
        return None
    meets_above = improvement == "up"
    if target < lower:
        return "consistently_meets" if meets_above else "consistently_fails"
    if target > upper:
        return "consistently_fails" if meets_above else "consistently_meets"
    return "hit_and_miss"


def _variation_text(variation: Variation | None, improvement: Direction) -> str:
    better = {"up": "higher is better", "down": "lower is better", None: ""}[improvement]
    if variation is None:
        return "No data: there are no points to chart."
    if variation == "common_cause":
        return "Common cause variation: no significant change in the latest month."
    if variation in ("neutral_high", "neutral_low"):
        level = "high" if variation == "neutral_high" else "low"
        return (
            f"Special cause variation in the latest month: unusually {level}, on a measure "
            "where neither higher nor lower is better."
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


def _extent(mask: np.ndarray, index: int) -> tuple[int, int]:
    """The first and last index of the stretch of True values of `mask` around `index`."""
    start = end = index
    while start - 1 >= 0 and mask[start - 1]:
        start -= 1
    while end + 1 < mask.size and mask[end + 1]:
        end += 1
    return start, end


def signal_at(result: SpcResult, index: int) -> Signal | None:
    """The signal behind the point at `index`: its rule (the point's reason) and its span.

    A run spans the consecutive flagged points on the same side of the mean; a trend the
    consecutive trend points moving the same way; two of three the flagged points no more
    than two points apart; a point outside the limits is its own signal. Blank points are
    stepped over. The span stays within the point's set of limits.
    """
    if not (0 <= index < result.values.size) or not result.special[index]:
        return None
    rule = result.reason[index] if result.reason else (result.rules_at(index) or ("",))[0]
    if not rule:
        return None
    x = result.values
    valid = ~np.isnan(x)
    seg_start = max(s for s in result.segments if s <= index)
    later = [s for s in result.segments if s > index]
    seg_stop = later[0] if later else x.size
    idx = np.arange(seg_start, seg_stop)[valid[seg_start:seg_stop]]
    pos = int(np.flatnonzero(idx == index)[0])
    vals = x[idx]
    side = np.sign(vals - result.mean[idx])
    if rule == "outside":
        lo, hi = pos, pos
        high = bool(side[pos] > 0)
    elif rule == "run":
        same = result.run[idx] & (side == side[pos])
        lo, hi = _extent(same, pos)
        high = bool(side[pos] > 0)
    elif rule == "trend":
        direction = result.trend_direction[idx] if result.trend_direction.size else side
        sign = int(direction[pos])
        same = result.trend[idx] & (direction == sign)
        lo, hi = _extent(same, pos)
        # A turning point takes the direction of the trend it starts, so the trend it ends
        # stops one point short: take that point back when the step into it goes our way.
        last = hi + 1
        if last < idx.size and result.trend[idx][last] and np.sign(vals[last] - vals[hi]) == sign:
            hi = last
        high = sign > 0
    else:  # two_of_three
        flagged = np.flatnonzero(result.two_of_three[idx] & (side == side[pos]))
        lo = hi = pos
        for j in flagged[::-1]:
            if j < lo and lo - j <= 2:
                lo = int(j)
        for j in flagged:
            if j > hi and j - hi <= 2:
                hi = int(j)
        high = bool(side[pos] > 0)
    kind = result.point_type[index]
    return Signal(
        rule=rule,  # type: ignore[arg-type]
        start=int(idx[lo]),
        end=int(idx[hi]),
        points=int(hi - lo + 1),
        high=high,
        kind=kind,  # type: ignore[arg-type]
    )


def _point_name(result: SpcResult, index: int) -> str:
    """A point's label for a sentence: `2025-12` becomes `December 2025`."""
    if not result.labels:
        return f"point {index + 1}"
    label = result.labels[index]
    return month_label(label) if _is_month(label) else label


def _is_month(label: str) -> bool:
    year, _, month = label.partition("-")
    return len(year) == 4 and year.isdigit() and month.isdigit() and 1 <= int(month) <= 12


def describe_signal(result: SpcResult, signal: Signal) -> str:
    """The signal as a phrase about its whole span, not its last month.

    E.g. "a run of 7 months above the mean since December 2025" (still going at the latest
    point), "7 months each lower than the one before, from March to September 2025", "June
    2026 above the upper process limit", "2 of 3 months close to the upper process limit,
    to June 2026". Months are named from `labels`; without labels, points are numbered.
    """
    start, end = _point_name(result, signal.start), _point_name(result, signal.end)
    ongoing = result.latest is not None and signal.end == result.latest
    span = f"since {start}" if ongoing else f"from {start} to {end}"
    unit = "months" if result.labels and _is_month(result.labels[signal.end]) else "points"
    if signal.rule == "outside":
        limit = "above the upper" if signal.high else "below the lower"
        return f"{end} {limit} process limit"
    if signal.rule == "run":
        side = "above" if signal.high else "below"
        return f"a run of {signal.points} {unit} {side} the mean {span}"
    if signal.rule == "trend":
        way = "higher" if signal.high else "lower"
        return f"{signal.points} {unit} each {way} than the one before, {span}"
    limit = "upper" if signal.high else "lower"
    flagged = int(np.count_nonzero(result.two_of_three[signal.start : signal.end + 1]))
    if flagged <= 2:
        return f"2 of 3 {unit} close to the {limit} process limit, to {end}"
    return f"{flagged} {unit} close to the {limit} process limit {span}"


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
    fix_after_n_points: int | None = None,
    bounds: tuple[float, float] | None = None,
) -> SpcResult:
    """An XmR chart of `values` (oldest first) with the Making Data Count rules applied.

    `rebase_at` lists point indices where the limits are recalculated from that point on;
    each segment gets its own mean and limits and the rules look within a segment only.
    `fix_after_n_points` takes each segment's mean and limits from its first n points with
    values only (a baseline), and applies them to the later points. `improvement` is the
    metric's better direction ("up", "down" or None); `target`, when given with a
    direction, sets the assurance icon from the latest segment's limits. `bounds` (e.g.
    PROPORTION for a rate) keeps the limits within the values the measure can take; the
    2-sigma rule still uses the unclipped distances. `labels` (optional, one per point) are
    carried through for charts and sentences. `screen_outliers` leaves very large moving
    ranges out of the limits (see `limits`).
    """
    x = _as_array(values)
    if labels and len(labels) != x.size:
        raise ValueError("xmr: give one label per value, or none")
    if fix_after_n_points is not None and fix_after_n_points < 2:
        raise ValueError("xmr: fix_after_n_points must be at least 2")
    n = x.size
    valid = ~np.isnan(x)
    mean = np.full(n, np.nan)
    lower = np.full(n, np.nan)
    upper = np.full(n, np.nan)
    flags = {rule: np.zeros(n, dtype=bool) for rule in RULES}
    highs = {rule: np.zeros(n, dtype="int64") for rule in RULES}
    trend_dir = np.zeros(n, dtype="int64")
    starts = _segment_starts(n, rebase_at)
    trial = False
    for k, start in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else n
        idx = np.arange(start, stop)[valid[start:stop]]  # the segment's points with values
        seg = x[idx]
        baseline = seg if fix_after_n_points is None else seg[:fix_after_n_points]
        m, lo, hi, _ = limits(baseline, screen_outliers=screen_outliers)
        mean[start:stop], lower[start:stop], upper[start:stop] = m, lo, hi
        if 0 < baseline.size < MIN_POINTS:
            trial = True
        if seg.size == 0:
            continue
        ms, los, his = np.full(seg.size, m), np.full(seg.size, lo), np.full(seg.size, hi)
        side = np.sign(seg - ms)
        flags["outside"][idx] = points_outside_limits(seg, los, his)
        flags["run"][idx] = runs_on_one_side(seg, ms, run_length)
        flags["trend"][idx] = trends(seg, trend_length)
        flags["two_of_three"][idx] = two_of_three_beyond_two_sigma(seg, ms, los, his)
        trend_dir[idx] = trend_directions(seg, trend_length)
        for rule in ("outside", "run", "two_of_three"):
            highs[rule][idx] = np.where(flags[rule][idx], side, 0)
        highs["trend"][idx] = trend_dir[idx]
    if bounds is not None:
        with np.errstate(invalid="ignore"):
            lower = np.where(np.isnan(lower), lower, np.clip(lower, bounds[0], bounds[1]))
            upper = np.where(np.isnan(upper), upper, np.clip(upper, bounds[0], bounds[1]))
    special = flags["outside"] | flags["run"] | flags["trend"] | flags["two_of_three"]
    types, reasons = point_types(highs, improvement)
    latest = int(np.flatnonzero(valid)[-1]) if valid.any() else None
    variation: Variation | None = None if latest is None else types[latest]
    assurance = (
        None
        if latest is None
        else assurance_type(target, float(lower[latest]), float(upper[latest]), improvement)
    )
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
        outside=flags["outside"],
        run=flags["run"],
        trend=flags["trend"],
        two_of_three=flags["two_of_three"],
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
        reason=tuple(str(r) for r in reasons),
        trend_direction=trend_dir,
        fix_after_n_points=fix_after_n_points,
        bounds=bounds,
    )


__all__ = [
    "LIMIT",
    "MIN_POINTS",
    "PROPORTION",
    "RULES",
    "RULE_TEXT",
    "Signal",
    "SpcResult",
    "assurance_type",
    "describe_signal",
    "limits",
    "moving_ranges",
    "point_types",
    "points_outside_limits",
    "runs_on_one_side",
    "signal_at",
    "trend_directions",
    "trends",
    "two_of_three_beyond_two_sigma",
    "xmr",
]
