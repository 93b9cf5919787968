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
suppression off.

Rules for the public audience (metrics.md, "Presentation rules"):

1. Primary: a count from 1 to threshold - 1 is suppressed. Zero is shown.
2. A rate or median is suppressed when its numerator or denominator is suppressed, or is
   itself a count from 1 to threshold - 1 (e.g. a median over n = 3).
3. Secondary: wherever figures add up (a total and its parts), a single withheld figure could
   be recovered by subtraction, so another one is withheld: the smallest non-zero part still
   shown (ties: the first in the relation's order), or, if no part can be, the total. This is
   repeated until no relation has exactly one withheld figure, then rule 2 is applied again so
   that rates built on a newly withheld count are withheld too.
4. A count that is a subset of a withheld count (a median's n, the interviews within 72
   hours) and equal to it is withheld, since it would show the withheld figure exactly
   (`SUBSET_OF`); the secondary rules then run again.

The relations are in `METRIC_RELATIONS` (among metrics, within a cohort) and
`COHORT_RELATIONS` (among cohorts, for a metric that counts episodes). Counts of children are
not additive across cohorts (a child can be in two), so `children` and `children_repeat` take
part only in rules 1 and 2. The numerators and denominators of rates that are not themselves
metrics (e.g. the completed RHIs within 72 hours, or a median's n) count episodes, so they are
treated as additive across cohorts too: otherwise a withheld numerator for one cohort could be
read off as `all` minus the other cohorts.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
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
        """True when the audience may see the breakdown at all."""
        return not (self.public and breakdown.id in self.internal_only)

    def published(self, breakdowns: Iterable[Any]) -> list[Any]:
        """The breakdowns the audience may see, in their order (sheets are numbered by it)."""
        return [b for b in breakdowns if self.publishes(b)]

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
        """The breakdown's note as this audience may read it."""
        if self.public and breakdown.id in self.notes:
            return self.notes[breakdown.id]
        return getattr(breakdown, "note", "") or ""

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

    def count(self, key: Key, value: float | int | None) -> str:
        """A count as the reader sees it: '1,234', '' when blank, '[c]' when withheld."""
        return present.count(value, suppressed=self.withholds(key))


def nothing_withheld(audience: str, threshold: int) -> Disclosure:
    """The decisions when nothing is withheld (the internal audience)."""
    return Disclosure(audience, threshold)


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
) -> Disclosure:
    """The disclosure stage: one decision for every quantity any output publishes.

    `metrics` is the undisclosed metrics table, or one that already carries a `suppressed`
    column (those decisions are kept, e.g. in tests); `breakdowns` are the reported
    `quarter`'s; `monthly` is the monthly series behind the control charts (or None).
    """
    if not is_public(audience, threshold):
        return nothing_withheld(audience, threshold)
    flagged = (
        metrics
        if "suppressed" in metrics.columns
        else suppress_metrics(metrics, threshold=threshold, audience=audience, registry=registry)
    )
    withheld: set[Key] = {
        metric_key(str(q), str(c), str(m))
        for q, c, m, s in zip(
            flagged["quarter"],
            flagged["cohort"],
            flagged["metric"],
            flagged["suppressed"],
            strict=True,
        )
        if bool(s)
    }
    notes: dict[str, str] = {}
    for breakdown in breakdowns:
        mask = mask_breakdown(
            breakdown, metrics=flagged, quarter=quarter, threshold=threshold, audience=audience
        )
        frame = breakdown.frame
        for col in mask.columns:
            for cat, hidden in zip(frame["category"].tolist(), mask[col].tolist(), strict=True):
                if hidden:
                    withheld.add(cell_key(breakdown.id, str(cat), col))
        if breakdown.additive:
            hidden_totals = set(hidden_breakdown_totals(breakdown, flagged, quarter))
            for col in count_columns(frame):
                total = float(frame[col].astype("float64").sum())
                if col in hidden_totals or 0 < total < threshold:
                    withheld.add(total_key(breakdown.id, col))
    if monthly is not None and not monthly.empty:
        mask = suppress_monthly(monthly, metrics=flagged, threshold=threshold, audience=audience)
        months = monthly["month"].astype("str").tolist()
        for col in mask.columns:
            for month, hidden in zip(months, mask[col].tolist(), strict=True):
                if hidden:
                    withheld.add(month_key(month, col))
    if capacity is not None:
        withheld |= capacity_withheld(capacity, withheld, quarter=quarter, threshold=threshold)
    return Disclosure(audience, threshold, frozenset(withheld), frozenset(), notes)


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

# A total and the parts it is the sum of, by metric ID (each within one quarter and cohort).
METRIC_RELATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("episodes", ("episodes_ongoing", "rhi_due")),
    ("rhi_due", ("rhi_offered", "rhi_not_offered")),
    ("rhi_offered", ("rhi_declined", "rhi_completed", "rhi_pending")),
)

# A cohort and the cohorts it is the sum of (for counts of episodes).
COHORT_RELATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("all", ("looked_after", "not_looked_after")),
    ("looked_after", ("looked_after_in_area", "looked_after_out_of_area")),
    ("all", ("looked_after_in_area", "looked_after_out_of_area", "not_looked_after")),
)

# Count metrics that count episodes, so each cohort's figure is the sum of its sub-cohorts'.
COHORT_ADDITIVE_METRICS = frozenset(
    {
        "episodes",
        "episodes_ongoing",
        "rhi_due",
        "rhi_offered",
        "rhi_not_offered",
        "rhi_declined",
        "rhi_completed",
        "rhi_pending",
    }
)

# Counts that are a subset of another (within one quarter and cohort): a median's n, and the
# parts of rates that are not metrics of their own. When such a count equals its withheld
# superset it would reveal it exactly (the n of "assignment to interview" is usually every
# completed RHI), so it is withheld too.
SUBSET_OF: tuple[tuple[str, str], ...] = (
    ("median_hours_assignment_to_completion:denominator", "rhi_completed"),
    ("median_hours_return_to_completion:denominator", "rhi_completed"),
    ("median_hours_return_to_notification:denominator", "rhi_due"),
    ("median_hours_notification_to_assignment:denominator", "rhi_due"),
    ("rhi_timely_rate:denominator", "rhi_completed"),
    ("rhi_target_met_rate:denominator", "rhi_completed"),
    ("rhi_timely_rate:numerator", "rhi_completed"),
    ("rhi_target_met_rate:numerator", "rhi_completed"),
    ("rhi_face_to_face_rate:numerator", "rhi_completed"),
    ("rhi_independent_rate:numerator", "rhi_completed"),
)

Cell = tuple[Hashable, Hashable]


@dataclass(frozen=True)
class Relation:
    """`total` is the sum of `parts`; each is a (row label, column label) cell of a table."""

    total: Cell
    parts: tuple[Cell, ...]


def is_public(audience: str, threshold: int) -> bool:
    """True when disclosure control applies: the public audience with a threshold above 1."""
    if audience not in ("public", "internal"):
        raise ValueError(f"unknown audience {audience!r}; expected public or internal")
    return audience == "public" and threshold > 1


def primary_mask(counts: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Rule 1: True where a count is from 1 to threshold - 1 (blank and zero are shown)."""
    values = counts.astype("float64")
    return (values >= 1) & (values < threshold)


def suppress_table(
    counts: pd.DataFrame,
    relations: Iterable[Relation],
    threshold: int,
    *,
    hidden: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Primary and secondary suppression of a table of counts.

    `counts` is any table of counts (NaN = no figure); `relations` say which cells add up to
    which; `hidden` optionally marks cells already withheld for another reason (for example a
    total withheld in another table). Returns a boolean mask of the same shape: True = show
    `[c]`. Relations naming a cell that is not in the table, or a blank total, are skipped.
    """
    values = counts.astype("float64")
    mask = primary_mask(values, threshold) if threshold > 1 else values.isna() & False
    if hidden is not None:
        extra = hidden.reindex(index=mask.index, columns=mask.columns, fill_value=False)
        mask = mask | extra.astype(bool)
    grid = mask.to_numpy(dtype=bool, copy=True)
    numbers = values.to_numpy(dtype="float64")
    rows = {label: i for i, label in enumerate(values.index)}
    cols = {label: j for j, label in enumerate(values.columns)}

    # Relations as positions, keeping only cells that hold a figure.
    resolved: list[tuple[tuple[int, int], list[tuple[int, int]]]] = []
    for relation in relations:
        total = _position(relation.total, rows, cols)
        if total is None or np.isnan(numbers[total]):
            continue
        parts = [p for p in (_position(c, rows, cols) for c in relation.parts) if p is not None]
        parts = [p for p in parts if not np.isnan(numbers[p])]
        if parts:
            resolved.append((total, parts))

    changed = True
    while changed:
        changed = False
        for total, parts in resolved:
            withheld = int(grid[total]) + sum(int(grid[p]) for p in parts)
            if withheld != 1:
                continue
            # One withheld figure in a sum can be recovered by subtraction: withhold another.
            shown = [p for p in parts if not grid[p] and numbers[p] != 0]
            if shown:
                # min() keeps the first of equal values, so ties follow the relation's order.
                grid[min(shown, key=lambda p: numbers[p])] = True
                changed = True
            elif not grid[total]:
                grid[total] = True
                changed = True
    return pd.DataFrame(grid, index=values.index, columns=values.columns)


def _position(
    cell: Cell, rows: Mapping[Hashable, int], cols: Mapping[Hashable, int]
) -> tuple[int, int] | None:
    row, col = cell
    if row not in rows or col not in cols:
        return None
    return rows[row], cols[col]


def cohort_relations(row: Hashable, columns: Collection[Hashable]) -> list[Relation]:
    """The cohort sums (`COHORT_RELATIONS`) that can be formed in one row of a table whose
    columns are cohort IDs."""
    return [
        Relation((row, total), tuple((row, part) for part in parts))
        for total, parts in COHORT_RELATIONS
        if total in columns and all(part in columns for part in parts)
    ]


# ----------------------------------------------------------------------------------------
# The metrics table


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


def _kinds(metrics: pd.DataFrame, specs: Mapping[str, _Spec]) -> pd.Series:
    """Each row's kind: from the registry, or for a metric it does not know, from the row's
    shape (a count has neither numerator nor denominator)."""
    known = metrics["metric"].map({k: s.kind for k, s in specs.items()})
    shaped = np.where(metrics["numerator"].isna() & metrics["denominator"].isna(), "count", "ratio")
    return known.fillna(pd.Series(shaped, index=metrics.index)).astype("str")


def suppress_metrics(
    metrics: pd.DataFrame,
    *,
    threshold: int,
    audience: str,
    registry: Any = None,
) -> pd.DataFrame:
    """The metrics table with a boolean `suppressed` column added (values unchanged).

    `registry` is the metric catalogue (default `pipeline.metrics.registry.REGISTRY`): each
    spec's `id`, `kind` ("count", "ratio" or "median_hours") and, for a ratio built on other
    metrics, the IDs in `numerator` and `denominator`.
    """
    out = metrics.copy()
    out["suppressed"] = False
    if not is_public(audience, threshold) or out.empty:
        return out
    specs = _specs(registry)
    kinds = _kinds(out, specs)
    present = set(out["metric"].unique())

    # Rows of the per-quarter count table: count metrics by ID, plus each rate's numerator
    # and denominator that is not a metric of its own, as "<rate>:numerator" etc.
    is_count = kinds == "count"
    long = [out.loc[is_count, ["quarter", "metric", "cohort", "value"]]]
    links: dict[str, tuple[str | None, str | None]] = {}
    for metric in sorted(present - set(out.loc[is_count, "metric"].unique())):
        spec = specs.get(metric)
        row_keys: list[str | None] = []
        for part in ("numerator", "denominator"):
            linked = getattr(spec, part) if spec is not None else None
            if linked in present and kinds[out["metric"] == linked].eq("count").all():
                row_keys.append(linked)
                continue
            key = f"{metric}:{part}"
            rows = out.loc[out["metric"] == metric, ["quarter", "cohort", part]]
            long.append(rows.rename(columns={part: "value"}).assign(metric=key))
            row_keys.append(key)
        links[metric] = (row_keys[0], row_keys[1])
    table = pd.concat(long, ignore_index=True)
    cohort_additive = COHORT_ADDITIVE_METRICS | {
        key for pair in links.values() for key in pair if key and key not in present
    }

    masks: list[pd.DataFrame] = []
    for quarter, rows in table.groupby("quarter", sort=True):
        counts = rows.pivot(index="metric", columns="cohort", values="value")
        relations = _metric_relations(counts.index, counts.columns, cohort_additive)
        mask = suppress_table(counts, relations, threshold)
        while (revealing := _revealing_subsets(counts, mask)).any(axis=None):
            mask = suppress_table(counts, relations, threshold, hidden=mask | revealing)
        stacked = mask.stack().rename("suppressed").reset_index()
        masks.append(stacked.assign(quarter=quarter))
    flags = pd.concat(masks, ignore_index=True).set_index(["quarter", "metric", "cohort"])[
        "suppressed"
    ]

    def flag(metric_keys: pd.Series) -> pd.Series:
        index = pd.MultiIndex.from_arrays([out["quarter"], metric_keys, out["cohort"]])
        return pd.Series(flags.reindex(index).fillna(False).to_numpy(dtype=bool), index=out.index)

    suppressed = flag(out["metric"]) & is_count
    for part in (0, 1):
        keys = out["metric"].map({m: (links[m][part] if m in links else "") for m in present})
        suppressed |= flag(keys) & ~is_count
    out["suppressed"] = suppressed.to_numpy(dtype=bool)
    return out


def _revealing_subsets(counts: pd.DataFrame, mask: pd.DataFrame) -> pd.DataFrame:
    """Shown subset counts equal to their withheld superset (see `SUBSET_OF`)."""
    revealing = mask & False
    for subset, superset in SUBSET_OF:
        if subset not in counts.index or superset not in counts.index:
            continue
        same = counts.loc[subset].astype("float64").eq(counts.loc[superset].astype("float64"))
        revealing.loc[subset] = (same & mask.loc[superset] & ~mask.loc[subset]).to_numpy()
    return revealing


def _metric_relations(
    rows: Sequence[Hashable], columns: Collection[Hashable], cohort_additive: Collection[str]
) -> list[Relation]:
    """Every sum that holds in one quarter's table of counts (rows metrics, columns cohorts)."""
    relations = [
        Relation((total, cohort), tuple((part, cohort) for part in parts))
        for cohort in columns
        for total, parts in METRIC_RELATIONS
    ]
    for row in rows:
        if row in cohort_additive:
            relations.extend(cohort_relations(row, columns))
    return relations


# ----------------------------------------------------------------------------------------
# Breakdowns


def count_columns(frame: pd.DataFrame) -> list[str]:
    """A breakdown frame's count columns: every column but `category` and `label`."""
    return [c for c in frame.columns if c not in BREAKDOWN_KEYS]


def suppress_breakdown(
    breakdown: Any,
    *,
    threshold: int,
    audience: str,
    hidden_totals: Collection[str] = (),
) -> pd.DataFrame:
    """A boolean mask the shape of a breakdown's count columns: True = show `[c]`.

    Primary suppression everywhere; for an `additive` breakdown (categories that add up to
    the column's total), secondary suppression against each column's total, which is treated
    as shown unless it is small itself or named in `hidden_totals` (a total withheld in
    another table, e.g. by `hidden_breakdown_totals`); and, in every breakdown, across cohort
    columns where one cohort is the sum of others shown.
    """
    frame = breakdown.frame
    columns = count_columns(frame)
    counts = frame[columns].astype("float64").reset_index(drop=True)
    if not is_public(audience, threshold):
        return pd.DataFrame(False, index=frame.index, columns=columns)
    n = len(counts)
    relations: list[Relation] = []
    hidden = None
    if breakdown.additive and n:
        # Row n is the column total, which a reader can work out even when it is not printed.
        counts.loc[n] = counts.sum(axis=0, min_count=1)
        relations.extend(Relation((n, col), tuple((i, col) for i in range(n))) for col in columns)
        hidden = pd.DataFrame(False, index=counts.index, columns=columns)
        for col in hidden_totals:
            if col in hidden.columns:
                hidden.loc[n, col] = True
    for row in counts.index:
        relations.extend(cohort_relations(row, columns))
    mask = suppress_table(counts, relations, threshold, hidden=hidden)
    result = mask.iloc[:n]
    result.index = frame.index
    return result


def hidden_breakdown_totals(breakdown: Any, metrics: pd.DataFrame, quarter: str) -> list[str]:
    """Cohort columns of an additive breakdown whose total equals a count the metrics table
    withholds for that cohort in `quarter`.

    Such a total would let a reader recover the withheld count by adding the breakdown up, so
    the breakdown must treat it as withheld too. Matching by value errs towards withholding
    more, never less. `metrics` must carry the `suppressed` column.
    """
    if not breakdown.additive:
        return []
    frame = breakdown.frame
    withheld = metrics[(metrics["quarter"] == quarter) & metrics["suppressed"]]
    out = []
    for col in count_columns(frame):
        total = frame[col].astype("float64").sum(min_count=1)
        cohort_values = withheld.loc[withheld["cohort"] == col, "value"].astype("float64")
        if not np.isnan(total) and bool((cohort_values == total).any()):
            out.append(col)
    return out


def mask_breakdown(
    breakdown: Any,
    *,
    metrics: pd.DataFrame,
    quarter: str,
    threshold: int,
    audience: str,
) -> pd.DataFrame:
    """The mask every renderer uses for a breakdown of `quarter`: `suppress_breakdown`, with
    column totals that the disclosed metrics table withholds treated as withheld."""
    hidden = (
        hidden_breakdown_totals(breakdown, metrics, quarter)
        if is_public(audience, threshold) and "suppressed" in metrics
        else []
    )
    return suppress_breakdown(
        breakdown, threshold=threshold, audience=audience, hidden_totals=hidden
    )


# ----------------------------------------------------------------------------------------
# Monthly series (SPC charts)

# Monthly count column -> (metric ID, column of the metrics table) holding its quarter total.
MONTHLY_TOTALS: dict[str, tuple[str, str]] = {
    "episodes": ("episodes", "value"),
    "rhi_due": ("rhi_due", "value"),
    "rhi_offered": ("rhi_offered", "value"),
    "rhi_timely": ("rhi_timely_rate", "numerator"),
    "T": ("rhi_timely_rate", "denominator"),
}

# Monthly rate column -> its numerator and denominator columns.
MONTHLY_RATES: dict[str, tuple[str, str]] = {
    "rhi_offered_rate": ("rhi_offered", "rhi_due"),
    "rhi_timely_rate": ("rhi_timely", "T"),
}


def _quarter_of_month(month: str) -> str:
    """`2026-04` -> `2026-27-Q1`."""
    year, number = int(month[:4]), int(month[5:7])
    fy = year if number >= 4 else year - 1
    return f"{fy}-{(fy + 1) % 100:02d}-Q{(number - 4) % 12 // 3 + 1}"


def suppress_monthly(
    monthly: pd.DataFrame,
    *,
    metrics: pd.DataFrame | None,
    threshold: int,
    audience: str,
) -> pd.DataFrame:
    """A boolean mask for the monthly series (pipeline.metrics.table.monthly_series), one
    column per count or rate column present, indexed like `monthly`.

    Counts: primary suppression, then secondary against each quarter's total (the three
    months add up to the quarter's figure for all children, which the report shows; a total
    the disclosed `metrics` withholds counts as withheld). Rates: withheld with their
    numerator or denominator.
    """
    count_cols = [c for c in MONTHLY_TOTALS if c in monthly.columns]
    rate_cols = [
        c
        for c, parts in MONTHLY_RATES.items()
        if c in monthly.columns and set(parts) <= set(count_cols)
    ]
    if not is_public(audience, threshold) or monthly.empty:
        return pd.DataFrame(False, index=monthly.index, columns=count_cols + rate_cols)
    months = monthly["month"].astype("str").tolist()
    quarters = [_quarter_of_month(m) for m in months]
    n = len(months)
    table = monthly[count_cols].astype("float64").reset_index(drop=True)
    order = list(dict.fromkeys(quarters))
    totals = table.groupby(pd.Series(quarters), sort=False).sum(min_count=1).reindex(order)
    totals.index = [f"total:{q}" for q in order]
    counts = pd.concat([table, totals])
    hidden = pd.DataFrame(False, index=counts.index, columns=count_cols)
    if metrics is not None and "suppressed" in metrics:
        everyone = metrics[metrics["cohort"] == "all"]
        for col in count_cols:
            metric, _ = MONTHLY_TOTALS[col]
            withheld = everyone.loc[
                (everyone["metric"] == metric) & everyone["suppressed"], "quarter"
            ]
            for q in set(withheld) & set(order):
                hidden.loc[f"total:{q}", col] = True
    relations = [
        Relation((f"total:{q}", col), tuple((i, col) for i in range(n) if quarters[i] == q))
        for q in order
        for col in count_cols
    ]
    mask = suppress_table(counts, relations, threshold, hidden=hidden).iloc[:n]
    for rate in rate_cols:
        numerator, denominator = MONTHLY_RATES[rate]
        mask[rate] = mask[numerator] | mask[denominator]
    mask.index = monthly.index
    return mask


__all__ = [
    "COHORT_ADDITIVE_METRICS",
    "COHORT_RELATIONS",
    "METRIC_RELATIONS",
    "Relation",
    "cohort_relations",
    "count_columns",
    "hidden_breakdown_totals",
    "is_public",
    "mask_breakdown",
    "primary_mask",
    "suppress_breakdown",
    "suppress_metrics",
    "suppress_monthly",
    "suppress_table",
]
