"""Tables and chart series of metrics from the metrics table, one column per cohort."""

from __future__ import annotations

import math
from collections.abc import Sequence

from pipeline.metrics import present
from pipeline.periods import Quarter
from pipeline.render.charts import DataTable, Series
from pipeline.render.figures import COHORT_SHORT, Figures, _shown_as


def metric_table(
    fig: Figures,
    quarter: Quarter,
    caption: str,
    metrics: Sequence[str],
    cohorts: Sequence[str],
    *,
    labels: dict[str, str] | None = None,
    small_below: int = 0,
) -> DataTable:
    """Rows of metrics, one column per cohort, every cell through `present`. A rate on fewer
    than `small_below` cases shows its base, e.g. '0% (of 3)'."""
    labels = labels or {}
    rows = []
    for m in metrics:
        if m not in fig.registry:
            continue
        if _shown_as(fig, m) == "hours":
            cells = _hours_row(fig, quarter, cohorts, m)
        else:
            cells = [fig.rate_text(quarter, c, m, small_below) for c in cohorts]
        rows.append([labels.get(m, fig.registry[m].label), *cells])
    return DataTable(caption, ["Measure", *[COHORT_SHORT[c] for c in cohorts]], rows)


def _hours_row(fig: Figures, quarter: Quarter, cohorts: Sequence[str], metric: str) -> list[str]:
    """A row of durations in one unit: hours, or days to one decimal place when any shown
    figure is over 48 hours (so '2.2 days' never sits beside '37 hours')."""
    values = [fig.value(quarter, c, metric) for c in cohorts]
    shown = [v for v in values if v is not None and not math.isnan(v)]
    if not any(present.round_half_away(v) > present.HOURS_SHOWN_UP_TO for v in shown):
        return [fig.text(quarter, c, metric) for c in cohorts]
    return [
        fig.text(quarter, c, metric)
        if v is None or math.isnan(v)
        else f"{present.number(v / 24, 1)} days"
        for c, v in zip(cohorts, values, strict=True)
    ]


def _series(
    fig: Figures,
    quarter: Quarter,
    cohort: str,
    metrics: Sequence[str],
    name: str,
    small_below: int = 0,
) -> Series:
    return Series(
        name,
        [fig.value(quarter, cohort, m) for m in metrics],
        [fig.rate_text(quarter, cohort, m, small_below) for m in metrics],
        [fig.suppressed(quarter, cohort, m) for m in metrics],
    )
