"""Disclosure control: the one stage that decides which figures the public may see.

`disclose` runs once, in `pipeline.run`, after analysis and before rendering. It receives
every figure any output will publish (the metrics table with numerators and denominators,
every breakdown cell and total, the monthly series behind the control charts) and returns a
`Disclosure`: a decision per quantity, keyed as `metric_key`, `cell_key`, `total_key` and
`month_key` say. Renderers (view, workbook, CSVs) and the narrative only read those
decisions (`Disclosure.metric_withheld`, `breakdown_mask`, `monthly_mask`, `count`, ...);
none of them suppresses anything itself, so one quantity gets one decision wherever it
appears. Nothing here changes a number.

The internal audience sees every figure (nothing withheld), and a threshold of 0 or 1 turns
suppression off. Rules for the public audience (metrics.md, "Presentation rules", and
docs/privacy.md):

1. Primary: a count from 1 to threshold - 1 is withheld. Zero is shown, so a reader knows
   a withheld count is at least 1.
2. A quantity is withheld everywhere it is printed: the metrics row, the breakdown cell and
   the month that print it all show `[c]` (one decision per quantity). A rate or median row
   is withheld when any count it prints is.
3. Secondary (`protect`): against every relation of `pipeline.metrics.relations` (sums,
   equalities between tables, bounds), complementary figures are withheld, cheapest first
   (`loss_class`), until no relation gives a withheld figure away on its own.
4. A difference of two published counts of which one contains the other (completed less
   independent, within 72 hours less face to face within 72 hours: `Model.differ`) is a
   count too, printed nowhere: one from 1 to threshold - 1 is protected like a primary
   count. A median on fewer than `median_minimum` values is withheld.
5. Per-practitioner workload is internal only (`INTERNAL_ONLY`); a control chart publishes
   no mean, limits or signals worked out from a withheld month (`spc_key`); a breakdown note
   that quotes a figure the reader may not see is replaced (`Disclosure.note`).

The tests attack the public outputs with linear programs over the same relations
(`tests/disclosure_audit.py`); docs/privacy.md gives what they find.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from pipeline.metrics import present

# ----------------------------------------------------------------------------------------
# The decisions: what renderers read

# A quantity is named by a tuple of text: its kind, then what identifies it.
Key = tuple[str, ...]

# The category name of a breakdown's total row (the sum of its categories, per cohort).
TOTAL = "total"


def metric_key(quarter: str, cohort: str, metric: str) -> Key:
    """The row of the metrics table for one quarter, cohort and metric (value, numerator and
    denominator are published or withheld together)."""
    return ("metric", quarter, cohort, metric)


def cell_key(breakdown: str, category: str, cohort: str) -> Key:
    """One count of a breakdown of the reported quarter."""
    return ("cell", breakdown, category, cohort)


def total_key(breakdown: str, cohort: str) -> Key:
    """The total row of an additive breakdown, for one cohort column."""
    return ("cell", breakdown, TOTAL, cohort)


def month_key(month: str, column: str) -> Key:
    """One month's figure of a monthly series column (e.g. `episodes`, `rhi_timely_rate`)."""
    return ("month", month, column)


def capacity_key(row: str, place: str) -> Key:
    """One share of the capacity replay (pipeline.analysis.capacity): `row` is an option's id
    or "actual", `place` one of in_county, out_of_county, all. ("capacity", "wanted", "all")
    and ("capacity", "exceptions", "all") are the replay's own counts."""
    return ("capacity", row, place)


def spc_key(series: str) -> Key:
    """The mean, process limits and signals of one control chart."""
    return ("spc", series)


@dataclass(frozen=True)
class Disclosure:
    """The disclosure decisions of one run: which quantities the audience may not see.

    `withheld` holds the keys of withheld quantities (see `metric_key` and the others);
    `internal_only` the IDs of breakdowns no public output shows at all (per-practitioner
    workload); `notes` the public note of each breakdown whose own note quotes a figure.
    Every method is a question a renderer asks; none changes a number.
    """

    audience: str
    threshold: int
    withheld: frozenset[Key] = frozenset()
    internal_only: frozenset[str] = frozenset()
    notes: Mapping[str, str] = field(default_factory=dict)
    left_out: frozenset[tuple[str, str]] = frozenset()

    @property
    def public(self) -> bool:
        """True when disclosure control applies (public audience, threshold above 1)."""
        return is_public(self.audience, self.threshold)

    def withholds(self, key: Key) -> bool:
        """True when the quantity named by `key` is shown as `[c]`."""
        return key in self.withheld

    def metric_withheld(self, quarter: str, cohort: str, metric: str) -> bool:
        """True when the metrics row is withheld (its value, numerator and denominator)."""
        return metric_key(quarter, cohort, metric) in self.withheld

    def flags(self, metrics: pd.DataFrame) -> pd.DataFrame:
        """The metrics table with its boolean `suppressed` column set from the decisions."""
        out = metrics.copy()
        keys = zip(out["quarter"], out["cohort"], out["metric"], strict=True)
        out["suppressed"] = [self.metric_withheld(str(q), str(c), str(m)) for q, c, m in keys]
        out["suppressed"] = out["suppressed"].astype(bool)
        return out

    def publishes(self, breakdown: Any) -> bool:
        """True when the audience may see the breakdown at all (not internal only, and not
        every one of its columns left out)."""
        if self.public and breakdown.id in self.internal_only:
            return False
        columns = count_columns(breakdown.frame)
        return not columns or any(not self.column_left_out(breakdown, c) for c in columns)

    def column_left_out(self, breakdown: Any, column: str) -> bool:
        """True when a breakdown's cohort column is not published at all: every cell of it
        would need protecting by withholding a figure the cost order keeps (docs/privacy.md)."""
        return self.public and (breakdown.id, column) in self.left_out

    def published(self, breakdowns: Iterable[Any]) -> list[Any]:
        """The breakdowns the audience may see, in their order (sheets are numbered by it),
        each without the columns left out."""
        out = []
        for b in breakdowns:
            if not self.publishes(b):
                continue
            gone = [c for c in count_columns(b.frame) if self.column_left_out(b, c)]
            out.append(_without_columns(b, gone) if gone else b)
        return out

    def breakdown_mask(self, breakdown: Any) -> pd.DataFrame:
        """True where a breakdown's count is withheld: indexed like its frame, one column per
        count column."""
        frame = breakdown.frame
        columns = count_columns(frame)
        grid = [
            [cell_key(breakdown.id, str(cat), col) in self.withheld for col in columns]
            for cat in frame["category"].tolist()
        ]
        return pd.DataFrame(grid, index=frame.index, columns=columns, dtype=bool)

    def total_withheld(self, breakdown: Any, cohort: str) -> bool:
        """True when a breakdown's total row is withheld for `cohort`."""
        return total_key(breakdown.id, cohort) in self.withheld

    def note(self, breakdown: Any) -> str:
        """The breakdown's note as this audience may read it, saying which of its columns
        are left out and why."""
        if self.public and breakdown.id in self.notes:
            text = self.notes[breakdown.id]
        else:
            text = getattr(breakdown, "note", "") or ""
        # Asked of the breakdown as published (its columns left out already) or as counted.
        gone = [c for b, c in sorted(self.left_out) if b == breakdown.id] if self.public else []
        if gone:
            names = " and ".join(LEFT_OUT_NAMES.get(c, c) for c in gone)
            text = (text + " " if text else "") + (
                f"The column for {names} is left out of this table: its figures are small, "
                "or would let small numbers be worked out, and could identify a child."
            )
        return text

    def monthly_mask(self, monthly: pd.DataFrame) -> pd.DataFrame:
        """True where a month's figure is withheld: indexed like `monthly`, one column per
        series column other than `month`."""
        columns = [c for c in monthly.columns if c != "month"]
        grid = [
            [month_key(str(m), col) in self.withheld for col in columns]
            for m in monthly["month"].astype("str").tolist()
        ]
        return pd.DataFrame(grid, index=monthly.index, columns=columns, dtype=bool)

    def spc_withheld(self, series: str) -> bool:
        """True when a control chart's mean, limits and signals are withheld (they would be
        worked out from withheld months)."""
        return spc_key(series) in self.withheld

    def spc_result(self, series: str, result: Any) -> Any:
        """A control chart's result as the audience may see it: unchanged, or, when its
        limits are withheld, with no mean, limits or signals (only the values remain)."""
        if result is None or not self.spc_withheld(series):
            return result
        import copy
        import dataclasses

        n = len(result.values)
        blank = np.full(n, np.nan)
        none = np.zeros(n, dtype=bool)
        changes = dict(
            mean=blank,
            lower=blank,
            upper=blank,
            outside=none,
            run=none,
            trend=none,
            two_of_three=none,
            special=none,
            point_type=("common_cause",) * n,
            variation=None,
            assurance=None,
            text={"limits": WITHHELD_LIMITS},
        )
        if dataclasses.is_dataclass(result):
            return dataclasses.replace(result, **changes)
        clone = copy.copy(result)  # a stand-in with the same attributes (tests)
        for name, value in changes.items():
            setattr(clone, name, value)
        return clone

    def count(self, key: Key, value: float | int | None) -> str:
        """A count as the reader sees it: '1,234', '' when blank, '[c]' when withheld."""
        return present.count(value, suppressed=self.withholds(key))


def _without_columns(breakdown: Any, columns: Sequence[str]) -> Any:
    """A copy of a breakdown without some of its count columns."""
    import copy
    import dataclasses

    frame = breakdown.frame.drop(columns=list(columns))
    if dataclasses.is_dataclass(breakdown):
        return dataclasses.replace(breakdown, frame=frame)
    clone = copy.copy(breakdown)
    clone.frame = frame
    return clone


# How a note names a cohort column that is left out.
LEFT_OUT_NAMES = {
    "all": "all children",
    "looked_after_in_area": "children placed in county",
    "looked_after_out_of_area": "children placed out of county",
    "not_looked_after": "children not looked after",
}


# What a control chart says instead of its limits when they are withheld.
WITHHELD_LIMITS = (
    "No mean, process limits or signals are published for this chart, because they would be "
    "worked out from the months withheld."
)


def nothing_withheld(audience: str, threshold: int) -> Disclosure:
    """The decisions when nothing is withheld (the internal audience)."""
    return Disclosure(audience, threshold)


# Breakdowns no public output shows: per-practitioner workload identifies members of staff
# in a small team.
INTERNAL_ONLY = frozenset({"interviews_per_practitioner"})


def disclose(
    metrics: pd.DataFrame,
    breakdowns: Sequence[Any],
    monthly: pd.DataFrame | None,
    *,
    quarter: str,
    audience: str,
    threshold: int,
    registry: Any = None,
    capacity: Any = None,
    repeat_threshold: int = 3,
    independent_roles: Sequence[str] = ("independent_practitioner", "host_authority_practitioner"),
    headline_target: str = "rhi_target_met_rate",
) -> Disclosure:
    """The disclosure stage: one decision for every quantity any output publishes.

    `metrics` is the metrics table (a `suppressed` column it carries, e.g. in tests, is kept
    as decided and protected further); `breakdowns` are the reported `quarter`'s; `monthly`
    is the monthly series behind the control charts (or None); `headline_target` is the
    config's `headline_target_metric` (the other timeliness rate is withheld first). The
    relations are
    `pipeline.metrics.relations`'; `protect` chooses what to withhold.
    """
    if not is_public(audience, threshold):
        return nothing_withheld(audience, threshold)
    from pipeline.metrics.relations import build_model

    specs = _specs(registry)
    shown = [b for b in breakdowns if b.id not in INTERNAL_ONLY]
    model = build_model(
        metrics.drop(columns="suppressed", errors="ignore"),
        shown,
        monthly,
        quarter=quarter,
        registry=specs,
        repeat_threshold=repeat_threshold,
        independent_roles=independent_roles,
        capacity=capacity,
    )
    decided: set[Key] = set()
    if "suppressed" in metrics.columns:
        flagged = metrics[metrics["suppressed"].astype(bool)]
        wanted = set(zip(flagged["quarter"], flagged["cohort"], flagged["metric"], strict=True))
        for p, row in model.rows.items():
            if row in wanted:
                decided.update(model.places[p])
    withheld_counts, left_out = protection(
        model, threshold, decided=decided, headline_target=headline_target
    )
    hidden = hidden_quantities(model, withheld_counts)
    withheld: set[Key] = set()
    for p, row in model.rows.items():
        if any(k in withheld_counts for k in model.places[p]):
            withheld.add(metric_key(*row))
    # A metrics row that prints no count (a median with no n) follows nothing; rows of a
    # count the model does not hold stay shown.
    withheld.update(k for k in withheld_counts if k[0] == "cell")
    if monthly is not None and not monthly.empty:
        withheld.update(_monthly_decisions(monthly, withheld_counts))
    withheld |= small_medians(metrics, threshold)
    if capacity is not None:
        # A capacity share is withheld when a count it prints is (the linear programs
        # protect the counts behind it like any other).
        for place in model.places:
            if place[0][0] == "capacity_n" and any(k in withheld_counts for k in place):
                withheld.add(capacity_key(CAPACITY_SHARES[place[0][1]], place[0][2]))
        withheld |= capacity_withheld(capacity, withheld, quarter=quarter, threshold=threshold)
    notes = _public_notes(shown, hidden, quarter)
    return Disclosure(
        audience,
        threshold,
        frozenset(withheld),
        frozenset(INTERNAL_ONLY),
        notes,
        frozenset(left_out),
    )


# The capacity share (`capacity_key`'s row) that prints each count of the capacity replay.
CAPACITY_SHARES = {
    "actual_timely": "actual",
    "actual_wanted": "actual",
    "non_engagement": "non_engagement",
}


def median_minimum(threshold: int) -> int:
    """The fewest values a published median may rest on: twice the threshold (10 by default).

    A median of n values is the middle child's own time (or the mean of the middle two); on
    a handful of interviews it says how long one identifiable child waited, and a reader
    who knows some of the children narrows the rest. Output-checking practice asks for
    medians, like means, to rest on at least 10 people (UK Longitudinal Linkage
    Collaboration, statistical disclosure control rules, where 10 is also the count
    threshold); here the count threshold is 5, and twice it keeps a median on fewer than 10
    values out of print (docs/privacy.md)."""
    return 2 * threshold


def small_medians(metrics: pd.DataFrame, threshold: int) -> set[Key]:
    """The median rows to withhold: those whose n is from 1 to `median_minimum` - 1.
    Withholding a median row only hides figures (its n may be shown elsewhere), so no other
    figure's protection changes: a median is in no relation."""
    least = median_minimum(threshold)
    out: set[Key] = set()
    medians = metrics[metrics["metric"].astype("str").str.startswith("median_")]
    for q, c, m, n in zip(
        medians["quarter"].astype("str"),
        medians["cohort"].astype("str"),
        medians["metric"].astype("str"),
        medians["denominator"].astype("float64"),
        strict=True,
    ):
        if not np.isnan(n) and 0 < n < least:
            out.add(metric_key(q, c, m))
    return out


def hidden_quantities(model: Any, withheld: Collection[Key]) -> set[Key]:
    """The quantities a reader cannot see: the withheld ones, and any whose every place shows
    `[c]` (a rate's numerator printed only beside its withheld denominator)."""
    shown_places = [p for p in model.places if not any(k in withheld for k in p)]
    visible = {k for p in shown_places for k in p}
    return set(model.values) - visible


def _monthly_decisions(monthly: pd.DataFrame, withheld: Collection[Key]) -> set[Key]:
    """Month keys of the series columns (a rate goes with its counts) and the control charts
    whose mean and limits would be worked out from a withheld month."""
    from pipeline.metrics.relations import MONTH_RATES

    out: set[Key] = set()
    months = monthly["month"].astype("str").tolist()
    for m in months:
        for col in monthly.columns:
            if col == "month":
                continue
            parts = MONTH_RATES.get(col, (col,))
            if any(("month", m, part) in withheld for part in parts):
                out.add(month_key(m, col))
    for col in monthly.columns:
        if any(month_key(m, col) in out for m in months):
            out.add(spc_key(col))
    return out


def _public_notes(
    breakdowns: Sequence[Any], hidden: Collection[Key], quarter: str
) -> dict[str, str]:
    """Breakdown notes that quote a figure the reader may not see, without the figure."""
    notes: dict[str, str] = {}
    for b in breakdowns:
        if b.id == "repeat_children" and ("n", quarter, "all", "children_repeat") in hidden:
            notes[b.id] = (
                "Children with more episodes than the repeat threshold are counted in the "
                "metrics table; their number is withheld this quarter."
            )
        quoted = (("cell", b.id, TOTAL, "all"), ("n", quarter, "all", "rhi_due"))
        if (
            b.id == "duration_bands"
            and "left out" in (b.note or "")
            and any(k in hidden for k in quoted)
        ):
            notes[b.id] = (
                "Episodes that have ended, by time from start to return. Episodes with "
                "inconsistent times are left out; how many is withheld."
            )
    return notes


# The cohort whose timeliness denominator is the capacity replay's "actual" base, by place.
_CAPACITY_COHORT = {"out_of_county": "looked_after_out_of_area", "all": "all"}


def capacity_withheld(
    capacity: Any, withheld: Collection[Key], *, quarter: str, threshold: int
) -> set[Key]:
    """The capacity replay's withheld shares (public audience): a share whose numerator or
    denominator is a count from 1 to threshold - 1 (rule 2), and an actual share whose base
    is the denominator of a withheld timeliness rate (the same completed interviews)."""

    def small(*counts: int) -> bool:
        return any(0 < c < threshold for c in counts)

    out: set[Key] = set()
    rows = [(r.option.id, r.timely, r.wanted) for r in capacity.options]
    rows.append(("actual", capacity.actual.timely, capacity.actual.wanted))
    for row, timely, wanted in rows:
        for place in wanted:
            if small(timely[place], wanted[place]):
                out.add(capacity_key(row, place))
    for place, cohort in _CAPACITY_COHORT.items():
        if metric_key(quarter, cohort, "rhi_timely_rate") in withheld:
            out.add(capacity_key("actual", place))
    # In county is all minus out of county: withhold it with either.
    if {capacity_key("actual", "all"), capacity_key("actual", "out_of_county")} & out:
        out.add(capacity_key("actual", "in_county"))
    returns = capacity.returns
    non_engaged = round(returns.non_engagement_rate * returns.due)
    counts = (
        ("wanted", capacity.current.wanted["all"]),
        ("exceptions", returns.exceptions),
        ("non_engagement", non_engaged),
    )
    for name, count in counts:
        if small(count):
            out.add(capacity_key(name, "all"))
    # The decline rate the replay uses is the quarter's published rhi_decline_rate.
    if metric_key(quarter, "all", "rhi_decline_rate") in withheld:
        out.add(capacity_key("decline", "all"))
    return out


# Columns of a breakdown frame that are not counts.
BREAKDOWN_KEYS = ("category", "label")


def is_public(audience: str, threshold: int) -> bool:
    """True when disclosure control applies: the public audience with a threshold above 1."""
    if audience not in ("public", "internal"):
        raise ValueError(f"unknown audience {audience!r}; expected public or internal")
    return audience == "public" and threshold > 1


@dataclass(frozen=True)
class _Spec:
    """What disclosure needs to know of a metric: its kind and the metrics it is built on."""

    id: str
    kind: str
    numerator: str | None
    denominator: str | None


def _specs(registry: Any) -> dict[str, _Spec]:
    """Read a registry (a mapping of ID to spec, or an iterable of specs) into `_Spec`s."""
    if registry is None:
        from pipeline.metrics.registry import REGISTRY

        registry = REGISTRY
    items = registry.values() if isinstance(registry, Mapping) else registry
    out: dict[str, _Spec] = {}
    for spec in items:
        out[spec.id] = _Spec(
            spec.id,
            spec.kind,
            getattr(spec, "numerator", None) or None,
            getattr(spec, "denominator", None) or None,
        )
    return out


def count_columns(frame: pd.DataFrame) -> list[str]:
    """A breakdown frame's count columns: every column but `category` and `label`."""
    return [c for c in frame.columns if c not in BREAKDOWN_KEYS]


# ----------------------------------------------------------------------------------------
# Secondary suppression against every relation

# What a withheld figure costs the reader, lowest first: complementary cells are taken from
# the cheapest class first (then the smallest figure, then key order, so the choice is
# deterministic). Pending, other, not recorded and the like go first; completed interviews,
# timeliness, mode and independence later; the headline counts for all children last.
LOW_LOSS = frozenset(
    {
        "rhi_pending",
        "episodes_ongoing",
        "pending",
        "other",
        "not_recorded",
        "other_practitioners",
        "looked_after_area_not_recorded",
        "unknown",
    }
)
VALUED = frozenset(
    {
        "rhi_completed",
        "completed",
        "in_timeliness",
        "target_met",
        "face_to_face",
        "independent",
        "independent_practitioner",
        "host_authority_practitioner",
        "T",
        "rhi_target_met",
        # The out-of-county section quotes the returns not offered because of the placement.
        "out_of_area",
        "timely",
        "rhi_timely",
    }
)
# The two timeliness rates: whichever is not the council's headline target
# (`headline_target_metric`) is context for the other. When the two differ by a small count
# (interviews within the timescale by telephone or video), the context one goes first: its
# counts (quarter, month) are class 1, and its row for all children class 3.
TIMELINESS = {
    "rhi_target_met_rate": ("target_met", "rhi_target_met"),
    "rhi_timely_rate": ("timely", "rhi_timely"),
}


def context_of(headline_target: str) -> tuple[str, frozenset[str]]:
    """The timeliness rate that is context for the headline target, and its counts' names."""
    other = "rhi_timely_rate" if headline_target != "rhi_timely_rate" else "rhi_target_met_rate"
    return other, frozenset(TIMELINESS[other])


HEADLINE = frozenset({"episodes", "children", "rhi_due", "rhi_offered", "rhi_completed"})


def loss_class(key: Key, headline_target: str = "rhi_target_met_rate") -> int:
    """0 = withhold first (pending, other, unknown), 1 = ordinary and the context
    timeliness counts (`context_of`), 2 = completed, timely, face to face, independent,
    3 = headline counts for all children and the total rows."""
    _, context = context_of(headline_target)
    name = key[-1] if key[0] != "cell" else key[2]
    if key[0] == "capacity_n":
        # The replay's non-engagement rate is an assumption's wording; its actual shares a
        # calibration row: both go before the metrics' own figures.
        return 0 if key[1] == "non_engagement" else 1
    if key[0] == "n" and key[2] == "all" and name in HEADLINE:
        return 3
    if key[0] == "cell" and name == TOTAL:
        return 3
    if name in LOW_LOSS:
        return 0
    if name in context or (key[0] == "month" and key[2] in context):
        return 1
    if name in VALUED or (key[0] == "month" and key[2] in VALUED):
        return 2
    return 1


@dataclass
class _Problem:
    """The model as arrays: a quantity's index, value and places; relations as index lists."""

    keys: list[Key]
    values: np.ndarray
    places: list[tuple[int, ...]]
    places_of: list[list[int]]
    relations: list[tuple[np.ndarray, np.ndarray, bool]]  # indices, coefficients, exact
    relations_of: list[list[int]]


def _problem(model: Any) -> _Problem:
    keys = sorted(model.values)
    index = {k: i for i, k in enumerate(keys)}
    values = np.array([model.values[k] for k in keys], dtype="float64")
    places = [tuple(index[k] for k in place) for place in model.places]
    places_of: list[list[int]] = [[] for _ in keys]
    for p, place in enumerate(places):
        for i in place:
            places_of[i].append(p)
    relations = []
    relations_of: list[list[int]] = [[] for _ in keys]
    for r, rel in enumerate(model.relations):
        idx = np.array([index[k] for k, _ in rel.terms], dtype="int64")
        coef = np.array([c for _, c in rel.terms], dtype="float64")
        relations.append((idx, coef, rel.exact))
        for i in idx:
            relations_of[int(i)].append(r)
    return _Problem(keys, values, places, places_of, relations, relations_of)


def _hidden(problem: _Problem, withheld: np.ndarray) -> np.ndarray:
    """Quantities the reader cannot see: withheld ones, and any whose every place shows [c]
    (a rate's numerator is hidden with its withheld denominator)."""
    place_shown = np.array([not withheld[list(p)].any() for p in problem.places], dtype=bool)
    visible = np.array([any(place_shown[p] for p in ps) for ps in problem.places_of], dtype=bool)
    return ~visible


def protect(
    model: Any,
    threshold: int,
    *,
    decided: Collection[Key] = (),
    headline_target: str = "rhi_target_met_rate",
) -> set[Key]:
    """The quantities to withhold (see `protection`, which also gives the breakdown
    columns left out)."""
    return protection(model, threshold, decided=decided, headline_target=headline_target)[0]


def protection(
    model: Any,
    threshold: int,
    *,
    decided: Collection[Key] = (),
    headline_target: str = "rhi_target_met_rate",
) -> tuple[set[Key], set[tuple[str, str]]]:
    """The quantities to withhold, and the breakdown columns (breakdown ID, cohort column)
    left out of the public outputs altogether.

    Withheld: every count from 1 to threshold - 1 (primary), the `decided` ones, and
    complementary ones, so that no withheld figure can be worked out exactly and no primary
    one narrowed to an interval less than `threshold` wide, from everything shown and every
    relation of `pipeline.metrics.relations` at once. Two passes:

    1. One relation at a time (fast): a relation gives its withheld figures away when only
       one is withheld, when what is left for them equals the least they can be (zero is
       shown, so a withheld figure is at least 1), or when those around a primary figure can
       move by less than `threshold` between them.
    2. All relations at once (`pipeline.intervals`, linear programming, as the audit's
       attacker): every withheld figure's interval is worked out, and for one still too
       narrow a shown figure in a relation that holds it (one with a shadow price) is
       withheld too; repeated until every figure is safe.

    Each complementary figure is the cheapest candidate (`figure_costs`: class, then one that
    makes up the shortfall alone, the smallest such, else the largest; then key order, so
    the same inputs give the same cells). When the cheapest would cost a story or headline
    figure (class `LEAVE_OUT_FROM` or more) and what it would protect is a breakdown's cell,
    that cell's column is left out of the public outputs instead.
    """
    problem = _problem(model)
    values = problem.values.tolist()
    n = len(values)
    withheld = [1 <= v < threshold for v in values]
    primary = list(withheld)
    wanted = set(decided)
    for i, key in enumerate(problem.keys):
        if key in wanted:
            withheld[i] = True
    cost = figure_costs(model, problem, headline_target)
    made = getattr(model, "derived", set())
    derived = [k in made for k in problem.keys]
    rank = sorted(range(n), key=lambda i: (cost[i], values[i], problem.keys[i]))
    order = [0] * n
    for position, i in enumerate(rank):
        order[i] = position
    exact = [(idx.tolist(), coef.tolist()) for idx, coef, is_exact in problem.relations if is_exact]
    # Bounds that hold with equality (a median's n that is every completed interview): a
    # shown side equal to a withheld one shows it.
    tight = [
        (idx.tolist(), coef.tolist())
        for idx, coef, is_exact in problem.relations
        if not is_exact and abs(float(coef @ problem.values[idx])) < 1e-9
    ]
    hidden = _hidden(problem, np.array(withheld, dtype=bool)).tolist()
    shown_places = [not any(withheld[i] for i in p) for p in problem.places]

    def withhold(pick: int) -> None:
        # Every place printing `pick` now shows [c]; what was printed only there is hidden.
        withheld[pick] = True
        hidden[pick] = True
        for p in problem.places_of[pick]:
            if shown_places[p]:
                shown_places[p] = False
                for j in problem.places[p]:
                    if not hidden[j] and not any(shown_places[q] for q in problem.places_of[j]):
                        hidden[j] = True

    columns: dict[tuple[str, str], list[int]] = {}
    for i, key in enumerate(problem.keys):
        if key[0] == "cell":
            columns.setdefault((key[1], key[3]), []).append(i)
    left_out: set[tuple[str, str]] = set()
    dropped = [False] * n

    def leave_out(column: tuple[str, str]) -> None:
        # The column is not published at all: its figures are unknown to the reader (at
        # least 0, not 1) and need no protection of their own.
        left_out.add(column)
        for i in columns[column]:
            dropped[i] = True
            withheld[i] = False
            cells[i] = False
            hidden[i] = True
            for p in problem.places_of[i]:
                shown_places[p] = False

    def action(pick: int, protected: Sequence[int]) -> tuple[str, Any]:
        """Withhold `pick`, or, when that would cost a story or headline figure and what it
        protects is a breakdown's cell, leave that cell's column out instead."""
        if cost[pick] >= LEAVE_OUT_FROM:
            for i in protected:
                key = problem.keys[i]
                if key[0] == "cell" and withheld[i] and not dropped[i]:
                    return ("leave out", (key[1], key[3]))
        return ("withhold", pick)

    def act(pick: int, protected: Sequence[int]) -> None:
        kind, what = action(pick, protected)
        if kind == "leave out":
            leave_out(what)
        else:
            withhold(what)

    def close() -> None:
        """Withhold until no relation gives anything away on its own."""
        changed = True
        while changed:
            changed = False
            for idx, coef in exact:
                hid = [
                    (i, c) for i, c in zip(idx, coef, strict=True) if hidden[i] and not dropped[i]
                ]
                if not hid:
                    continue
                need = _shortfall(hid, values, withheld, primary, threshold, cells)
                if need <= 0:
                    continue
                shown = [i for i in idx if not hidden[i] and values[i] > 0]
                if not shown:
                    continue
                pick = min(shown, key=lambda i: _preference(i, need, cost, values, order))
                act(pick, [i for i, _ in hid if primary[i]] or [i for i, _ in hid])
                changed = True

    cells = [any(len(problem.places[p]) == 1 for p in problem.places_of[i]) for i in range(n)]
    close()
    while True:
        added = False
        for idx, coef in tight:
            bigger = [i for i, c in zip(idx, coef, strict=True) if c > 0]
            smaller = [i for i, c in zip(idx, coef, strict=True) if c < 0]
            if len(bigger) == 1 and len(smaller) == 1:
                big, small = bigger[0], smaller[0]
                if hidden[big] != hidden[small] and values[big] > 0:
                    withhold(small if hidden[big] else big)
                    added = True
        if not added:
            break
        close()
    # What one relation at a time misses, linear programming over all of them finds: check
    # every withheld figure's interval, and protect the ones still pinned down.
    # Withholding more only widens what the withheld figures can be, so a figure found safe
    # stays safe, unless a figure hidden beside a withheld one (at least 0) is withheld in its
    # own right (at least 1): then every figure is checked again.
    safe: set[int] = set()
    risen: set[int] = set()
    for _ in range(MAX_ROUNDS):
        picks: list[tuple[str, Any]] = []
        unsafe = _unsafe(problem, withheld, hidden, primary, cells, threshold, safe, risen, derived)
        risen.clear()
        for group, failures in unsafe:
            # One complementary figure for each unsafe figure (the same one may serve two).
            for failure in failures:
                pick = _complement(problem, failure, hidden, cost, order, values, group)
                if pick is not None:
                    chosen = action(pick, [failure[0]])
                    if chosen not in picks:
                        picks.append(chosen)
        if not picks:
            break
        before = [hidden[i] and not withheld[i] and cells[i] for i in range(n)]
        for kind, what in picks:
            if kind == "leave out" and what not in left_out:
                leave_out(what)
            elif kind == "withhold" and not hidden[what]:
                withhold(what)
        close()
        risen.update(i for i, b in enumerate(before) if b and withheld[i])
    return {problem.keys[i] for i in range(n) if withheld[i]}, left_out


# The most rounds of complementary figures the linear-programming check adds (each round
# adds one per linked group still unsafe); reached only if something is badly wrong.
MAX_ROUNDS = 200


def _groups(problem: _Problem, hidden: Sequence[bool]) -> list[tuple[list[int], list[int]]]:
    """The linked groups of hidden figures: each group's figures and the relations linking
    them (a relation with a hidden figure in two groups would join them)."""
    n = len(problem.keys)
    parent = list(range(n))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    touching: list[int] = []
    for r, (idx, _, _) in enumerate(problem.relations):
        members = [int(i) for i in idx if hidden[int(i)]]
        if not members:
            continue
        touching.append(r)
        root = find(members[0])
        for other in members[1:]:
            o = find(other)
            if o != root:
                parent[o] = root
    members_of: dict[int, list[int]] = {}
    for i in range(n):
        if hidden[i]:
            members_of.setdefault(find(i), []).append(i)
    rels_of: dict[int, list[int]] = {}
    for r in touching:
        first = next(int(i) for i in problem.relations[r][0] if hidden[int(i)])
        rels_of.setdefault(find(first), []).append(r)
    return [(members_of[root], rels_of.get(root, [])) for root in sorted(members_of)]


def _unsafe(
    problem: _Problem,
    withheld: Sequence[bool],
    hidden: Sequence[bool],
    primary: Sequence[bool],
    cells: Sequence[bool],
    threshold: int,
    safe: set[int],
    risen: set[int],
    derived: Sequence[bool],
) -> list[tuple[list[int], list[tuple[int, list[int], float]]]]:
    """Each linked group with withheld figures an attacker can still pin down: the figures,
    with the relations that hold each one (where a complementary figure would help).

    A withheld figure printed alone (a count, a cell, a month) is at least 1; its whole-number
    interval must be at least 1 wide, and `threshold` wide for a primary one. Figures found
    safe are added to `safe` and not checked again.
    """
    from pipeline.intervals import NotSolved, Polytope, Row

    out = []
    values = problem.values
    for members, rels in _groups(problem, hidden):
        floors = [1.0 if withheld[i] and cells[i] and values[i] >= 1 else 0.0 for i in members]
        # A figure whose floor rose (hidden, now withheld) narrows its group: check it all.
        again = not risen.isdisjoint(members)
        # Checked: every figure shown as [c] on its own, and every small count printed
        # nowhere that a reader would work out by subtraction (`Model.differ`).
        checked = [
            k
            for k, i in enumerate(members)
            if (floors[k] == 1.0 or (primary[i] and derived[i])) and (again or i not in safe)
        ]
        if not checked:
            continue
        local = {i: k for k, i in enumerate(members)}
        rows = []
        for r in rels:
            idx, coef, exact = problem.relations[r]
            terms: dict[int, float] = {}
            constant = 0.0
            for i, c in zip(idx.tolist(), coef.tolist(), strict=True):
                if i in local:
                    terms[local[i]] = terms.get(local[i], 0.0) + c
                else:
                    constant += c * values[i]
            rows.append(Row(terms, constant, exact))
        failures = []
        try:
            region = Polytope(floors, rows)
        except NotSolved:
            region = None
        for k in checked:
            i = members[k]
            need = threshold if primary[i] else 1
            if region is None:
                failures.append((i, list(rels)))
                continue
            try:
                low = math.ceil(region.low(k) - 1e-6)
                holding = region.binding() if low > floors[k] else []
                high = region.high(k, enough=low + need)
                if high == math.inf or math.floor(high + 1e-6) - low >= need:
                    safe.add(i)
                    continue
                holding = holding + region.binding()
                short = float(need - (math.floor(high + 1e-6) - low))
            except NotSolved:
                holding = list(range(len(rels)))
                short = float(need)
            failures.append((i, sorted({rels[r] for r in holding}), short))
        if failures:
            out.append((members, failures))
    return out


def _complement(
    problem: _Problem,
    failure: tuple[int, list[int], float],
    hidden: Sequence[bool],
    cost: Sequence[int],
    order: Sequence[int],
    values: Sequence[float],
    group: Sequence[int],
) -> int | None:
    """The figure to withhold next for an unsafe figure of a linked group: a shown figure in
    a relation that holds it (else in any relation of the group), from the cheapest
    class (`figure_costs`); within it one that gives enough room on its own (the smallest),
    else the largest."""
    _, holding, short = failure
    for relations in (holding, sorted({r for i in group for r in problem.relations_of[i]})):
        shown = {
            int(i)
            for r in relations
            for i in problem.relations[r][0]
            if not hidden[int(i)] and values[int(i)] > 0
        }
        if shown:
            return min(shown, key=lambda i: _preference(i, short, cost, values, order))
    return None


def _preference(
    i: int, short: float, cost: Sequence[int], values: Sequence[float], order: Sequence[int]
) -> tuple:
    """How a candidate complementary figure ranks (lowest first): its cost class, then one
    that makes up the shortfall `short` on its own (the smallest such), else the largest."""
    enough = values[i] - 1 >= short
    return (cost[i], not enough, values[i] if enough else -values[i], order[i])


# Withholding a figure of this class or above (the out-of-county story, totals, headline
# figures) to protect a breakdown's cell is dearer than leaving the cell's column out.
LEAVE_OUT_FROM = 3


# Metrics rows the summary's tiles and key messages quote for all children: a figure printed
# in one is withheld last of all.
HEADLINE_ROWS = frozenset(
    {
        "episodes",
        "children",
        "children_repeat",
        "rhi_due",
        "rhi_offered",
        "rhi_completed",
        "rhi_offered_rate",
        "rhi_completed_rate",
        "rhi_timely_rate",
        "rhi_target_met_rate",
        "rhi_face_to_face_rate",
        "rhi_independent_rate",
    }
)
# The out-of-county story (issue #12): what the public section states for children placed
# out of county is kept before other cohorts' figures.
STORY_COHORT = "looked_after_out_of_area"
STORY_ROWS = frozenset(
    {
        "rhi_offered",
        "rhi_completed",
        "rhi_offered_rate",
        "rhi_completed_rate",
        "rhi_timely_rate",
        "rhi_target_met_rate",
        "rhi_face_to_face_rate",
        "rhi_independent_rate",
    }
)


def row_class(row: tuple[str, str, str], headline_target: str = "rhi_target_met_rate") -> int:
    """What withholding a metrics row costs: 4 for a headline row for all children, 3 for
    the decline rate and the context timeliness rate (`context_of`) for all children and
    the out-of-county story's rows, else 0 (the figures it prints decide)."""
    _, cohort, metric = row
    if cohort == "all" and metric == context_of(headline_target)[0]:
        return 3
    if cohort == "all" and metric in HEADLINE_ROWS:
        return 4
    if cohort == "all" and metric == "rhi_decline_rate":
        return 3
    if cohort == STORY_COHORT and metric in STORY_ROWS:
        return 3
    return 0


def figure_costs(
    model: Any, problem: _Problem, headline_target: str = "rhi_target_met_rate"
) -> list[int]:
    """Each figure's cost class: its own (`loss_class`), or more when withholding it would
    blank a row that costs more (a rate's numerator blanks the rate)."""
    cost = [loss_class(k, headline_target) for k in problem.keys]
    for p, row in model.rows.items():
        weight = row_class(row, headline_target)
        if weight:
            for i in problem.places[p]:
                cost[i] = max(cost[i], weight)
    # Two names for one figure (a cell that is a metric's count) cost the same.
    pairs = [
        (int(idx[0]), int(idx[1]))
        for idx, coef, exact in problem.relations
        if exact and len(idx) == 2 and coef[0] == -coef[1]
    ]
    changed = True
    while changed:
        changed = False
        for a, b in pairs:
            if cost[a] != cost[b]:
                cost[a] = cost[b] = max(cost[a], cost[b])
                changed = True
    return cost


def _shortfall(
    terms: Sequence[tuple[int, float]],
    values: Sequence[float],
    withheld: Sequence[bool],
    primary: Sequence[bool],
    threshold: int,
    alone: Sequence[bool],
) -> float:
    """How much more room the hidden figures of one relation need (0 = enough).

    Hidden figures on both sides of a sum can grow together without limit; on one side they
    share what is left, each at least its floor (1 if shown as [c] on its own, 0 if hidden
    only beside a withheld figure or printed nowhere). Their room is what is left above the
    floors: it must be at least 1 for any withheld figure, and at least `threshold` around
    a primary one, so that it can be anywhere in a range `threshold` wide.
    """
    if len(terms) == 1:
        return 1.0 if withheld[terms[0][0]] else 0.0
    if len({c > 0 for _, c in terms}) > 1:
        return 0.0
    room = sum(abs(c) * (values[i] - (1.0 if withheld[i] and alone[i] else 0.0)) for i, c in terms)
    want = 1.0
    if any(primary[i] for i, _ in terms):
        want = float(threshold)
    if not any(withheld[i] for i, _ in terms):
        return 0.0
    return max(0.0, want - room)


__all__ = [
    "INTERNAL_ONLY",
    "TOTAL",
    "Disclosure",
    "Key",
    "cell_key",
    "count_columns",
    "disclose",
    "hidden_quantities",
    "is_public",
    "loss_class",
    "metric_key",
    "month_key",
    "nothing_withheld",
    "protect",
    "spc_key",
    "total_key",
]
