"""The metric definitions of metrics.md, one small pure function per metric.

Each function takes a `Grouped` view of the joined episode table (every episode repeated once
for each period and cohort group it belongs to) and returns a `Figure`: one numerator,
denominator and value per group. The function's docstring is the plain-English definition
printed in the methodology appendix, so the appendix says exactly what the code does. Words in
braces ({timeliness_hours}, {repeat_threshold}, {independent_roles}) are filled in from the
run's configuration.

Everything here is vectorised: flags are computed once per episode, and every metric is a
`np.bincount` (or one grouped median) over integer group codes, so a million episodes across
eight quarters and five cohorts take well under a few seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from pipeline.clock import instants

# Outcomes that mean an offer was made (metrics.md: rhi_offered).
OFFERED_OUTCOMES = ("completed", "declined", "pending")


@dataclass(frozen=True)
class Figure:
    """One metric for every group: numerator, denominator and value (float64, NaN = blank)."""

    numerator: np.ndarray
    denominator: np.ndarray
    value: np.ndarray

    @classmethod
    def count(cls, counts: np.ndarray) -> Figure:
        """A count: the value is the count, numerator and denominator are blank."""
        blank = np.full(counts.shape, np.nan)
        return cls(blank, blank.copy(), counts.astype("float64"))

    @classmethod
    def ratio(cls, numerator: np.ndarray, denominator: np.ndarray) -> Figure:
        """A ratio as a decimal; blank where the denominator is 0."""
        num = numerator.astype("float64")
        den = denominator.astype("float64")
        value = np.full(num.shape, np.nan)
        np.divide(num, den, out=value, where=den > 0)
        return cls(num, den, value)

    @classmethod
    def median(cls, medians: np.ndarray, n: np.ndarray) -> Figure:
        """A median: value = median (blank when n = 0), denominator = n, numerator blank."""
        value = np.where(n > 0, medians, np.nan).astype("float64")
        return cls(np.full(n.shape, np.nan), n.astype("float64"), value)


def _blank(text: pd.Series) -> np.ndarray:
    """True where a text value is missing or only whitespace."""
    blank = text.isna().to_numpy(dtype=bool, copy=True)
    present = ~blank
    # Strip only the values present: most are missing, and stripping is per value.
    blank[present] = (text[present].astype("str").str.strip() == "").to_numpy(dtype=bool)
    return blank


def _bool(values: pd.Series) -> np.ndarray:
    """A boolean column as a numpy array, missing values read as False."""
    return values.fillna(False).to_numpy(dtype=bool)


def _hours_between(earlier: np.ndarray, later: np.ndarray) -> np.ndarray:
    """Hours from `earlier` to `later` (UTC instants, see pipeline.clock.instants); NaN where
    either is missing or later is before earlier."""
    delta = later - earlier
    hours = delta / np.timedelta64(1, "h")
    # NaT gives NaN already; metrics.md keeps only pairs where the later is not before.
    return np.where(hours >= 0, hours, np.nan)


@dataclass(frozen=True)
class EpisodeFlags:
    """Per-episode facts every metric is built from (one row per episode, numpy arrays)."""

    child: np.ndarray  # integer code of child_id
    n_children: int
    ongoing: np.ndarray
    due: np.ndarray
    offered: np.ndarray
    declined: np.ndarray
    completed: np.ndarray
    pending: np.ndarray
    in_timeliness: np.ndarray  # in T, the timeliness denominator
    timely: np.ndarray  # in T and within the window
    target_met: np.ndarray  # timely and face to face
    face_to_face: np.ndarray  # completed face to face
    independent: np.ndarray  # completed by an independent role
    hours_return_to_notification: np.ndarray
    hours_notification_to_assignment: np.ndarray
    hours_assignment_to_completion: np.ndarray
    hours_return_to_completion: np.ndarray

    @classmethod
    def of(
        cls,
        episodes: pd.DataFrame,
        *,
        timeliness_hours: float,
        independent_roles: Sequence[str],
    ) -> EpisodeFlags:
        """Work out every per-episode fact from the joined episode table."""
        child, uniques = pd.factorize(episodes["child_id"], sort=False)
        end = episodes["end"]
        due = end.notna().to_numpy(dtype=bool)
        outcome = episodes["outcome"].fillna("not_offered").astype("str")
        out = outcome.to_numpy(dtype=object)
        # Only due episodes count towards the RHI figures (an ongoing episode owes nothing yet).
        completed = due & (out == "completed")
        declined = due & (out == "declined")
        pending = due & (out == "pending")
        offered = completed | declined | pending

        # Elapsed time is real time in Europe/London: wall times become instants once per
        # column, so a clock change in between counts (pipeline.clock).
        at = {
            name: instants(episodes[name].to_numpy(dtype="datetime64[us]"))
            for name in ("end", "notified_at", "assigned_at", "completed_at")
        }
        gap = at["completed_at"] - at["end"]
        window = np.timedelta64(pd.Timedelta(hours=timeliness_hours).value // 1000, "us")
        has_gap = ~np.isnat(gap)
        in_timeliness = (
            completed
            & has_gap
            & (np.where(has_gap, gap, np.timedelta64(0, "us")) >= np.timedelta64(0, "us"))
            & _blank(episodes["exception"])
            & ~_bool(episodes["timeliness_excluded"])
        )
        # Compare durations exactly (not as float hours) so 72:00:00 is within 72 hours.
        timely = in_timeliness & (np.where(has_gap, gap, window) <= window)
        face_to_face = completed & _bool(episodes["mode"] == "face_to_face")
        role = episodes["interviewer_role"]
        independent = completed & _bool(role.isin(list(independent_roles)) & role.notna())

        # Process times: RHI rows of due episodes only.
        rhi_row = due & _bool(episodes["has_rhi_row"])

        def times(earlier: str, later: str) -> np.ndarray:
            hours = _hours_between(at[earlier], at[later])
            return np.where(rhi_row, hours, np.nan)

        return cls(
            child=child.astype("int64"),
            n_children=len(uniques),
            ongoing=~due,
            due=due,
            offered=offered,
            declined=declined,
            completed=completed,
            pending=pending,
            in_timeliness=in_timeliness,
            timely=timely,
            target_met=timely & face_to_face,
            face_to_face=face_to_face,
            independent=independent,
            hours_return_to_notification=times("end", "notified_at"),
            hours_notification_to_assignment=times("notified_at", "assigned_at"),
            hours_assignment_to_completion=times("assigned_at", "completed_at"),
            hours_return_to_completion=times("end", "completed_at"),
        )


@dataclass(frozen=True)
class Grouped:
    """Episodes assigned to groups (period x cohort): `rows` picks episodes, `group` codes them.

    One episode appears once for each group it belongs to (e.g. in `all`, `looked_after` and
    `looked_after_out_of_area` of its quarter).
    """

    flags: EpisodeFlags
    rows: np.ndarray  # episode positions, repeated per group membership
    group: np.ndarray  # group code of each entry of `rows`
    n_groups: int
    repeat_threshold: int

    def count(self, flag: str | None = None) -> np.ndarray:
        """How many member episodes per group have the `EpisodeFlags` flag named `flag` (all
        of them when None). Cached, because several metrics share a count."""
        cache: dict[str | None, np.ndarray] = self.__dict__.setdefault("_counts", {})
        if flag not in cache:
            if flag is None:
                cache[flag] = np.bincount(self.group, minlength=self.n_groups)
            else:
                weights = getattr(self.flags, flag)[self.rows]
                cache[flag] = np.bincount(self.group[weights], minlength=self.n_groups)
        return cache[flag]

    @cached_property
    def _child_episode_counts(self) -> tuple[np.ndarray, np.ndarray]:
        """Each distinct (group, child) pair's group and its number of episodes."""
        pairs = self.group * np.int64(max(self.flags.n_children, 1)) + self.flags.child[self.rows]
        unique, counts = np.unique(pairs, return_counts=True)
        return unique // max(self.flags.n_children, 1), counts

    def child_episode_counts(self) -> tuple[np.ndarray, np.ndarray]:
        """Each distinct (group, child) pair's group and its number of episodes."""
        return self._child_episode_counts

    def median(self, hours: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Median of the non-blank `hours` per group (mean of the middle two when even), and n."""
        values = hours[self.rows]
        keep = ~np.isnan(values)
        groups = self.group[keep]
        n = np.bincount(groups, minlength=self.n_groups)
        # pandas' median is the mean of the middle two for an even count, as metrics.md asks.
        medians = pd.Series(values[keep]).groupby(groups).median()
        out = np.full(self.n_groups, np.nan)
        out[medians.index.to_numpy(dtype="int64")] = medians.to_numpy(dtype="float64")
        return out, n


# ---------------------------------------------------------------------------------------------
# Counts


def episodes(g: Grouped) -> Figure:
    """The number of missing or away episodes that started in the quarter."""
    return Figure.count(g.count())


def children(g: Grouped) -> Figure:
    """The number of different children with at least one episode that started in the
    quarter."""
    groups, _ = g.child_episode_counts()
    return Figure.count(np.bincount(groups, minlength=g.n_groups))


def children_repeat(g: Grouped) -> Figure:
    """The number of children with {repeat_threshold} or more episodes that started in the
    quarter, counting only the episodes of the group being described."""
    groups, counts = g.child_episode_counts()
    repeat = groups[counts >= g.repeat_threshold]
    return Figure.count(np.bincount(repeat, minlength=g.n_groups))


def episodes_ongoing(g: Grouped) -> Figure:
    """Episodes that started in the quarter and have no end recorded: the child was still
    missing when the data was extracted."""
    return Figure.count(g.count("ongoing"))


def rhi_due(g: Grouped) -> Figure:
    """Episodes that started in the quarter and have ended (the child was found or returned).
    Each one is owed the offer of a return home interview."""
    return Figure.count(g.count("due"))


def rhi_offered(g: Grouped) -> Figure:
    """Episodes due an interview where one was offered: the interview was held, was declined,
    or was still pending when the data was extracted."""
    return Figure.count(g.count("offered"))


def rhi_declined(g: Grouped) -> Figure:
    """Episodes due an interview where the offer was declined by the child or their parent or
    carer."""
    return Figure.count(g.count("declined"))


def rhi_completed(g: Grouped) -> Figure:
    """Episodes due an interview where the interview was held."""
    return Figure.count(g.count("completed"))


def rhi_pending(g: Grouped) -> Figure:
    """Episodes due an interview where one was offered but had not been held or declined when
    the data was extracted."""
    return Figure.count(g.count("pending"))


def rhi_not_offered(g: Grouped) -> Figure:
    """Episodes due an interview where none was offered, including episodes with no interview
    record at all (episodes due an interview minus those offered one)."""
    return Figure.count(g.count("due") - g.count("offered"))


# ---------------------------------------------------------------------------------------------
# Ratios (decimals; blank when the denominator is 0)


def episodes_per_child(g: Grouped) -> Figure:
    """The number of episodes divided by the number of different children who had them."""
    return Figure.ratio(episodes(g).value, children(g).value)


def children_repeat_rate(g: Grouped) -> Figure:
    """Of the children with at least one episode, the proportion who had {repeat_threshold} or
    more."""
    return Figure.ratio(children_repeat(g).value, children(g).value)


def rhi_offered_rate(g: Grouped) -> Figure:
    """Of the episodes due an interview, the proportion where one was offered (held, declined
    or pending)."""
    return Figure.ratio(g.count("offered"), g.count("due"))


def rhi_decline_rate(g: Grouped) -> Figure:
    """Of the interviews offered, the proportion declined by the child or their parent or
    carer."""
    return Figure.ratio(g.count("declined"), g.count("offered"))


def rhi_completed_rate(g: Grouped) -> Figure:
    """Of the episodes due an interview, the proportion where the interview was held."""
    return Figure.ratio(g.count("completed"), g.count("due"))


def rhi_timely_rate(g: Grouped) -> Figure:
    """Of the interviews held with no agreed exception to the timescale, the proportion held
    within {timeliness_hours} hours of the child's return (exactly {timeliness_hours} hours
    counts as within). Interviews recorded as held before the return, and interviews a
    data-quality check removed from the timeliness measure, are left out."""
    return Figure.ratio(g.count("timely"), g.count("in_timeliness"))


def rhi_target_met_rate(g: Grouped) -> Figure:
    """Of the same interviews as the timeliness rate, the proportion held both face to face and
    within {timeliness_hours} hours of the child's return: the council's target."""
    return Figure.ratio(g.count("target_met"), g.count("in_timeliness"))


def rhi_face_to_face_rate(g: Grouped) -> Figure:
    """Of the interviews held, the proportion held face to face (not by telephone or video)."""
    return Figure.ratio(g.count("face_to_face"), g.count("completed"))


def rhi_independent_rate(g: Grouped) -> Figure:
    """Of the interviews held, the proportion carried out by an independent interviewer: one
    whose role is {independent_roles}."""
    return Figure.ratio(g.count("independent"), g.count("completed"))


# ---------------------------------------------------------------------------------------------
# Process times (median hours)


def median_hours_return_to_notification(g: Grouped) -> Figure:
    """The median time in hours from the child's return to the council receiving the police
    notification, over the interview records of ended episodes with both times recorded and
    the notification no earlier than the return."""
    return Figure.median(*g.median(g.flags.hours_return_to_notification))


def median_hours_notification_to_assignment(g: Grouped) -> Figure:
    """The median time in hours from the police notification to the interview being assigned
    to a practitioner, over the interview records of ended episodes with both times recorded
    and the assignment no earlier than the notification."""
    return Figure.median(*g.median(g.flags.hours_notification_to_assignment))


def median_hours_assignment_to_completion(g: Grouped) -> Figure:
    """The median time in hours from the interview being assigned to it being held, over the
    interview records of ended episodes with both times recorded and the interview no earlier
    than the assignment."""
    return Figure.median(*g.median(g.flags.hours_assignment_to_completion))


def median_hours_return_to_completion(g: Grouped) -> Figure:
    """The median time in hours from the child's return to the interview being held, over the
    interview records of ended episodes with both times recorded and the interview no earlier
    than the return."""
    return Figure.median(*g.median(g.flags.hours_return_to_completion))
