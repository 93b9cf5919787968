"""What it would take: the quarter's returns replayed against RHI workforce options.

The source report's constraint is capacity: two dedicated workers who do not travel out of
county. This module answers "what if": it takes every return of the reported quarter as
recorded (when the child came back, in county or out, how long the police notification
took) and replays them against each configured workforce option, minute by minute, to see how
many interviews could have been held face to face by an independent worker within the
timescale.

The model, in short (docs/capacity.md says it in full, with its limits):

- A return owes an interview when the episode has ended. Returns with an agreed exception
  leave the replay, as they leave the timeliness measure. Of the rest, the quarter's own
  rates decide how many children do not engage (not offered because they could not be
  contacted or went missing again) and how many decline: exactly that many returns, chosen
  by a seeded shuffle, so every option faces the same children and the result is the same on
  every run. Those returns take no worker time.
- Each remaining return is ready when the notification arrived (the quarter's median delay
  where none is recorded). A dedicated worker visits: travel there, the interview, travel
  back, all within one working day (a visit longer than a day starts at the day's start).
- Out-of-county returns are visited only when the option allows out-of-county visits. The
  option's host share of them (a seeded choice) is commissioned from the host authority,
  whose service is assumed to hold the interview `host_authority_hours` after notification.
  The others get what they get today (telephone, own social worker): not counted as held
  face to face by an independent worker.
- The replay is a small discrete-event simulation: returns are taken in the order they were
  notified (at the same minute, the one due soonest first, due = return + timescale), and
  each goes to the worker who is free soonest, kept in a priority queue (`heapq`) of the
  minute each worker is next free. The visit starts at the first working moment from then
  at which it fits in the day. This is allocation on notification, as the service works.

Everything is in whole minutes from a Monday midnight before the first return, on the naive
local clock the extracts use (no bank holidays, no clock changes).

A plain priority queue is used rather than SimPy: there is one kind of resource and one
kind of event, so a heap is a dozen lines, adds no dependency, and makes the tie-breaking
(and so the determinism) visible. Allocating on notification, rather than letting a free
worker pick the waiting return due soonest, is deliberate: with that second rule an extra
worker can, rarely, make the schedule worse (a classic list-scheduling anomaly; we found
2 in 60,000 random comparisons), which would be a confusing answer to give a board. With
allocation on notification an extra worker never delays any interview
(`Calendar.first_fit` never moves a visit earlier for a later free time; tested).
"""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.config import WEEKDAYS, CapacityConfig, CapacityOption, Config
from pipeline.periods import Quarter

MINUTES_PER_DAY = 24 * 60
# Outcomes recorded as "not offered" for a reason on the child's side: non-engagement.
NON_ENGAGEMENT_REASONS = ("unable_to_contact", "missing_again")
PLACES = ("in_county", "out_of_county", "all")
# The columns of the joined episode table the replay reads.
RETURN_COLUMNS = (
    "episode_id",
    "start",
    "end",
    "looked_after",
    "placement_area",
    "outcome",
    "not_offered_reason",
    "exception",
    "notified_at",
)


@dataclass(frozen=True)
class Calendar:
    """Working time: weekdays (0 = Monday) and the day's opening and closing minute."""

    days: frozenset[int]
    opens: int
    closes: int

    @classmethod
    def of(cls, settings: CapacityConfig) -> Calendar:
        return cls(
            days=frozenset(WEEKDAYS.index(d) for d in settings.working_days),
            opens=_minutes(settings.day_start),
            closes=_minutes(settings.day_end),
        )

    @property
    def day_length(self) -> int:
        return self.closes - self.opens

    def working_day(self, minute: int) -> bool:
        return (minute // MINUTES_PER_DAY) % 7 in self.days

    def closing(self, minute: int) -> int | None:
        """The closing minute of the working period `minute` falls in, or None if closed."""
        start = minute // MINUTES_PER_DAY * MINUTES_PER_DAY
        if not self.working_day(minute) or not start + self.opens <= minute < start + self.closes:
            return None
        return start + self.closes

    def first_fit(self, minute: int, length: int) -> int:
        """The first minute from `minute` on at which a visit of `length` minutes can start
        and end by closing time; a visit longer than a working day starts at an opening.

        Never earlier for a later `minute`, which is what makes an extra worker never
        delay an interview (docs/capacity.md)."""
        day = minute // MINUTES_PER_DAY
        while True:
            if day % 7 in self.days:
                opening = day * MINUTES_PER_DAY + self.opens
                start = max(minute, opening)
                if start + length <= opening + self.day_length or (
                    length > self.day_length and start == opening
                ):
                    return start
            day += 1

    def working_days_between(self, first: int, last: int) -> int:
        """Working days from the day of minute `first` to the day of minute `last`."""
        days = range(first // MINUTES_PER_DAY, last // MINUTES_PER_DAY + 1)
        return sum(1 for d in days if d % 7 in self.days)


@dataclass(frozen=True)
class Visit:
    """One piece of a dedicated worker's time for one return, in minutes from the replay's
    origin: the offer (a call), travel there, the interview, travel back, the write-up.

    A child who declines or does not engage still costs the offer: such a return is a
    `Visit` with only `offer` time.
    """

    returned: int  # the child came back
    ready: int  # the service knew (notification)
    travel: int = 0  # one way
    interview: int = 0
    offer: int = 0
    recording: int = 0

    @property
    def length(self) -> int:
        return self.offer + 2 * self.travel + self.interview + self.recording

    @property
    def reaches_interview(self) -> int:
        """Minutes from the visit's start to the start of the interview."""
        return self.offer + self.travel


@dataclass(frozen=True)
class Schedule:
    """When each visit's interview started (minutes), and the workers' busy minutes."""

    interview_at: tuple[int, ...]
    started: tuple[int, ...]
    busy: int
    last_end: int


def simulate(visits: Sequence[Visit], workers: int, calendar: Calendar, window: int) -> Schedule:
    """Replay `visits` with `workers` dedicated workers: as each return is notified (in time
    order; at the same minute the one due soonest, return + `window`, first) it goes to the
    worker who is free soonest, and is visited at the first working moment from then at
    which the whole visit fits in the day."""
    order = sorted(range(len(visits)), key=lambda i: (visits[i].ready, visits[i].returned, i))
    free = [(0, w) for w in range(workers)]  # (minute the worker is next free, worker number)
    started = [0] * len(visits)
    busy = last_end = 0
    for i in order:
        visit = visits[i]
        length = visit.length
        at, worker = heapq.heappop(free)
        start = calendar.first_fit(max(at, visit.ready), length)
        started[i] = start
        busy += length
        last_end = max(last_end, start + length)
        heapq.heappush(free, (start + length, worker))
    return Schedule(
        interview_at=tuple(s + v.reaches_interview for s, v in zip(started, visits, strict=True)),
        started=tuple(started),
        busy=busy,
        last_end=last_end,
    )


def backlog_peak(ready: Sequence[int], started: Sequence[int]) -> int:
    """The most returns waiting at once: notified but their visit not yet started."""
    # A visit starting at the minute another is notified leaves first (-1 sorts before +1).
    changes = sorted([(t, 1) for t in ready] + [(t, -1) for t in started])
    peak = level = 0
    for _, step in changes:
        level += step
        peak = max(peak, level)
    return peak


# --------------------------------------------------------------------------------------------
# The quarter's returns


@dataclass(frozen=True)
class Returns:
    """The reported quarter's returns and the rates drawn on them."""

    frame: pd.DataFrame  # returned, notified, out_of_county, travel_hours, engages, host_rank
    due: int  # returns owed an interview (episodes ended)
    exceptions: int  # with an agreed exception: left out, like the timeliness measure
    non_engagement_rate: float
    decline_rate: float
    median_notification_hours: float


def _minutes(hours: float) -> int:
    return round(hours * 60)


def _rate(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def _chosen(count: int, share: float, rng: random.Random) -> list[bool]:
    """`round(share * count)` of `count` places, chosen by the seeded shuffle `rng`."""
    picked = set(rng.sample(range(count), round(share * count))) if count else set()
    return [i in picked for i in range(count)]


def _text(values: pd.Series) -> np.ndarray:
    """A text column as a numpy array of str, missing values as ''."""
    return np.asarray([v if isinstance(v, str) else "" for v in values.tolist()], dtype=object)


def quarter_returns(episodes: pd.DataFrame, quarter: Quarter, settings: CapacityConfig) -> Returns:
    """The returns of episodes starting in `quarter`, with declines and non-engagement drawn
    (seeded) at the quarter's own rates, and a seeded order for host commissioning."""
    start = np.datetime64(quarter.start, "us")
    end = np.datetime64(quarter.last_day, "us") + np.timedelta64(1, "D")
    starts = episodes["start"].to_numpy("datetime64[us]")
    ends = episodes["end"].to_numpy("datetime64[us]")
    picked = np.flatnonzero((starts >= start) & (starts < end) & ~np.isnat(ends))
    due = episodes[list(RETURN_COLUMNS)].take(picked)
    # Returns in time order (ties by episode), so the seeded choices do not depend on the
    # extract's row order.
    order = np.lexsort((_text(due["episode_id"]).astype(str), ends[picked]))
    due = due.take(order)
    outcome = _text(due["outcome"])
    outcome[outcome == ""] = "not_offered"
    reason = _text(due["not_offered_reason"])
    exception = np.asarray([bool(x.strip()) for x in _text(due["exception"])], dtype=bool)
    n_due = len(due)
    non_engaged = int(((outcome == "not_offered") & np.isin(reason, NON_ENGAGEMENT_REASONS)).sum())
    offered = int(np.isin(outcome, ["completed", "declined", "pending"]).sum())
    declined = int((outcome == "declined").sum())
    ne_rate = _rate(non_engaged, n_due)
    d_rate = _rate(declined, offered)

    kept = due.take(np.flatnonzero(~exception))
    returned = kept["end"].to_numpy("datetime64[us]")
    notified = kept["notified_at"].to_numpy("datetime64[us]")
    usable = ~np.isnat(notified) & (notified >= returned)
    delays = (notified[usable] - returned[usable]) / np.timedelta64(1, "h")
    median_delay = float(np.median(delays)) if len(delays) else 0.0
    fallback = returned + np.timedelta64(_minutes(median_delay), "m")
    ready = np.where(usable, notified, fallback)

    rng = random.Random(settings.seed)
    n = len(kept)
    not_engaging = _chosen(n, ne_rate, rng)
    rest = [i for i in range(n) if not not_engaging[i]]
    declining = dict(zip(rest, _chosen(len(rest), d_rate, rng), strict=True))
    engages = [not not_engaging[i] and not declining[i] for i in range(n)]
    area = _text(kept["placement_area"])
    looked_after = kept["looked_after"].fillna(False).to_numpy(dtype=bool)
    out = looked_after & (area == "out_of_area")
    travel = [settings.travel_hours.get(a, settings.default_travel_hours) for a in area]
    # Host commissioning takes the first `share` of out-of-county returns in this seeded
    # order, so a larger share commissions every return a smaller one did, and more.
    host_rank = np.zeros(n, dtype="int64")
    shuffled = list(range(n))
    rng.shuffle(shuffled)
    for rank, i in enumerate(shuffled):
        host_rank[i] = rank
    frame = pd.DataFrame(
        {
            "returned": returned,
            "notified": ready,
            "out_of_county": out,
            "travel_hours": np.asarray(travel, dtype="float64"),
            "engages": np.asarray(engages, dtype=bool),
            "host_rank": host_rank,
        }
    )
    return Returns(
        frame=frame,
        due=n_due,
        exceptions=int(exception.sum()),
        non_engagement_rate=ne_rate,
        decline_rate=d_rate,
        median_notification_hours=median_delay,
    )


def _hours(hours: float) -> pd.Timedelta:
    return pd.Timedelta(minutes=_minutes(hours))


# --------------------------------------------------------------------------------------------
# One option


@dataclass(frozen=True)
class OptionResult:
    """What one workforce option achieves on the quarter's returns.

    `wanted` and `timely` are per place (in_county, out_of_county, all): interviews wanted
    (children who engage) and those held face to face by an independent worker within the
    timescale. `waits` are hours from return to interview of each visit a dedicated worker
    made, in the order of the returns.
    """

    option: CapacityOption
    wanted: dict[str, int]
    timely: dict[str, int]
    visits: int
    hosted: int
    utilisation: float
    backlog_peak: int
    waits: tuple[float, ...]

    def share(self, place: str) -> float:
        """Timely share for a place; NaN when no interview was wanted there."""
        return self.timely[place] / self.wanted[place] if self.wanted[place] else math.nan


def _origin(returns: pd.DataFrame) -> pd.Timestamp:
    """Midnight of the Monday on or before the first return or notification."""
    if not len(returns):
        return pd.Timestamp("2000-01-03")  # any Monday: nothing to replay
    first = min(returns["returned"].min(), returns["notified"].min()).normalize()
    return first - pd.Timedelta(days=first.weekday())


def _hosted(rank: np.ndarray, out: np.ndarray, engages: np.ndarray, share: float):
    """Which returns are commissioned from the host authority: the first `share` of the
    engaging out-of-county returns in the seeded host order, so a larger share commissions
    every return a smaller one did."""
    candidates = sorted(int(r) for r in rank[out & engages])
    cut = round(share * len(candidates))
    limit = candidates[cut - 1] if cut else -1
    return out & engages & (rank <= limit)


@dataclass(frozen=True)
class Prepared:
    """A `Returns.frame` as the replay's loop reads it: whole minutes from a Monday origin
    and plain arrays, worked out once for every option."""

    returned: list[int]
    ready: list[int]
    travel: list[int]
    out: np.ndarray
    engages: np.ndarray
    host_rank: np.ndarray

    @classmethod
    def of(cls, returns: pd.DataFrame) -> Prepared:
        origin = np.datetime64(_origin(returns), "m")

        def minutes(column: str) -> list[int]:
            times = returns[column].to_numpy("datetime64[m]")
            return (times - origin).astype("int64").tolist()

        hours = returns["travel_hours"].to_numpy(dtype="float64").tolist()
        return cls(
            returned=minutes("returned"),
            ready=minutes("notified"),
            travel=[_minutes(t) for t in hours],
            out=returns["out_of_county"].to_numpy(dtype=bool),
            engages=returns["engages"].to_numpy(dtype=bool),
            host_rank=returns["host_rank"].to_numpy(dtype="int64"),
        )


def replay_option(
    returns: pd.DataFrame | Prepared,
    option: CapacityOption,
    settings: CapacityConfig,
    *,
    timeliness_hours: float,
) -> OptionResult:
    """Replay the returns (a `Returns.frame`, or it `Prepared`) against one workforce option."""
    prepared = returns if isinstance(returns, Prepared) else Prepared.of(returns)
    calendar = Calendar.of(settings)
    window = _minutes(timeliness_hours)
    returned, ready, travel = prepared.returned, prepared.ready, prepared.travel
    out, engages = prepared.out, prepared.engages
    hosted = _hosted(prepared.host_rank, out, engages, option.host_share)
    # The dedicated workers handle every return in county, and out of county only when the
    # option lets them travel there and the host authority is not commissioned.
    handled = ~out | (option.out_of_county_visits & ~hosted)

    offer = _minutes(settings.offer_hours)
    interview = _minutes(settings.interview_hours)
    recording = _minutes(settings.recording_hours)
    jobs: list[int] = []
    visits: list[Visit] = []
    for i in np.flatnonzero(handled).tolist():
        if engages[i]:
            visit = Visit(
                returned[i],
                ready[i],
                travel=travel[i],
                interview=interview,
                offer=offer,
                recording=recording,
            )
        else:
            visit = Visit(returned[i], ready[i], offer=offer)  # the offer is still made
        jobs.append(i)
        visits.append(visit)
    schedule = simulate(visits, option.workers, calendar, window)

    on_time = np.zeros(len(returned), dtype=bool)
    waits: list[float] = []
    for i, at in zip(jobs, schedule.interview_at, strict=True):
        if engages[i]:
            on_time[i] = at - returned[i] <= window
            waits.append((at - returned[i]) / 60)
    host_minutes = _minutes(settings.host_authority_hours)
    for i in np.flatnonzero(hosted):
        on_time[i] = ready[i] + host_minutes - returned[i] <= window

    masks = {"in_county": ~out & engages, "out_of_county": out & engages, "all": engages}
    days = calendar.working_days_between(min(ready, default=0), max(schedule.last_end, *ready, 0))
    available = option.workers * calendar.day_length * days
    return OptionResult(
        option=option,
        wanted={p: int(m.sum()) for p, m in masks.items()},
        timely={p: int((on_time & m).sum()) for p, m in masks.items()},
        visits=sum(1 for i in jobs if engages[i]),
        hosted=int(hosted.sum()),
        utilisation=schedule.busy / available if available else 0.0,
        backlog_peak=backlog_peak([v.ready for v in visits], schedule.started),
        waits=tuple(waits),
    )


# --------------------------------------------------------------------------------------------
# The quarter


@dataclass(frozen=True)
class Actual:
    """What happened this quarter, on the replay's measure: of completed RHIs in the
    timeliness measure, those held face to face by an independent worker in time."""

    wanted: dict[str, int]
    timely: dict[str, int]

    def share(self, place: str) -> float:
        return self.timely[place] / self.wanted[place] if self.wanted[place] else math.nan


@dataclass(frozen=True)
class Capacity:
    """The replay of one quarter: each option's result, the current one, and the actual."""

    quarter: Quarter
    settings: CapacityConfig
    timeliness_hours: float
    returns: Returns
    options: list[OptionResult]
    actual: Actual

    @property
    def current(self) -> OptionResult:
        return next(r for r in self.options if r.option.id == self.settings.current)

    def gap(self, place: str) -> float:
        """Replayed current workforce minus actual, in share points (NaN when either is)."""
        return self.current.share(place) - self.actual.share(place)


def actual_outcome(episodes: pd.DataFrame, quarter: Quarter, config: Config) -> Actual:
    """The quarter's recorded interviews on the replay's measure, in county and out."""
    from pipeline.metrics.definitions import EpisodeFlags

    start = pd.Timestamp(quarter.start)
    end = pd.Timestamp(quarter.last_day) + pd.Timedelta(days=1)
    rows = episodes.loc[(episodes["start"] >= start) & (episodes["start"] < end)]
    flags = EpisodeFlags.of(
        rows,
        timeliness_hours=config.timeliness_hours,
        independent_roles=config.independent_roles,
    )
    out = (
        (
            rows["looked_after"].fillna(False).astype(bool)
            & (rows["placement_area"] == "out_of_area")
        )
        .fillna(False)
        .to_numpy(dtype=bool)
    )
    met = flags.target_met & flags.independent
    masks = {"in_county": ~out, "out_of_county": out, "all": np.ones(len(rows), dtype=bool)}
    return Actual(
        wanted={p: int((flags.in_timeliness & m).sum()) for p, m in masks.items()},
        timely={p: int((met & m).sum()) for p, m in masks.items()},
    )


def replay_quarter(episodes: pd.DataFrame, quarter: Quarter, config: Config) -> Capacity | None:
    """Every configured workforce option replayed on the quarter's returns (None when the
    replay is switched off)."""
    settings = config.capacity
    if not settings.enabled:
        return None
    returns = quarter_returns(episodes, quarter, settings)
    prepared = Prepared.of(returns.frame)
    options = [
        replay_option(prepared, option, settings, timeliness_hours=config.timeliness_hours)
        for option in settings.options
    ]
    return Capacity(
        quarter=quarter,
        settings=settings,
        timeliness_hours=config.timeliness_hours,
        returns=returns,
        options=options,
        actual=actual_outcome(episodes, quarter, config),
    )


__all__ = [
    "Actual",
    "Calendar",
    "Capacity",
    "OptionResult",
    "Returns",
    "Schedule",
    "Visit",
    "backlog_peak",
    "quarter_returns",
    "replay_option",
    "replay_quarter",
    "simulate",
]
