"""Looking figures up: every metric of the disclosed metrics table as the reader sees it.

Every figure becomes text here, and only through `pipeline.metrics.present` with its
`suppressed` flag, so `[c]` appears the same way in every table, tile and chart label. The
templates then only lay things out: they never format a number or decide what to say.

The look-up reads the disclosed metrics table (quarter, cohort, metric, numerator,
denominator, value, suppressed). It computes nothing new about the children.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from pipeline.metrics import present
from pipeline.periods import Quarter
from pipeline.results import Results

SUPPRESSED = "[c]"
IN, OUT = "looked_after_in_area", "looked_after_out_of_area"
COHORT_SHORT = {
    "all": "All children",
    "looked_after": "Looked after",
    IN: "In county",
    OUT: "Out of county",
    "not_looked_after": "Not looked after",
}
COHORT_PHRASE = {
    IN: "looked after and placed in county",
    OUT: "looked after and placed out of county",
    "not_looked_after": "not looked after",
    "looked_after": "looked after",
}

# A rate on fewer cases than this is shown with its base ("0% (of 5)"), never made the
# headline of a chart, and its change on last quarter is not called better or worse: one
# interview moves it by 10 points or more.
SMALL_BASE = 10


def _registry(results: Results) -> dict[str, Any]:
    """The metric catalogue worded for this run's configuration."""
    from pipeline.metrics import registry

    cfg = results.config
    configured = getattr(registry, "configured_registry", None)
    if configured is None:
        return dict(registry.REGISTRY)
    return configured(
        cfg.timeliness_hours,
        cfg.repeat_threshold,
        cfg.independent_roles,
        getattr(cfg, "completed_word", "completed"),
    )


class Figures:
    """Fast lookup of metric rows, and their text through `present`."""

    def __init__(self, metrics: pd.DataFrame, registry: dict[str, Any]) -> None:
        frame = metrics.copy()
        if "suppressed" not in frame.columns:
            frame["suppressed"] = False
        if "not_recorded" not in frame.columns:
            frame["not_recorded"] = False
        self.registry = registry
        self._rows: dict[tuple[str, str, str], dict[str, Any]] = {
            (r["quarter"], r["cohort"], r["metric"]): r for r in frame.to_dict("records")
        }

    def row(self, quarter: Quarter, cohort: str, metric: str) -> dict[str, Any] | None:
        return self._rows.get((quarter.id, cohort, metric))

    def value(self, quarter: Quarter, cohort: str, metric: str) -> float | None:
        """The raw value, or None when absent, blank or suppressed (never drawn or compared)."""
        row = self.row(quarter, cohort, metric)
        if row is None or _withheld(row) or _blank(row["value"]):
            return None
        return float(row["value"])

    def suppressed(self, quarter: Quarter, cohort: str, metric: str) -> bool:
        """Not shown: withheld for disclosure ([c]) or not recorded ([x]); either way never
        drawn, compared or put in a sentence."""
        row = self.row(quarter, cohort, metric)
        return bool(row is not None and _withheld(row))

    def not_recorded(self, quarter: Quarter, cohort: str, metric: str) -> bool:
        """The figure's data is not held in this run ([x])."""
        row = self.row(quarter, cohort, metric)
        return bool(row is not None and row["not_recorded"])

    def recorded(self, metric: str, cohort: str = "all") -> bool:
        """Whether this run records the metric for the cohort at all (any quarter)."""
        return not any(
            bool(r["not_recorded"])
            for (_, c, m), r in self._rows.items()
            if (m, c) == (metric, cohort)
        )

    def small_base(self, quarter: Quarter, cohort: str, metric: str, below: int) -> bool:
        """A shown rate worked out on fewer than `below` cases (but some): too few to be the
        headline of a chart, and shown with its base so a reader can reconcile it."""
        row = self.row(quarter, cohort, metric)
        spec = self.registry.get(metric)
        if row is None or spec is None or _withheld(row) or spec.kind != "ratio":
            return False
        den = _num(row["denominator"])
        return not math.isnan(den) and 0 < den < below

    def base(self, quarter: Quarter, cohort: str, metric: str) -> str:
        """A shown rate's base as a count ('184'), or "" for a count, a withheld rate or a
        rate with no base (a shown rate's numerator and base are published with it)."""
        row = self.row(quarter, cohort, metric)
        spec = self.registry.get(metric)
        if row is None or spec is None or _withheld(row) or spec.kind != "ratio":
            return ""
        den = _num(row["denominator"])
        return "" if math.isnan(den) else present.count(den)

    def rate_text(self, quarter: Quarter, cohort: str, metric: str, below: int) -> str:
        """`text`, with the base added to a rate on few cases: '0% (of 3)'."""
        shown = self.text(quarter, cohort, metric)
        if not self.small_base(quarter, cohort, metric, below):
            return shown
        return f"{shown} (of {self.base(quarter, cohort, metric)})"

    def text(self, quarter: Quarter, cohort: str, metric: str) -> str:
        """The figure as the reader sees it: '1,234', '60%', '36 hours', 'no cases' or '[c]'."""
        row = self.row(quarter, cohort, metric)
        spec = self.registry.get(metric)
        if row is None or spec is None:
            return "not available"
        if bool(row["not_recorded"]):
            return present.NOT_RECORDED
        hidden = bool(row["suppressed"])
        shown_as = getattr(spec, "shown_as", None) or _default_shown(spec.kind)
        if shown_as == "count":
            return present.count(_num(row["value"]), suppressed=hidden)
        if shown_as == "hours":
            return present.hours(_num(row["value"]), suppressed=hidden)
        if shown_as == "number":
            return present.number(_num(row["value"]), 1, suppressed=hidden)
        return present.percent(_num(row["numerator"]), _num(row["denominator"]), suppressed=hidden)


def _withheld(row: dict[str, Any]) -> bool:
    return bool(row["suppressed"]) or bool(row["not_recorded"])


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _num(value: Any) -> float:
    return math.nan if _blank(value) else float(value)


def _default_shown(kind: str) -> str:
    return {"count": "count", "ratio": "percent", "median_hours": "hours"}[kind]


def _is_rate(fig: Figures, metric: str) -> bool:
    spec = fig.registry[metric]
    return (getattr(spec, "shown_as", None) or _default_shown(spec.kind)) == "percent"


def _shown_as(fig: Figures, metric: str) -> str:
    spec = fig.registry[metric]
    return getattr(spec, "shown_as", None) or _default_shown(spec.kind)


def _completed_word(results: Results) -> str:
    """ "completed", or "accepted" when the RHI record is offered/accepted flags."""
    return str(getattr(results.config, "completed_word", "completed"))


def _recorded_cohorts(fig: Figures, cohorts: list[str]) -> list[str]:
    """The cohorts to show: as given when this run can tell them apart; with no placement
    area, looked after in place of in and out of county; with no looked-after status, all
    children only."""
    if all(fig.recorded("episodes", c) for c in cohorts):
        return cohorts
    if fig.recorded("episodes", "looked_after"):
        return ["all", "looked_after", "not_looked_after"]
    return ["all"]


def _small_base(results: Results) -> int:
    return max(SMALL_BASE, results.config.suppress_below)
