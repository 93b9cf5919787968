"""Synthetic extracts in a Liquidlogic-style local export format.

Two uses share one engine:

- `sample()` builds the bundled sample in `inputs/`: five quarters (2025-26 Q1 to 2026-27 Q1)
  plus a few July 2026 episodes, extract taken on 14 July 2026. Its headline figures for
  2026-27 Q1 (189 episodes, 105 children, 108 RHIs offered of which 65 declined, ...) are set
  by construction: each quarter has a `BlockPlan` of exact counts, and random numbers only
  decide *which* episodes get each count, never how many.
- `generate(episodes=N, councils=K, years=Y, seed=S)` builds benchmark data of any size in the
  same format, with plans derived from the sample's proportions. It is vectorised numpy:
  the only Python loops are over quarters, never over rows.

Everything is deterministic for a seed and never reads the clock. Every person, worker and
episode is invented.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

# --- The local format ------------------------------------------------------------------------

EPISODE_HEADERS: tuple[str, ...] = (
    "Episode ID",
    "Person ID",
    "Missing Start Date",
    "Missing End Date",
    "Missing/Absent",
    "Legal Status",
    "Placement Location",
    "Date of Birth",
    "Gender",
    "Ethnicity",
    "Placement Type",
    "Reported to Police",
)
INTERVIEW_HEADERS: tuple[str, ...] = (
    "Episode ID",
    "RHI Outcome",
    "Police Notification Received",
    "Date Allocated",
    "Date Offered",
    "RHI Completed Date",
    "RHI Method",
    "Completed By",
    "Worker ID",
    "Declined By Detail",
    "Reason",
    "Exception Agreed",
    "Risks Identified",
)
EPISODE_DATETIMES = ("Missing Start Date", "Missing End Date")
EPISODE_DATES = ("Date of Birth",)
INTERVIEW_DATETIMES = (
    "Police Notification Received",
    "Date Allocated",
    "Date Offered",
    "RHI Completed Date",
)

COMPLETED = "Offered and Accepted"
DECLINED_YP = "Offered and Declined (by YP)"
DECLINED_PARENT = "Offered and Declined (by Parent/Carer)"
PENDING = "Offered - Awaiting Interview"
NOT_OFFERED = (
    "Not Offered (Missing Again)",
    "Not Offered (Unable to make contact)",
    "Not Offered (Out of Area)",
    "Not Offered (Other)",
)
# Short labels the service types in `Reason` beside each Not Offered code (same order).
NOT_OFFERED_REASONS = (
    "Missing again before contact",
    "No response to calls or visits",
    "Placed out of county",
    "Other",
)
DECLINE_REASONS_YP = (
    "Does not want to talk",
    "Already spoken to police",
    "Did not see the need",
    "No reason given",
)
DECLINE_REASONS_PARENT = ("Parent/carer refused", "Did not see the need", "No reason given")
# One free-text value, in the oldest quarter, to prove free text never reaches an output.
FREE_TEXT_REASON = "Mum said no - call back next week"
EXCEPTIONS = ("Child admitted to hospital", "Child's choice to delay", "Family bereavement")
RISKS = (
    "CSE",
    "CCE",
    "County Lines",
    "Substance Misuse",
    "Modern Slavery",
    "Trafficking",
    "Radicalisation",
    "Other",
)
_RISK_WEIGHTS = np.array([0.30, 0.22, 0.20, 0.10, 0.06, 0.04, 0.02, 0.06])
MODES = ("Face to Face", "Telephone", "Video Call")
ROLES = (
    "Missing Practitioner",
    "Host LA RHI Service",
    "Allocated Social Worker",
    "Residential Staff",
)
LEGAL_STATUSES = ("Looked After", "Child in Need", "Child Protection", "Other")
LOCATIONS = ("In County", "Out of County")
PLACEMENT_TYPES = ("Residential Children's Home", "Foster Care", "Semi-Independent", "Family Home")
GENDERS = ("Male", "Female")
ETHNICITIES = ("White British", "Mixed", "Black", "Asian", "Other", "Not recorded")

# The sample's extract date, and the fixed document date written into the workbook.
AS_AT = datetime(2026, 7, 14)
SAMPLE_SEED = 20260714

_MIN = np.timedelta64(1, "m")
_HOUR = 60  # minutes
_DAY = 24 * _HOUR
_72H = 72 * _HOUR

# Cohorts used inside the generator: looked after in county, looked after out of county,
# not looked after.
_LA_IN, _LA_OUT, _NOT_LA = 0, 1, 2

# Who holds completed RHIs (columns follow ROLES), for local children and for looked-after
# children placed out of county: the two dedicated workers see local children; children
# away from the county mostly get their own social worker.
_ROLE_WEIGHTS = np.array([[0.84, 0.0, 0.08, 0.08], [0.04, 0.12, 0.66, 0.18]])
# How (columns follow MODES), by role for local children (first four rows) then for
# out-of-county children: away from the county only the host authority's service usually
# visits, and the rest is mostly by telephone.
_MODE_WEIGHTS = np.array(
    [
        [0.90, 0.07, 0.03],
        [0.90, 0.10, 0.00],
        [0.60, 0.30, 0.10],
        [0.95, 0.05, 0.00],
        [0.50, 0.50, 0.00],
        [0.85, 0.15, 0.00],
        [0.12, 0.78, 0.10],
        [0.30, 0.70, 0.00],
    ]
)

# Outcome codes inside the generator.
_NO_ROW, _COMPLETED, _DECLINED, _PENDING, _NOT_OFFERED = 0, 1, 2, 3, 4


# (first minute, minute after the last, number of episodes starting in between)
Segment = tuple[np.datetime64, np.datetime64, int]


@dataclass(frozen=True)
class BlockPlan:
    """Exact counts for one block of episodes (a quarter, or part of one).

    `segments` are (first minute, minute after the last, episodes starting inside). Counts of
    RHI outcomes are over the block's returned episodes; `timely` is out of the completed RHIs
    without an agreed exception.
    """

    segments: tuple[Segment, ...]
    children: int
    ongoing: int
    offered: int
    declined: int
    pending: int
    exceptions: int
    timely: int
    no_row_share: float = 0.5
    edge_72: bool = False

    @property
    def episodes(self) -> int:
        return sum(n for _, _, n in self.segments)

    @property
    def completed(self) -> int:
        return self.offered - self.declined - self.pending


@dataclass(frozen=True)
class Extracts:
    """The two generated extracts in the local format.

    Date columns are datetime64 (NaT = blank), everything else text (NaN = blank); the writers
    turn them into what the council's system exports.
    """

    episodes: pd.DataFrame
    interviews: pd.DataFrame


@dataclass
class _Pool:
    """The children episodes are drawn from, one array element per child."""

    person_id: np.ndarray
    status: np.ndarray  # index into LEGAL_STATUSES
    out_of_county: np.ndarray
    placement: np.ndarray  # index into PLACEMENT_TYPES
    gender: np.ndarray
    ethnicity: np.ndarray
    dob: np.ndarray  # datetime64[D]
    propensity: np.ndarray
    council: np.ndarray
    active_from: np.ndarray  # first block index the child can appear in
    active_to: np.ndarray  # last block index (inclusive)


# --- Small vectorised helpers -----------------------------------------------------------------


def _minute(text: str) -> np.datetime64:
    return np.datetime64(text, "m")


def _apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Split `total` into integers proportional to `weights` (largest remainder), exactly."""
    weights = np.asarray(weights, dtype=float)
    if len(weights) == 0 or total == 0:
        return np.zeros(len(weights), dtype=np.int64)
    if weights.sum() <= 0:
        weights = np.ones(len(weights))
    share = total * weights / weights.sum()
    base = np.floor(share).astype(np.int64)
    short = total - int(base.sum())
    order = np.argsort(-(share - base), kind="stable")
    base[order[:short]] += 1
    return base


def _pick(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """Positions of `k` items drawn without replacement, chance proportional to weight.

    Efraimidis-Spirakis keys (log u / w, keep the largest): one vectorised pass, exact k.
    Returned in ascending order so callers keep the input's order.
    """
    n = len(weights)
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    if k >= n:
        return np.arange(n)
    keys = np.log(rng.random(n)) / weights
    return np.sort(np.argpartition(-keys, k - 1)[:k])


def _categorical(rng: np.random.Generator, probs: np.ndarray, n: int) -> np.ndarray:
    """Draw `n` category indices; `probs` is one row of weights, or one row per draw."""
    p = np.broadcast_to(np.asarray(probs, dtype=float), (n, np.shape(probs)[-1]))
    cum = np.cumsum(p, axis=1)
    cum /= cum[:, -1:]
    return (rng.random(n)[:, None] > cum).sum(axis=1).clip(0, p.shape[1] - 1)


def _exact_labels(rng: np.random.Generator, group: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Category labels for rows with `group` >= 0: within each group the counts are
    apportioned exactly from row `group % len(table)` of `table`, in random order
    (-1 for rows outside every group)."""
    out = np.full(len(group), -1)
    rows = np.flatnonzero(group >= 0)
    rows = rows[np.argsort(group[rows], kind="stable")]
    for seg in np.split(rows, np.flatnonzero(np.diff(group[rows])) + 1):
        if len(seg):
            weights = table[group[seg[0]] % len(table)]
            out[seg] = rng.permutation(
                np.repeat(np.arange(len(weights)), _apportion(len(seg), weights))
            )
    return out


def _lognormal_minutes(
    rng: np.random.Generator, median_h: float, sigma: float, n: int
) -> np.ndarray:
    return np.maximum(1, np.round(median_h * _HOUR * rng.lognormal(0.0, sigma, n))).astype(np.int64)


def _digits(numbers: np.ndarray, width: int) -> np.ndarray:
    """ASCII codes of `numbers` zero-padded to `width` digits, one row per number."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (48 + (np.asarray(numbers, dtype=np.int64)[:, None] // powers) % 10).astype(np.uint8)


def _ids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    """`prefix` + zero-padded numbers as an object array of str, built from ASCII codes so a
    million take milliseconds (numpy's string functions loop in Python)."""
    width = max(width, len(str(int(np.max(numbers, initial=0)))))
    head = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    chars = np.empty((len(numbers), len(head) + width), dtype=np.uint8)
    chars[:, : len(head)] = head
    chars[:, len(head) :] = _digits(numbers, width)
    size = chars.shape[1]
    return chars.view(f"S{size}").ravel().astype(f"U{size}").astype(object)


# --- The children -----------------------------------------------------------------------------


def _make_pool(
    rng: np.random.Generator,
    size: int,
    councils: int,
    active_from: np.ndarray,
    active_to: np.ndarray,
    first_start: np.ndarray,
) -> _Pool:
    """Invent `size` children; `first_start` is the earliest day each can go missing (ages
    are set so the child is 10-17 throughout the two years after it)."""
    status = _categorical(rng, [0.45, 0.30, 0.12, 0.13], size)
    looked_after = status == 0
    # About a third of looked-after children are placed out of county; they are more often
    # in residential homes, which is also where missing episodes cluster.
    out = looked_after & (rng.random(size) < 0.33)
    placement = np.full(size, 3)
    in_types = _categorical(rng, [0.35, 0.50, 0.15, 0.0], size)
    out_types = _categorical(rng, [0.65, 0.20, 0.15, 0.0], size)
    placement = np.where(looked_after, np.where(out, out_types, in_types), placement)
    propensity = np.clip(rng.lognormal(0.0, 0.7, size), 0.25, 6.0)
    propensity *= np.where(placement == 0, 1.8, np.where(placement == 2, 1.2, 1.0))
    # Age at the first possible episode 10.0-15.9 years, skewed older (most missing children
    # are 14-16); two years later they are still under 18.
    age_days = np.round(365.25 * (10.0 + 5.9 * rng.beta(2.2, 1.3, size))).astype(np.int64)
    width = max(7, len(str(size * 18)))
    numbers = 10000 + np.cumsum(rng.integers(1, 18, size))
    return _Pool(
        person_id=_ids("P", rng.permutation(numbers), width),
        status=status,
        out_of_county=out,
        placement=placement,
        gender=_categorical(rng, [0.48, 0.52], size),
        ethnicity=_categorical(rng, [0.78, 0.07, 0.04, 0.03, 0.03, 0.05], size),
        dob=first_start.astype("datetime64[D]") - age_days.astype("timedelta64[D]"),
        propensity=propensity,
        council=rng.integers(0, max(1, councils), size),
        active_from=active_from,
        active_to=active_to,
    )


# --- The engine -------------------------------------------------------------------------------


@dataclass
class _Built:
    """Episode-level arrays built by the engine, before they are written out."""

    child: np.ndarray
    start: np.ndarray  # datetime64[m]
    end: np.ndarray  # datetime64[m], NaT = ongoing
    block: np.ndarray
    status: np.ndarray
    out_of_county: np.ndarray
    placement: np.ndarray
    has_next: np.ndarray
    gap_to_next: np.ndarray  # minutes to the child's next start (huge when none)


def _episode_starts(rng: np.random.Generator, plan: BlockPlan) -> np.ndarray:
    """Start minutes with exactly the planned number in each segment, in random order."""
    parts = []
    for first, after, n in plan.segments:
        span_days = int((after - first) // np.timedelta64(1, "D"))
        day = rng.integers(0, span_days, n)
        # Children most often go missing in the afternoon and evening.
        hour = np.where(rng.random(n) < 0.7, rng.normal(18.5, 3.5, n), rng.uniform(0, 24, n))
        minute_of_day = (np.floor(hour * 60).astype(np.int64) % _DAY).clip(0, _DAY - 1)
        parts.append(first + (day * _DAY + minute_of_day) * _MIN)
    return rng.permutation(np.concatenate(parts)) if parts else np.zeros(0, "datetime64[m]")


# Shares of a block's children and episodes in each cohort (looked after in county, out of
# county, not looked after): out-of-county children are about 28% of looked-after episodes.
_CHILD_SHARES = np.array([0.38, 0.14, 0.48])
_EPISODE_SHARES = np.array([0.44, 0.17, 0.39])


def _stratum_counts(plan: BlockPlan, available: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Children and episodes per cohort for a block, exact in total.

    A cohort with no eligible children gets none; if a small block cannot give every chosen
    child an episode that way, children are spread by availability instead.
    """
    avail = np.array(available)
    total_kids = min(plan.children, int(avail.sum()), plan.episodes)
    weights = np.where(avail > 0, 1.0, 0.0)
    kids = np.minimum(_apportion(total_kids, _CHILD_SHARES * weights), avail)
    short = total_kids - int(kids.sum())
    if short:  # a cohort ran out of children: take the rest where there is room
        kids += _apportion(short, (avail - kids).astype(float))
    eps = _apportion(plan.episodes, _EPISODE_SHARES * (kids > 0))
    if (eps < kids).any():
        eps = kids + _apportion(plan.episodes - int(kids.sum()), kids.astype(float))
    return kids, eps


def _build_episodes(
    rng: np.random.Generator, pool: _Pool, plans: list[BlockPlan]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Choose the children of each block and when their episodes start; return child, start,
    block and an uncapped duration (minutes) per episode."""
    child_parts, start_parts, block_parts = [], [], []
    cohort = np.where(pool.status == 0, np.where(pool.out_of_county, _LA_OUT, _LA_IN), _NOT_LA)
    for b, plan in enumerate(plans):
        active = (pool.active_from <= b) & (pool.active_to >= b)
        strata = [np.flatnonzero(active & (cohort == c)) for c in (_LA_IN, _LA_OUT, _NOT_LA)]
        kids_n, eps_n = _stratum_counts(plan, [len(s) for s in strata])
        for eligible, n_kids, n_eps in zip(strata, kids_n, eps_n, strict=True):
            kids = eligible[_pick(rng, pool.propensity[eligible], int(n_kids))]
            # Every chosen child has one episode; the rest go to the most prone children,
            # apportioned exactly so the stratum's totals are met.
            counts = 1 + _apportion(int(n_eps) - len(kids), pool.propensity[kids] ** 1.6)
            child_parts.append(np.repeat(kids, counts))
        child_parts[-3:] = [rng.permutation(np.concatenate(child_parts[-3:]))]
        start_parts.append(_episode_starts(rng, plan))
        block_parts.append(np.full(plan.episodes, b))
    child = np.concatenate(child_parts)
    start = np.concatenate(start_parts)
    block = np.concatenate(block_parts)
    # Most episodes last hours; about one in seven more than two days (DfE: 90% <= 2 days).
    duration = np.minimum(_lognormal_minutes(rng, 12.0, 1.15, len(child)), 21 * _DAY)
    return child, start, block, duration


def _settle_ends(
    child: np.ndarray, start: np.ndarray, duration: np.ndarray, as_at: np.datetime64
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """End times that never overlap the child's next episode and leave room before the
    extract date for an RHI to be held; also whether each episode has a later one."""
    order = np.lexsort((start, child))
    c, s = child[order], start[order]
    same_next = np.zeros(len(c), dtype=bool)
    same_next[:-1] = c[1:] == c[:-1]
    gap = np.full(len(c), np.iinfo(np.int64).max // 4, dtype=np.int64)
    gap[:-1] = np.where(same_next[:-1], (s[1:] - s[:-1]) // _MIN, gap[:-1])
    dur = duration[order]
    # Stop 30 minutes before the next episode starts (halfway if they are closer than that).
    dur = np.where(same_next, np.minimum(dur, np.maximum(gap - 30, gap // 2)), dur)
    # Episodes starting more than a fortnight before the extract end at least five days before
    # it, so any late RHI can still be dated before the extract; later ones end before it.
    latest = np.where(s < as_at - 14 * _DAY * _MIN, as_at - 5 * _DAY * _MIN, as_at - _HOUR * _MIN)
    dur = np.maximum(np.minimum(dur, (latest - s) // _MIN), 0)
    end = np.empty(len(c), dtype="datetime64[m]")
    has_next = np.empty(len(c), dtype=bool)
    gaps = np.empty(len(c), dtype=np.int64)
    end[order] = s + dur * _MIN
    has_next[order] = same_next
    gaps[order] = gap
    return end, has_next, gaps


def _outcomes(
    rng: np.random.Generator, built: _Built, plans: list[BlockPlan]
) -> dict[str, np.ndarray]:
    """Give each episode its RHI outcome, with exactly the planned counts per block."""
    n = len(built.child)
    cohort = np.where(built.status == 0, np.where(built.out_of_county, _LA_OUT, _LA_IN), _NOT_LA)
    outcome = np.full(n, _NO_ROW)
    exception = np.zeros(n, dtype=bool)
    timely = np.zeros(n, dtype=bool)
    edge = np.zeros(n, dtype=np.int64)  # 1: exactly 72:00, 2: 72:05
    # Out-of-county children are offered less often and seen in time less often.
    w_offer = np.array([1.25, 0.5, 1.0])
    w_decline = np.array([0.9, 0.8, 1.3])
    w_timely = np.array([1.0, 0.35, 1.0])
    for b, plan in enumerate(plans):
        due = np.flatnonzero((built.block == b) & ~np.isnat(built.end))
        # Pending: the latest returns, still awaiting interview when the extract was taken.
        by_end = due[np.argsort(built.end[due], kind="stable")]
        pending = by_end[len(by_end) - plan.pending :] if plan.pending else by_end[:0]
        rest = np.setdiff1d(due, pending)
        offered = rest[_pick(rng, w_offer[cohort[rest]], plan.offered - plan.pending)]
        declined = offered[_pick(rng, w_decline[cohort[offered]], plan.declined)]
        completed = np.setdiff1d(offered, declined)
        not_offered = np.setdiff1d(rest, offered)
        coded = not_offered[
            np.sort(
                rng.permutation(len(not_offered))[
                    : round(len(not_offered) * (1 - plan.no_row_share))
                ]
            )
        ]
        outcome[pending] = _PENDING
        outcome[declined] = _DECLINED
        outcome[completed] = _COMPLETED
        outcome[coded] = _NOT_OFFERED
        exc = completed[np.sort(rng.permutation(len(completed))[: plan.exceptions])]
        exception[exc] = True
        in_measure = np.setdiff1d(completed, exc)
        on_time = in_measure[_pick(rng, w_timely[cohort[in_measure]], plan.timely)]
        timely[on_time] = True
        late = np.setdiff1d(in_measure, on_time)
        if plan.edge_72 and len(on_time) and len(late):
            edge[on_time[0]] = 1
            edge[late[0]] = 2
    return {
        "cohort": cohort,
        "outcome": outcome,
        "exception": exception,
        "timely": timely,
        "edge": edge,
    }


def _interview_rows(
    rng: np.random.Generator,
    built: _Built,
    plans: list[BlockPlan],
    pool: _Pool,
    as_at: np.datetime64,
) -> dict[str, np.ndarray]:
    """Timestamps and details of every RHI row (one per episode; `outcome` says which exist)."""
    o = _outcomes(rng, built, plans)
    n = len(built.child)
    outcome, cohort = o["outcome"], o["cohort"]
    end = built.end
    latest = as_at - _HOUR * _MIN
    budget = np.where(np.isnat(end), 0, (latest - np.where(np.isnat(end), latest, end)) // _MIN)

    # Return to completion: within 72 hours (12-72h) when timely, over it otherwise.
    soon = np.round(_HOUR * (12 + 60 * rng.beta(2.5, 1.4, n))).astype(np.int64)
    slow = _72H + 5 + _lognormal_minutes(rng, 40.0, 0.9, n)
    total = np.where(o["timely"], soon, np.minimum(slow, 17 * _DAY))
    total = np.where(o["edge"] == 1, _72H, np.where(o["edge"] == 2, _72H + 5, total))
    total = np.minimum(total, np.maximum(budget - 1, 1))

    # Police notification hours to days after the return, then allocation, then the offer.
    notify = _lognormal_minutes(rng, 6.0, 1.1, n)
    allocate = _lognormal_minutes(rng, 16.0, 0.9, n)
    offer = _lognormal_minutes(rng, 3.0, 1.0, n)
    room = np.where(outcome == _COMPLETED, 0.85 * total, 0.9 * budget)
    scale = np.minimum(1.0, room / (notify + allocate + offer))
    notify = np.floor(notify * scale).astype(np.int64)
    allocate = np.floor(allocate * scale).astype(np.int64)
    offer = np.floor(offer * scale).astype(np.int64)

    has_row = outcome != _NO_ROW
    offered = np.isin(outcome, [_COMPLETED, _DECLINED, _PENDING])
    nat = np.datetime64("NaT", "m")
    notified_at = end + notify * _MIN
    assigned_at = notified_at + allocate * _MIN
    offered_at = assigned_at + offer * _MIN
    # A few notifications were never logged; not-offered rows are often never allocated.
    notified_ok = has_row & (rng.random(n) > 0.03)
    assigned_ok = offered | ((outcome == _NOT_OFFERED) & (rng.random(n) < 0.5))
    completed = outcome == _COMPLETED

    # Who did the interview and how: the two dedicated workers see local children face to
    # face; out-of-county children mostly get their social worker, often by telephone.
    # Counts are apportioned exactly within each block, so this holds for any seed.
    away = cohort == _LA_OUT
    role = _exact_labels(rng, np.where(completed, built.block * 2 + away, -1), _ROLE_WEIGHTS)
    mode = _exact_labels(
        rng, np.where(completed, built.block * 8 + away * 4 + role, -1), _MODE_WEIGHTS
    )
    # Worker IDs: each council's two dedicated workers, then host-authority workers, social
    # workers and residential staff (codes index into `_worker_names`).
    k = int(pool.council.max(initial=0)) + 1
    worker = np.select(
        [role == 0, role == 1, role == 2],
        [
            pool.council[built.child] * 2 + (rng.random(n) >= 0.55),
            2 * k + rng.integers(0, 12, n),
            2 * k + 12 + rng.integers(0, 40, n),
        ],
        2 * k + 52 + rng.integers(0, 25, n),
    )

    # Declines: parents and carers decline more for children living at home.
    parent = rng.random(n) < np.where(cohort == _NOT_LA, 0.45, 0.18)
    yp_reason = _categorical(rng, [0.45, 0.2, 0.2, 0.15], n)
    parent_reason = len(DECLINE_REASONS_YP) + _categorical(rng, [0.6, 0.2, 0.2], n)

    # Not offered: "missing again" mostly when the next episode came soon after the return.
    lasted = np.where(
        np.isnat(end), 0, (np.where(np.isnat(end), built.start, end) - built.start) // _MIN
    )
    quick_again = built.gap_to_next < lasted + 3 * _DAY
    probs = np.where(
        (cohort == _LA_OUT)[:, None],
        np.array([0.2, 0.2, 0.5, 0.1]),
        np.array([0.3, 0.45, 0.0, 0.25]),
    )
    probs = np.where(quick_again[:, None], np.array([0.85, 0.1, 0.0, 0.05]), probs)
    reason_code = _categorical(rng, probs, n)

    code = np.select(
        [outcome == _COMPLETED, outcome == _DECLINED, outcome == _PENDING, outcome == _NOT_OFFERED],
        [0, np.where(parent, 2, 1), 3, 4 + reason_code],
        -1,
    )
    reason = np.select(
        [outcome == _DECLINED, outcome == _NOT_OFFERED],
        [np.where(parent, parent_reason, yp_reason), _REASON_OFFSET + reason_code],
        -1,
    )
    exception = np.where(o["exception"], _categorical(rng, [0.45, 0.4, 0.15], n), -1)

    def when(ok: np.ndarray, stamps: np.ndarray) -> np.ndarray:
        return np.where(ok, stamps, nat)

    return {
        "outcome": outcome,
        "code": _label(code, _OUTCOME_NAMES),
        "notified": when(notified_ok, notified_at),
        "assigned": when(assigned_ok, assigned_at),
        "offered": when(offered, offered_at),
        "completed": when(completed, end + total * _MIN),
        "mode": _label(np.where(completed, mode, -1), MODES),
        "role": _label(np.where(completed, role, -1), ROLES),
        "worker": _label(np.where(completed, worker, -1), _worker_names(k)),
        "reason": _label(reason, _REASON_NAMES),
        "exception": _label(exception, EXCEPTIONS),
        "risks": _label(_risks(rng, completed, built.block), _RISK_NAMES),
    }


_OUTCOME_NAMES = (COMPLETED, DECLINED_YP, DECLINED_PARENT, PENDING, *NOT_OFFERED)
_REASON_NAMES = (*DECLINE_REASONS_YP, *DECLINE_REASONS_PARENT, *NOT_OFFERED_REASONS)
_REASON_OFFSET = len(DECLINE_REASONS_YP) + len(DECLINE_REASONS_PARENT)
# One risk label, or two joined with ";" (code 8 + 8 * first + second).
_RISK_NAMES = (*RISKS, *(f"{a};{b}" for a in RISKS for b in RISKS))


def _worker_names(councils: int) -> tuple[str, ...]:
    """Pseudonymous worker IDs: W-101 and W-102 are council 1's dedicated workers (W-201,
    W-202 council 2's, ...), then HLA-5xx host-authority workers, SW-2xx social workers and
    RS-4xx residential staff."""
    dedicated = [f"W-{c + 1}0{i}" for c in range(councils) for i in (1, 2)]
    hosts = [f"HLA-5{i:02d}" for i in range(1, 13)]
    social = [f"SW-2{i:02d}" for i in range(1, 41)]
    staff = [f"RS-4{i:02d}" for i in range(1, 26)]
    return (*dedicated, *hosts, *social, *staff)


def _risks(rng: np.random.Generator, completed: np.ndarray, block: np.ndarray) -> np.ndarray:
    """Risk codes (into `_RISK_NAMES`) on about two in five completed RHIs, -1 for none. The
    primary labels of each block are apportioned exactly (so CSE, CCE and county lines are
    the commonest by construction); some RHIs add a second label."""
    n = len(completed)
    primary = np.full(n, -1)
    rows = np.flatnonzero(completed)
    rows = rows[np.argsort(block[rows], kind="stable")]
    for done in np.split(rows, np.flatnonzero(np.diff(block[rows])) + 1):
        flagged = done[np.sort(rng.permutation(len(done))[: round(0.4 * len(done))])]
        labels = np.repeat(np.arange(len(RISKS)), _apportion(len(flagged), _RISK_WEIGHTS))
        primary[flagged] = rng.permutation(labels)
    second = _categorical(rng, _RISK_WEIGHTS, n)
    add_second = (primary >= 0) & (rng.random(n) < 0.3) & (second != primary)
    return np.where(add_second, len(RISKS) + len(RISKS) * primary + second, primary)


# --- Assembling the local frames --------------------------------------------------------------


def _label(codes: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    """`names[code]` as an object array, None (blank) where the code is negative."""
    table = np.array([*names, None], dtype=object)
    return table[np.where(codes < 0, len(names), codes)]


def _text(values: np.ndarray) -> pd.array:
    """A pandas string array from an object array with None as blank."""
    return pd.array(np.asarray(values, dtype=object), dtype="str")


def _stamps(values: np.ndarray) -> pd.Series:
    return pd.Series(values.astype("datetime64[us]"))


def _assemble(
    rng: np.random.Generator,
    pool: _Pool,
    plans: list[BlockPlan],
    as_at: np.datetime64,
    first_episode_number: int,
    sample_quirks: bool,
) -> Extracts:
    """Run the engine over `plans` and lay the result out as the two local extracts."""
    child, start, block, duration = _build_episodes(rng, pool, plans)
    status = pool.status[child].copy()
    out_of_county = pool.out_of_county[child].copy()
    placement = pool.placement[child].copy()
    if sample_quirks:
        _one_child_comes_into_care(
            child, start, block, status, out_of_county, placement, len(plans) - 2
        )
    end, has_next, gap = _settle_ends(child, start, duration, as_at)
    # Ongoing: the latest-starting episodes that are their child's last, as planned per block.
    for b, plan in enumerate(plans):
        if plan.ongoing:
            last = np.flatnonzero((block == b) & ~has_next)
            latest = last[np.argsort(start[last], kind="stable")[len(last) - plan.ongoing :]]
            end[latest] = np.datetime64("NaT", "m")
    built = _Built(child, start, end, block, status, out_of_county, placement, has_next, gap)
    rhi = _interview_rows(rng, built, plans, pool, as_at)

    # Episode IDs follow start order with occasional gaps, as records get deleted.
    order = np.lexsort((child, start))
    n = len(child)
    steps = np.where(rng.random(n) < 0.1, 2, 1)
    numbers = np.empty(n, dtype=np.int64)
    numbers[order] = first_episode_number + np.cumsum(steps)
    width = max(6, len(str(int(numbers.max(initial=0)) + 10)))
    episode_id = _ids("MEP-", numbers, width)

    if sample_quirks:
        _end_before_start(built, rhi["outcome"], block_index=2)
        rhi["reason"] = _free_text(rhi, block, block_index=0)

    looked_after = status == 0
    episodes = pd.DataFrame(
        {
            "Episode ID": _text(episode_id),
            "Person ID": _text(pool.person_id[child]),
            "Missing Start Date": _stamps(start),
            "Missing End Date": _stamps(built.end),
            "Missing/Absent": _text(
                _label((rng.random(n) < 0.07).astype(int), ("Missing", "Absent"))
            ),
            "Legal Status": _text(_label(status, LEGAL_STATUSES)),
            "Placement Location": _text(
                _label(np.where(looked_after, out_of_county.astype(int), -1), LOCATIONS)
            ),
            "Date of Birth": _stamps(pool.dob[child]),
            "Gender": _text(_label(pool.gender[child], GENDERS)),
            "Ethnicity": _text(_label(pool.ethnicity[child], ETHNICITIES)),
            "Placement Type": _text(_label(placement, PLACEMENT_TYPES)),
            "Reported to Police": _text(_label((rng.random(n) < 0.02).astype(int), ("Y", "N"))),
        }
    ).iloc[order]

    rows = np.flatnonzero(rhi["outcome"] != _NO_ROW)
    rows = rows[np.argsort(numbers[rows], kind="stable")]
    interviews = pd.DataFrame(
        {
            "Episode ID": _text(episode_id[rows]),
            "RHI Outcome": _text(rhi["code"][rows]),
            "Police Notification Received": _stamps(rhi["notified"][rows]),
            "Date Allocated": _stamps(rhi["assigned"][rows]),
            "Date Offered": _stamps(rhi["offered"][rows]),
            "RHI Completed Date": _stamps(rhi["completed"][rows]),
            "RHI Method": _text(rhi["mode"][rows]),
            "Completed By": _text(rhi["role"][rows]),
            "Worker ID": _text(rhi["worker"][rows]),
            "Declined By Detail": _text(np.full(len(rows), None, dtype=object)),
            "Reason": _text(rhi["reason"][rows]),
            "Exception Agreed": _text(rhi["exception"][rows]),
            "Risks Identified": _text(rhi["risks"][rows]),
        }
    )
    if sample_quirks:
        interviews = _add_orphan(interviews, episodes, block[order], block_index=1)
    return Extracts(episodes.reset_index(drop=True), interviews.reset_index(drop=True))


def _one_child_comes_into_care(
    child: np.ndarray,
    start: np.ndarray,
    block: np.ndarray,
    status: np.ndarray,
    out_of_county: np.ndarray,
    placement: np.ndarray,
    block_index: int,
) -> None:
    """The child not looked after with the most episodes in the block becomes looked after
    (in county, foster care) halfway through their episodes, and stays so."""
    in_block = (block == block_index) & (status != 0)
    kids, counts = np.unique(child[in_block], return_counts=True)
    chosen = kids[np.argmax(counts)]  # ties: the first (lowest pool index)
    theirs = np.flatnonzero(in_block & (child == chosen))
    theirs = theirs[np.argsort(start[theirs], kind="stable")]
    from_when = start[theirs[len(theirs) // 2]]
    change = (child == chosen) & (start >= from_when)
    status[change] = 0
    out_of_county[change] = False
    placement[change] = 1


def _end_before_start(built: _Built, outcome: np.ndarray, block_index: int) -> None:
    """Make one returned, never-interviewed episode in an earlier quarter end a day before it
    started (a mistyped date), a deliberate data-quality warning."""
    candidates = np.flatnonzero(
        (built.block == block_index)
        & (outcome == _NO_ROW)
        & ~np.isnat(built.end)
        & ((built.end - built.start) < 20 * _HOUR * _MIN)
    )
    victim = candidates[np.argsort(built.start[candidates], kind="stable")[len(candidates) // 2]]
    built.end[victim] = built.end[victim] - _DAY * _MIN


def _free_text(rhi: dict[str, np.ndarray], block: np.ndarray, block_index: int) -> np.ndarray:
    """Replace the reason on the first parent/carer decline of a block with free text."""
    reason = rhi["reason"].astype(object)
    hits = np.flatnonzero((block == block_index) & (rhi["code"] == DECLINED_PARENT))
    reason[hits[0]] = FREE_TEXT_REASON
    return reason


def _add_orphan(
    interviews: pd.DataFrame, episodes: pd.DataFrame, block: np.ndarray, block_index: int
) -> pd.DataFrame:
    """Add one completed RHI whose Episode ID matches no episode: a number skipped in the
    sequence (a deleted episode), dated like the episodes around it."""
    ids = episodes["Episode ID"].to_numpy(dtype=str)
    numbers = episodes["Episode ID"].str.slice(4).astype("int64").to_numpy()
    in_block = np.flatnonzero(block == block_index)
    skipped = in_block[1:][np.diff(numbers[in_block]) == 2]
    before = skipped[len(skipped) // 2] - 1
    number = numbers[before] + 1
    width = len(ids[before]) - 4
    returned = episodes["Missing Start Date"].iloc[before] + pd.Timedelta(hours=9)
    row = pd.DataFrame(
        {
            "Episode ID": [f"MEP-{number:0{width}d}"],
            "RHI Outcome": [COMPLETED],
            "Police Notification Received": [returned + pd.Timedelta(hours=3)],
            "Date Allocated": [returned + pd.Timedelta(hours=20)],
            "Date Offered": [returned + pd.Timedelta(hours=22)],
            "RHI Completed Date": [returned + pd.Timedelta(hours=46)],
            "RHI Method": ["Face to Face"],
            "Completed By": ["Missing Practitioner"],
            "Worker ID": ["W-101"],
            "Declined By Detail": [None],
            "Reason": [None],
            "Exception Agreed": [None],
            "Risks Identified": [None],
        }
    ).astype(interviews.dtypes.to_dict())
    out = pd.concat([interviews, row], ignore_index=True)
    key = out["Episode ID"].str.slice(4).astype("int64")
    return out.iloc[np.argsort(key.to_numpy(), kind="stable")]


# --- The bundled sample -----------------------------------------------------------------------


def _quarter(year: int, first_month: int, months: tuple[int, ...]) -> tuple[Segment, ...]:
    """Three calendar-month segments starting at `year`-`first_month`."""
    segments = []
    for i, count in enumerate(months):
        m = first_month + i
        y, mm = year + (m - 1) // 12, (m - 1) % 12 + 1
        ny, nm = y + mm // 12, mm % 12 + 1
        segments.append((_minute(f"{y}-{mm:02d}-01"), _minute(f"{ny}-{nm:02d}-01"), count))
    return tuple(segments)


# The sample's plan, oldest first. Month counts put a clear spike in August 2025 (summer);
# offer rates rise from 50% to 58% and decline rates fall from 70% to 60%; timeliness rises
# from a third to a half. 2026-27 Q1 matches the council report: 189 episodes, 105 children,
# 108 offered, 65 declined (60%).
SAMPLE_PLANS: tuple[BlockPlan, ...] = (
    BlockPlan(_quarter(2025, 4, (58, 55, 60)), 97, 0, 86, 60, 0, 2, 8),
    BlockPlan(_quarter(2025, 7, (57, 88, 50)), 104, 0, 97, 66, 0, 2, 11),
    BlockPlan(_quarter(2025, 10, (52, 56, 59)), 96, 0, 90, 59, 0, 2, 12),
    BlockPlan(_quarter(2026, 1, (53, 50, 58)), 94, 0, 92, 58, 0, 2, 15),
    BlockPlan(_quarter(2026, 4, (64, 61, 64)), 105, 5, 108, 65, 5, 3, 18, edge_72=True),
    # 1-10 July 2026, before the extract on 14 July: one completed, one declined, one pending.
    BlockPlan(((_minute("2026-07-01"), _minute("2026-07-11"), 7),), 6, 1, 3, 1, 1, 0, 1),
)
SAMPLE_POOL = 260


def sample(seed: int = SAMPLE_SEED) -> Extracts:
    """The bundled sample extracts (see inputs/README.md). Its planned figures hold for any
    seed; the seed only decides which episodes carry them."""
    rng = np.random.default_rng(seed)
    plans = list(SAMPLE_PLANS)
    first_day = np.full(SAMPLE_POOL, np.datetime64("2025-04-01", "D"))
    pool = _make_pool(
        rng,
        SAMPLE_POOL,
        1,
        np.zeros(SAMPLE_POOL, dtype=np.int64),
        np.full(SAMPLE_POOL, len(plans)),
        first_day,
    )
    return _assemble(rng, pool, plans, np.datetime64(AS_AT, "m"), 4100, sample_quirks=True)


# --- Benchmark data of any size ---------------------------------------------------------------


def _scale_plans(rng: np.random.Generator, episodes: int, years: int) -> list[BlockPlan]:
    """Quarterly plans over `years` years ending 2026-27 Q1, plus 1-10 July 2026, with the
    sample's proportions (offer and timeliness rates improving over time)."""
    n_quarters = 4 * years
    # Quarters vary a little; the July fortnight gets a tenth of a quarter.
    weights = np.append(rng.uniform(0.85, 1.15, n_quarters), 0.1)
    per_block = _apportion(episodes, weights)
    plans = []
    first_year = 2026 - years
    for q in range(n_quarters):
        year = first_year + q // 4
        first_month = 4 + 3 * (q % 4)
        months = tuple(int(x) for x in _apportion(int(per_block[q]), rng.uniform(0.85, 1.15, 3)))
        progress = q / max(1, n_quarters - 1)
        plans.append(
            _plan_from_rates(
                _quarter(year, first_month, months),
                last=q == n_quarters - 1,
                offer_rate=0.45 + 0.13 * progress,
                decline_rate=0.70 - 0.10 * progress,
                timely_rate=0.33 + 0.17 * progress,
            )
        )
    july = (_minute("2026-07-01"), _minute("2026-07-11"), int(per_block[-1]))
    plans.append(
        _plan_from_rates((july,), last=True, offer_rate=0.5, decline_rate=0.5, timely_rate=1.0)
    )
    return plans


def _plan_from_rates(
    segments: tuple[Segment, ...],
    last: bool,
    offer_rate: float,
    decline_rate: float,
    timely_rate: float,
) -> BlockPlan:
    """A block plan with counts rounded from rates (about 1.8 episodes per child)."""
    episodes = sum(n for _, _, n in segments)
    ongoing = round(0.015 * episodes) if last else 0
    due = episodes - ongoing
    offered = round(offer_rate * due)
    pending = round(0.04 * offered) if last else 0
    declined = min(round(decline_rate * offered), offered - pending)
    completed = offered - declined - pending
    exceptions = round(0.07 * completed) if timely_rate < 1 else 0
    return BlockPlan(
        segments=segments,
        children=max(1, round(episodes / 1.8)),
        ongoing=ongoing,
        offered=offered,
        declined=declined,
        pending=pending,
        exceptions=exceptions,
        timely=round(timely_rate * (completed - exceptions)),
    )


def generate(episodes: int, councils: int = 1, years: int = 10, seed: int = 0) -> Extracts:
    """Benchmark extracts: `episodes` episodes over `years` years ending 2026-27 Q1 (plus
    1-10 July 2026, extract taken 14 July 2026), children spread over `councils` councils'
    worth of caseload, RHI rows in about the sample's proportions. Deterministic for a seed."""
    if episodes < 1 or councils < 1 or years < 1:
        raise ValueError("episodes, councils and years must all be at least 1")
    rng = np.random.default_rng(seed)
    plans = _scale_plans(rng, episodes, years)
    n_blocks = len(plans)
    # Each child can go missing during a window of eight quarters (two years); the pool is
    # sized so about 40% of the children active in a quarter go missing in it.
    per_quarter = max(1.0, episodes / (4 * years) / 1.8)
    size = max(councils * 20, int(np.ceil(per_quarter * 2.5 * (n_blocks + 7) / 8)))
    active_from = rng.integers(-7, n_blocks, size)
    active_to = active_from + 7
    block_starts = np.array([p.segments[0][0] for p in plans], dtype="datetime64[m]")
    first_start = block_starts[active_from.clip(0, n_blocks - 1)]
    pool = _make_pool(rng, size, councils, active_from, active_to, first_start)
    return _assemble(rng, pool, plans, np.datetime64(AS_AT, "m"), 0, sample_quirks=False)


# --- Writing the files ------------------------------------------------------------------------


def _uk(values: pd.Series, with_time: bool) -> np.ndarray:
    """`dd/mm/yyyy HH:MM` (or `dd/mm/yyyy`) strings, "" for NaT, built without strftime so a
    million rows take well under a second."""
    raw = values.to_numpy(dtype="datetime64[m]")
    missing = np.isnat(raw)
    stamps = np.where(missing, np.datetime64("2000-01-01T00:00", "m"), raw)
    days = stamps.astype("datetime64[D]")
    month_start = days.astype("datetime64[M]")
    year = days.astype("datetime64[Y]").astype(np.int64) + 1970
    month = month_start.astype(np.int64) % 12 + 1
    day = (days - month_start.astype("datetime64[D]")).astype(np.int64) + 1
    minutes = (stamps - days).astype(np.int64)
    parts = [_digits(day, 2), _digits(month, 2), _digits(year, 4)]
    if with_time:
        parts += [_digits(minutes // 60, 2), _digits(minutes % 60, 2)]
    pieces = []
    for part, sep in zip(parts, "// ::", strict=False):
        pieces += [part, np.full((len(raw), 1), ord(sep), dtype=np.uint8)]
    chars = np.concatenate(pieces[: 2 * len(parts) - 1], axis=1)
    width = chars.shape[1]
    text = chars.view(f"S{width}").ravel().astype(f"U{width}")
    return np.where(missing, "", text)


def _for_csv(
    frame: pd.DataFrame, datetimes: tuple[str, ...], dates: tuple[str, ...]
) -> pd.DataFrame:
    out = frame.copy()
    for name in datetimes:
        out[name] = _uk(frame[name], with_time=True)
    for name in dates:
        out[name] = _uk(frame[name], with_time=False)
    return out.fillna("")


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a local extract as Excel saves CSV: UTF-8 with BOM, CRLF, UK dates."""
    if "Missing Start Date" in frame.columns:
        text = _for_csv(frame, EPISODE_DATETIMES, EPISODE_DATES)
    else:
        text = _for_csv(frame, INTERVIEW_DATETIMES, ())
    text.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")


def write_interviews_xlsx(frame: pd.DataFrame, path: Path) -> None:
    """Write the interviews extract as a workbook with one sheet `RHI`, timestamps as real
    Excel dates (`dd/mm/yyyy hh:mm`), byte-identical on every run: the document dates are
    fixed to the extract date and the zip entries to 1980-01-01. xlsxwriter writes cell by
    cell, so for millions of rows use CSV instead."""
    import xlsxwriter  # only needed for this writer

    book = xlsxwriter.Workbook(
        str(path),
        {
            # In memory, every zip entry gets the fixed date 1980-01-01 and no file mode, so
            # the bytes do not depend on the clock, the time zone or the umask.
            "in_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    book.set_properties(
        {"title": "RHI extract (synthetic)", "author": "rhi-report", "created": AS_AT}
    )
    sheet = book.add_worksheet("RHI")
    stamp = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    sheet.write_row(0, 0, list(frame.columns))
    for col, name in enumerate(frame.columns):
        series = frame[name]
        present = np.flatnonzero(series.notna().to_numpy())
        if name in INTERVIEW_DATETIMES:
            stamps = series.to_numpy(dtype="datetime64[us]").astype(object)  # datetime objects
            sheet.set_column(col, col, 17)
            for r in present:
                sheet.write_datetime(int(r) + 1, col, stamps[r], stamp)
        else:
            values = series.to_numpy(dtype=object)
            sheet.set_column(col, col, max(12, len(name) + 2))
            for r in present:
                sheet.write_string(int(r) + 1, col, str(values[r]))
    book.close()


def write(
    extracts: Extracts, out: Path, interviews_format: Literal["xlsx", "csv"] = "xlsx"
) -> tuple[Path, Path]:
    """Write `episodes.csv` and `interviews.xlsx` (or `.csv`) into `out`; return both paths."""
    out.mkdir(parents=True, exist_ok=True)
    episodes_path = out / "episodes.csv"
    write_csv(extracts.episodes, episodes_path)
    interviews_path = out / f"interviews.{interviews_format}"
    if interviews_format == "xlsx":
        write_interviews_xlsx(extracts.interviews, interviews_path)
    else:
        write_csv(extracts.interviews, interviews_path)
    return episodes_path, interviews_path


__all__ = [
    "AS_AT",
    "EPISODE_HEADERS",
    "INTERVIEW_HEADERS",
    "SAMPLE_PLANS",
    "BlockPlan",
    "Extracts",
    "generate",
    "sample",
    "write",
    "write_csv",
    "write_interviews_xlsx",
]
