"""How the published figures are linked, as data: which add up to which, which equal which.

The disclosure stage (`pipeline.disclosure`) protects withheld figures against every relation
written here, and the audit tests attack the public outputs with the same relations. A reader
who knows how the figures are defined knows these relations, so every one of them is assumed
known:

- cohort additivity of episode-based counts: all = looked after + not looked after; looked
  after = in county + out of county (+ area not recorded). Children are not additive: a child
  can be in two cohorts, so child counts only give bounds;
- the funnel: episodes = ongoing + due; due = offered + not offered; offered = completed +
  declined + pending;
- each additive breakdown's total equals its metric (outcomes: due; modes: completed; ...),
  and its cohort columns add up like the cohorts;
- rate numerators equal breakdown cells or sums of them (face to face; independent = the
  independent roles' cells);
- the timeliness base: completed = within the base + agreed exceptions + exclusions;
- months add up to quarters, and the episodes-by-month table equals the monthly series;
- subsets and child counts give bounds (face to face <= completed; children <= episodes).

A relation is used when it holds in the run's figures: as an equation when both sides agree,
as a bound (total at least the sum of its parts) when the parts fall short (for example when
some looked-after episodes have no placement area). Trend rows are the metrics rows (the same
quantities), so they need no relation of their own.

Quantities are named by keys (tuples of text) like `pipeline.disclosure`'s: `("n", quarter,
cohort, name)` for a count behind the metrics table, `("cell", breakdown, category, cohort)`
for a breakdown count (category `total` for its total row) and `("month", month, column)`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

Key = tuple[str, ...]

# ---------------------------------------------------------------------------------------
# Relations among the counts of the metrics table (within one quarter)

# A total and the parts it is the sum of, within one quarter and cohort.
FUNNEL: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("episodes", ("episodes_ongoing", "rhi_due")),
    ("rhi_due", ("rhi_offered", "rhi_not_offered")),
    ("rhi_offered", ("rhi_completed", "rhi_declined", "rhi_pending")),
)

# A cohort and the cohorts it is the sum of (for counts of episodes).
COHORT_SUMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("all", ("looked_after", "not_looked_after")),
    ("looked_after", ("looked_after_in_area", "looked_after_out_of_area")),
)

# The counts behind a rate or median that are not metrics of their own, by the name the
# quantity goes by (one quantity can be part of two rates: T is the base of both timeliness
# rates).
RATE_PARTS: dict[tuple[str, str], str] = {
    ("rhi_timely_rate", "numerator"): "timely",
    ("rhi_timely_rate", "denominator"): "in_timeliness",
    ("rhi_target_met_rate", "numerator"): "target_met",
    ("rhi_target_met_rate", "denominator"): "in_timeliness",
    ("rhi_face_to_face_rate", "numerator"): "face_to_face",
    ("rhi_independent_rate", "numerator"): "independent",
    ("median_hours_return_to_notification", "denominator"): "n_return_to_notification",
    ("median_hours_notification_to_assignment", "denominator"): "n_notification_to_assignment",
    ("median_hours_assignment_to_completion", "denominator"): "n_assignment_to_completion",
    ("median_hours_return_to_completion", "denominator"): "n_return_to_completion",
}

# Counts of episodes, so each cohort's figure is the sum of its sub-cohorts'.
EPISODE_COUNTS = frozenset(
    {
        "episodes",
        "episodes_ongoing",
        "rhi_due",
        "rhi_offered",
        "rhi_not_offered",
        "rhi_declined",
        "rhi_completed",
        "rhi_pending",
        *RATE_PARTS.values(),
    }
)

# Counts of children: a child can be in two cohorts, so these add up across cohorts only
# when no child is counted twice (`Model.relate_if_equal`).
CHILD_COUNTS = frozenset({"children", "children_repeat"})

# (subset, superset): a count that can be no larger than another, within a quarter and cohort.
SUBSETS: tuple[tuple[str, str], ...] = (
    ("in_timeliness", "rhi_completed"),
    ("timely", "in_timeliness"),
    ("target_met", "timely"),
    ("target_met", "face_to_face"),
    ("face_to_face", "rhi_completed"),
    ("independent", "rhi_completed"),
    ("n_assignment_to_completion", "rhi_completed"),
    ("n_return_to_completion", "rhi_completed"),
    ("n_return_to_notification", "rhi_due"),
    ("n_notification_to_assignment", "rhi_due"),
    ("children", "episodes"),
    ("children_repeat", "children"),
)

# Containments whose difference is not protected (docs/privacy.md, "What a reader may still
# infer"): completed less the timeliness base is the interviews with an agreed exception
# (or left out for a missing time). Protecting it when it is 1 to 4, as it is in most
# quarters, withholds the timeliness rates of every cohort of the quarter, the council's
# target among them; the lead decides (issue #12).
UNPROTECTED: tuple[tuple[str, str], ...] = (("in_timeliness", "rhi_completed"),)

# (part, whole): counts of which one contains the other, within a quarter and cohort. A
# reader who sees both works out their difference by subtraction (independent of completed:
# the completed interviews not held by an independent worker), so the difference is a count
# of its own (`difference_name`), protected like any other: it must be 0 or at least the
# threshold, or one of the two withheld. Children and episodes are not such a pair (the
# difference is no count of children or episodes).
CONTAINS: tuple[tuple[str, str], ...] = (
    *(pair for pair in SUBSETS if pair not in (("children", "episodes"), *UNPROTECTED)),
    # Rate complements not written as subsets above.
    ("rhi_completed", "rhi_due"),
    ("rhi_declined", "rhi_offered"),
)


def difference_name(whole: str, part: str) -> str:
    """The name of the count `whole` less `part` (e.g. `rhi_completed-independent`)."""
    return f"{whole}-{part}"


# ---------------------------------------------------------------------------------------
# Relations between breakdowns (reported quarter) and the metrics

# The count of the metrics table that each additive breakdown's total equals, per column.
BREAKDOWN_TOTALS: dict[str, str] = {
    "episodes_by_month": "episodes",
    "episodes_by_type": "episodes",
    "age_bands": "episodes",
    "episodes_by_cohort": "episodes",
    "repeat_children": "children",
    "rhi_outcomes": "rhi_due",
    "not_offered_reasons": "rhi_not_offered",
    "declined_by": "rhi_declined",
    "decline_reasons": "rhi_declined",
    "rhi_mode": "rhi_completed",
    "interviewer_role": "rhi_completed",
    "interviews_per_practitioner": "rhi_completed",
}

# Breakdown totals that can be no larger than a count (the rest is left out of the table).
BREAKDOWN_AT_MOST: dict[str, str] = {"duration_bands": "rhi_due"}

# Non-additive breakdowns whose every cell can be no larger than a count.
CELLS_AT_MOST: dict[str, str] = {"risks": "rhi_completed"}

# Breakdown cells equal to a count of the metrics table, in the same cohort column:
# (breakdown, category) -> count name.
CELL_IS: dict[tuple[str, str], str] = {
    ("rhi_outcomes", "completed"): "rhi_completed",
    ("rhi_outcomes", "declined"): "rhi_declined",
    ("rhi_outcomes", "pending"): "rhi_pending",
    ("rhi_outcomes", "not_offered"): "rhi_not_offered",
    ("rhi_mode", "face_to_face"): "face_to_face",
}

# Breakdowns whose `all` column has one row per cohort: (breakdown, category) -> the cohort
# whose count it is, and the count.
COHORT_ROWS: dict[str, str] = {"episodes_by_cohort": "episodes", "children_by_cohort": "children"}

# Monthly series column -> the count it adds up to over a quarter (cohort `all`).
MONTH_SUMS: dict[str, str] = {
    "episodes": "episodes",
    "rhi_due": "rhi_due",
    "rhi_offered": "rhi_offered",
    "rhi_timely": "timely",
    "T": "in_timeliness",
    "rhi_target_met": "target_met",
}

# Monthly rate column -> the monthly counts it is worked out from (published with the rate).
MONTH_RATES: dict[str, tuple[str, str]] = {
    "rhi_offered_rate": ("rhi_offered", "rhi_due"),
    "rhi_timely_rate": ("rhi_timely", "T"),
    "rhi_target_met_rate": ("rhi_target_met", "T"),
}

# Lower bounds of the episode-count bands of `repeat_children` (a child with 3 or 4
# episodes is in `3_to_4_episodes`).
EPISODE_BAND_FLOORS: dict[str, int] = {
    "1_episode": 1,
    "2_episodes": 2,
    "3_to_4_episodes": 3,
    "5_or_more_episodes": 5,
}

COHORT_COLUMNS = ("all", "looked_after_in_area", "looked_after_out_of_area", "not_looked_after")


# ---------------------------------------------------------------------------------------
# The model: every published quantity and every relation among them


@dataclass(frozen=True)
class Relation:
    """`sum(coefficient * quantity) == 0` (`exact`) or `>= 0` (a bound)."""

    terms: tuple[tuple[Key, float], ...]
    exact: bool


@dataclass
class Model:
    """The published quantities of one run, their values, how they are printed and linked.

    `values` maps each quantity to its true value; `places` lists the groups of quantities
    printed together (a rate's numerator and denominator share a row, so withholding one
    hides both there); `rows` names the metrics-table row of each place; `relations` are the
    relations that hold; `derived` the counts no output prints that a reader works out by
    subtraction (`differ`).
    """

    values: dict[Key, float] = field(default_factory=dict)
    places: list[tuple[Key, ...]] = field(default_factory=list)
    rows: dict[int, tuple[str, str, str]] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    derived: set[Key] = field(default_factory=set)

    def add(self, key: Key, value: Any) -> None:
        """Record a quantity (the first value seen for a key is kept)."""
        number = float(value) if value is not None and not pd.isna(value) else np.nan
        if not np.isnan(number):
            self.values.setdefault(key, number)

    def relate(self, total: Key, parts: Sequence[Key], *, at_most: bool = False) -> None:
        """total = sum(parts) if it holds; total >= sum(parts) if the parts fall short (or if
        `at_most`: the relation is only ever a bound). Skipped when a key has no value."""
        keys = [total, *parts]
        if not parts or any(k not in self.values for k in keys):
            return
        gap = self.values[total] - sum(self.values[p] for p in parts)
        if gap < 0:
            return
        terms = ((total, 1.0), *((p, -1.0) for p in parts))
        self.relations.append(Relation(tuple(terms), exact=gap == 0 and not at_most))

    def differ(self, name: Key, wholes: Sequence[Key], parts: Sequence[Key]) -> None:
        """Record `name` = sum(wholes) - sum(parts), a count no output prints but a reader
        works out by subtraction, with the equation that defines it. Skipped when a key has
        no value or the difference is negative (then the parts are not contained)."""
        keys = [*wholes, *parts]
        if any(k not in self.values for k in keys):
            return
        gap = sum(self.values[w] for w in wholes) - sum(self.values[p] for p in parts)
        if gap < 0:
            return
        self.add(name, gap)
        self.derived.add(name)
        terms = (*((w, 1.0) for w in wholes), *((p, -1.0) for p in parts), (name, -1.0))
        self.relations.append(Relation(tuple(terms), exact=True))

    def relate_if_equal(self, total: Key, parts: Sequence[Key]) -> None:
        """total = sum(parts), only when it holds in this run's figures (child counts, which
        need not add up: a reader who takes them as adding up is right only then)."""
        keys = [total, *parts]
        if any(k not in self.values for k in keys):
            return
        if self.values[total] == sum(self.values[p] for p in parts):
            terms = ((total, 1.0), *((p, -1.0) for p in parts))
            self.relations.append(Relation(tuple(terms), exact=True))


def count_name(metric: str, part: str, spec: Any) -> str:
    """The count behind a metric's `part` ("value" of a count, or "numerator"/"denominator"):
    a metric ID, or the name in `RATE_PARTS`, or `metric:part`."""
    if part == "value":
        return metric
    if (metric, part) in RATE_PARTS:
        return RATE_PARTS[(metric, part)]
    linked = getattr(spec, part, None) if spec is not None else None
    if isinstance(linked, str) and linked.isidentifier():
        return linked
    return f"{metric}:{part}"


def metric_places(
    metrics: pd.DataFrame, registry: Mapping[str, Any]
) -> list[tuple[tuple[str, str, str], tuple[tuple[Key, float], ...]]]:
    """Each metrics row (quarter, cohort, metric) with the counts it prints and their values.

    A count prints its value; a rate its numerator and denominator; a median its n (the
    median itself is no sum of counts)."""
    out = []
    for q, c, m, num, den, value in zip(
        metrics["quarter"].astype("str"),
        metrics["cohort"].astype("str"),
        metrics["metric"].astype("str"),
        metrics["numerator"].astype("float64"),
        metrics["denominator"].astype("float64"),
        metrics["value"].astype("float64"),
        strict=True,
    ):
        spec = registry.get(m)
        kind = getattr(spec, "kind", None) or (
            "count" if np.isnan(num) and np.isnan(den) else "ratio"
        )
        if kind == "count":
            parts = [("value", value)]
        elif kind == "ratio":
            parts = [("numerator", num), ("denominator", den)]
        else:
            parts = [("denominator", den)]
        counted = tuple(
            (("n", q, c, count_name(m, part, spec)), figure)
            for part, figure in parts
            if not np.isnan(figure)
        )
        out.append(((q, c, m), counted))
    return out


def build_model(
    metrics: pd.DataFrame,
    breakdowns: Iterable[Any],
    monthly: pd.DataFrame | None,
    *,
    quarter: str,
    registry: Mapping[str, Any],
    repeat_threshold: int = 3,
    independent_roles: Sequence[str] = (),
    capacity: Any = None,
) -> Model:
    """Every quantity the outputs publish, and every relation above that holds among them
    (with the capacity replay's real counts, `capacity_relations`, when it is given)."""
    model = Model()
    for row, counted in metric_places(metrics, registry):
        for key, figure in counted:
            model.add(key, figure)
        if counted:
            model.rows[len(model.places)] = row
            model.places.append(tuple(k for k, _ in counted))
    quarters = sorted(set(metrics["quarter"].astype("str")))
    cohorts = sorted(set(metrics["cohort"].astype("str")))
    names = sorted({k[3] for k in model.values if k[0] == "n"})

    def n(q: str, c: str, name: str) -> Key:
        return ("n", q, c, name)

    for q in quarters:
        for c in cohorts:
            for total, parts in FUNNEL:
                model.relate(n(q, c, total), [n(q, c, p) for p in parts])
            for subset, superset in SUBSETS:
                model.relate(n(q, c, superset), [n(q, c, subset)], at_most=True)
            for part, whole in CONTAINS:
                model.differ(
                    n(q, c, difference_name(whole, part)), [n(q, c, whole)], [n(q, c, part)]
                )
        for name in names:
            if name in EPISODE_COUNTS:
                for total, parts in COHORT_SUMS:
                    model.relate(n(q, total, name), [n(q, p, name) for p in parts])
            elif name in CHILD_COUNTS:
                # A child can be in two cohorts, so child counts need not add up; a reader
                # may take them as adding up anyway, and is right when no child is in two:
                # then the sum is an equation. Each cohort's children are also at most all's,
                # and in or out of county at most looked after's.
                for total, parts in COHORT_SUMS:
                    model.relate_if_equal(n(q, total, name), [n(q, p, name) for p in parts])
                for part in cohorts:
                    if part != "all":
                        model.relate(n(q, "all", name), [n(q, part, name)], at_most=True)
                for part in ("looked_after_in_area", "looked_after_out_of_area"):
                    model.relate(n(q, "looked_after", name), [n(q, part, name)], at_most=True)

    for breakdown in breakdowns:
        _breakdown_relations(model, breakdown, quarter, repeat_threshold, independent_roles)
    if monthly is not None and not monthly.empty:
        _monthly_relations(model, monthly, quarters)
    if capacity is not None:
        capacity_relations(model, capacity, quarter)
    return model


# ---------------------------------------------------------------------------------------
# The capacity replay's real counts (pipeline.analysis.capacity)

# The replay's places and the cohort whose counts each one is (in county or at home is all
# less out of county).
CAPACITY_COHORTS: dict[str, str] = {"all": "all", "out_of_county": "looked_after_out_of_area"}
# The not-offered reasons the replay's non-engagement rate counts (of all returns).
NON_ENGAGEMENT_REASONS = ("unable_to_contact", "missing_again")


def capacity_count_key(name: str, place: str) -> Key:
    """A real count behind the capacity replay's published shares: `actual_timely` and
    `actual_wanted` (the "what actually happened" row, per place) or `non_engagement`
    (place `all`: returns not offered because the child could not be contacted or went
    missing again, published as a percentage of returns)."""
    return ("capacity_n", name, place)


def capacity_relations(model: Model, capacity: Any, quarter: str) -> None:
    """The replay's "what actually happened" shares and its non-engagement rate, as counts
    linked to the metrics.

    The actual share is interviews held face to face by an independent worker within the
    timescale over interviews in the timeliness measure, per place: its base is
    `in_timeliness`, so the share gives its numerator away, and that numerator sits inside
    both `target_met` and `independent` (differences written with `Model.differ`). The
    non-engagement rate is printed to a whole percent; the model takes its count as shown
    exactly, which is more than a reader learns (the audit reads the interval).
    """

    def n(cohort: str, name: str) -> Key:
        return ("n", quarter, cohort, name)

    def cap(name: str, place: str) -> Key:
        return capacity_count_key(name, place)

    actual = capacity.actual
    places = ("in_county", "out_of_county", "all")
    for place in places:
        timely, wanted = cap("actual_timely", place), cap("actual_wanted", place)
        model.add(timely, actual.timely[place])
        model.add(wanted, actual.wanted[place])
        model.places.append((timely, wanted))
    for name in ("actual_timely", "actual_wanted"):
        model.relate(cap(name, "all"), [cap(name, "in_county"), cap(name, "out_of_county")])
    for place, cohort in CAPACITY_COHORTS.items():
        model.relate(n(cohort, "in_timeliness"), [cap("actual_wanted", place)])
        for whole in ("target_met", "independent"):
            model.relate(n(cohort, whole), [cap("actual_timely", place)], at_most=True)
            model.differ(
                n(cohort, difference_name(whole, "capacity_actual")),
                [n(cohort, whole)],
                [cap("actual_timely", place)],
            )
    # In county or at home: all less out of county.
    for whole in ("target_met", "independent"):
        parts = [n("looked_after_out_of_area", whole), cap("actual_timely", "in_county")]
        model.relate(n("all", whole), parts, at_most=True)
        model.differ(
            cap(difference_name(whole, "actual_timely"), "in_county"), [n("all", whole)], parts
        )
    returns = capacity.returns
    key = cap("non_engagement", "all")
    model.add(key, round(returns.non_engagement_rate * returns.due))
    model.places.append((key,))
    reasons = [("cell", "not_offered_reasons", r, "all") for r in NON_ENGAGEMENT_REASONS]
    model.relate(key, [r for r in reasons if r in model.values])


def _breakdown_relations(
    model: Model,
    breakdown: Any,
    quarter: str,
    repeat_threshold: int,
    independent_roles: Sequence[str],
) -> None:
    """A breakdown's cells, total row and the relations linking them to the metrics."""
    frame = breakdown.frame
    bid = breakdown.id
    columns = [c for c in frame.columns if c not in ("category", "label")]
    categories = [str(x) for x in frame["category"].tolist()]

    def cell(cat: str, col: str) -> Key:
        return ("cell", bid, cat, col)

    def n(col: str, name: str) -> Key:
        return ("n", quarter, col, name)

    for col in columns:
        for cat, value in zip(categories, frame[col].tolist(), strict=True):
            model.add(cell(cat, col), value)
            model.places.append((cell(cat, col),))
    if breakdown.additive and categories:
        for col in columns:
            total = float(frame[col].astype("float64").sum())
            model.add(cell("total", col), total)
            model.places.append((cell("total", col),))
            model.relate(cell("total", col), [cell(cat, col) for cat in categories])
            if bid in BREAKDOWN_TOTALS:
                model.relate(n(col, BREAKDOWN_TOTALS[bid]), [cell("total", col)])
            if bid in BREAKDOWN_AT_MOST:
                model.relate(n(col, BREAKDOWN_AT_MOST[bid]), [cell("total", col)], at_most=True)
        cats = [*categories, "total"]
    else:
        cats = categories
    if bid in CELLS_AT_MOST:
        for col in columns:
            for cat in categories:
                model.relate(n(col, CELLS_AT_MOST[bid]), [cell(cat, col)], at_most=True)
    # Cohort columns add up like the cohorts (all = in county + out of county + not looked
    # after, as far as the columns go).
    parts = [c for c in COHORT_COLUMNS[1:] if c in columns]
    if "all" in columns and parts and bid not in COHORT_ROWS:
        # Without a not-looked-after column the cohort columns give only a bound.
        partial = "not_looked_after" not in columns
        for cat in cats:
            model.relate(cell(cat, "all"), [cell(cat, p) for p in parts], at_most=partial)
    for (b, cat), name in CELL_IS.items():
        if b == bid and cat in categories:
            for col in columns:
                model.relate(n(col, name), [cell(cat, col)])
    if bid in COHORT_ROWS and "all" in columns:
        for cat in categories:
            model.relate(n(cat, COHORT_ROWS[bid]), [cell(cat, "all")])
    if bid == "interviewer_role":
        roles = [r for r in independent_roles if r in categories]
        for col in columns:
            model.relate(n(col, "independent"), [cell(r, col) for r in roles])
    if bid == "repeat_children" and "all" in columns:
        floors = sorted(EPISODE_BAND_FLOORS.values())
        if repeat_threshold in floors:
            bands = [c for c in categories if EPISODE_BAND_FLOORS.get(c, 0) >= repeat_threshold]
            model.relate(n("all", "children_repeat"), [cell(b, "all") for b in bands])
    if bid == "timeliness_exceptions" and "all" in columns and categories:
        # completed = within the timeliness base + agreed exceptions + the rest left out.
        model.relate(
            n("all", "rhi_completed"),
            [n("all", "in_timeliness"), cell("total", "all")],
            at_most=True,
        )
    if bid == "episodes_by_month" and "all" in columns:
        for cat in categories:
            model.relate(("month", cat, "episodes"), [cell(cat, "all")])


def _monthly_relations(model: Model, monthly: pd.DataFrame, quarters: Sequence[str]) -> None:
    """Each month's counts (printed with the rates built on them) and their quarter sums."""
    from pipeline.periods import Quarter

    months = monthly["month"].astype("str").tolist()
    for col in MONTH_SUMS:
        if col in monthly.columns:
            for month, value in zip(months, monthly[col].tolist(), strict=True):
                model.add(("month", month, col), value)
    if "episodes" in monthly.columns:
        model.places.extend((("month", m, "episodes"),) for m in months)
    for rate, (num, den) in MONTH_RATES.items():
        if rate in monthly.columns and num in monthly.columns and den in monthly.columns:
            model.places.extend((("month", m, num), ("month", m, den)) for m in months)
    for q in quarters:
        quarter_months = Quarter.parse(q).months
        if not set(quarter_months) <= set(months):
            continue
        for col, name in MONTH_SUMS.items():
            if col in monthly.columns:
                model.relate(("n", q, "all", name), [("month", m, col) for m in quarter_months])


__all__ = [
    "BREAKDOWN_TOTALS",
    "CAPACITY_COHORTS",
    "CELL_IS",
    "COHORT_SUMS",
    "CONTAINS",
    "EPISODE_COUNTS",
    "FUNNEL",
    "MONTH_SUMS",
    "NON_ENGAGEMENT_REASONS",
    "RATE_PARTS",
    "SUBSETS",
    "Model",
    "Relation",
    "build_model",
    "capacity_count_key",
    "capacity_relations",
    "count_name",
    "difference_name",
    "metric_places",
]
