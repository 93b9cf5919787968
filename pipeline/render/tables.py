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
    # A row withheld in every column tells the reader nothing the note cannot: it is named
    # in the note instead (the table keeps at least one row).
    withheld = [r for r in rows if all(c == present.SUPPRESSED for c in r[1:])]
    note = ""
    if withheld and len(withheld) < len(rows):
        rows = [r for r in rows if r not in withheld]
        quoted = [f"'{r[0]}'" for r in withheld]
        names = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
        rows_word = "The row" if len(quoted) == 1 else "The rows"
        one = len(quoted) == 1
        note = (
            f"{rows_word} {names} {'is' if one else 'are'} not shown: every figure in "
            f"{'it' if one else 'them'} is withheld."
        )
    return DataTable(caption, ["Measure", *[COHORT_SHORT[c] for c in cohorts]], rows, note)


def _hours_row(fig: Figures, quarter: Quarter, cohorts: Sequence[str], metric: str) -> list[str]:
    """A row of durations in whole hours, as the chart of the steps beside it reads them (its
    axis is in hours, the timescale is 72 hours), so '2.2 days' never sits beside '37 hours'."""
    return [
        fig.text(quarter, c, metric)
        if fig.suppressed(quarter, c, metric) or _missing(fig.value(quarter, c, metric))
        else present.whole_hours(fig.value(quarter, c, metric))
        for c in cohorts
    ]


def _missing(value: float | None) -> bool:
    return value is None or math.isnan(value)


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
