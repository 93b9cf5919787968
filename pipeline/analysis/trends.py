"""Quarter-on-quarter history of the headline KPIs, and whether each change is better or worse.

A board asks whether things are improving. For each headline KPI this gives its value in up
to eight quarters ending with the reported one, the change on the previous quarter and on
the same quarter a year earlier, and a judgement made from the metric's better direction in
the registry. Percentages change in percentage points, counts in numbers, medians in hours.

A change is judged on the figures as the report shows them (whole-number percentages,
numbers to one decimal place, whole hours or days to one decimal place), so the paper never
says "worse" beside two figures that read the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from pipeline.periods import Quarter

# The KPIs the summary and the trend table show, as (metric, cohort) pairs, in report order.
HEADLINE_KPIS: tuple[tuple[str, str], ...] = (
    ("episodes", "all"),
    ("children", "all"),
    ("episodes_per_child", "all"),
    ("children_repeat", "all"),
    ("rhi_offered_rate", "all"),
    ("rhi_decline_rate", "all"),
    ("rhi_completed_rate", "all"),
    ("rhi_timely_rate", "all"),
    ("rhi_target_met_rate", "all"),
    ("median_hours_return_to_completion", "all"),
    ("rhi_offered_rate", "looked_after_out_of_area"),
    ("rhi_independent_rate", "looked_after_out_of_area"),
)

COLUMNS = [
    "metric",
    "cohort",
    "label",
    "kind",
    "shown_as",
    "direction",
    "quarter",
    "numerator",
    "denominator",
    "value",
    "previous_value",
    "change_previous",
    "movement_previous",
    "judgement_previous",
    "year_ago_value",
    "change_year",
    "movement_year",
    "judgement_year",
    "change_unit",
]

CHANGE_UNITS = {
    "percent": "percentage points",
    "count": "number",
    "number": "number",
    "hours": "hours",
}


def _default_registry() -> Mapping[str, Any]:
    from pipeline.metrics.registry import REGISTRY

    return REGISTRY


def round_half_away(values: np.ndarray | float, decimals: int = 0) -> np.ndarray:
    """Round half away from zero (60.5 -> 61), as the report does, never banker's rounding."""
    scale = 10.0**decimals
    x = np.asarray(values, dtype="float64") * scale
    # The small nudge stops 0.605 * 100 = 60.49999... from rounding down.
    return np.sign(x) * np.floor(np.abs(x) + 0.5 + 1e-9) / scale


def shown_values(values: np.ndarray, shown_as: np.ndarray) -> np.ndarray:
    """Values as the report shows them (see pipeline.metrics.present), in their own units."""
    values = np.asarray(values, dtype="float64")
    shown_as = np.asarray(shown_as, dtype=object)
    out = values.copy()
    pct = shown_as == "percent"
    out[pct] = round_half_away(values[pct] * 100)
    num = shown_as == "number"
    out[num] = round_half_away(values[num], 1)
    # Times show as whole hours up to 48, then as days to one decimal place (present.hours).
    hrs = shown_as == "hours"
    whole = round_half_away(values[hrs])
    days = round_half_away(values[hrs] / 24, 1) * 24
    out[hrs] = np.where(whole <= 48, whole, days)
    return out


def _change(value: np.ndarray, before: np.ndarray, shown_as: np.ndarray) -> np.ndarray:
    """Change in the unit a reader sees: percentage points for percentages."""
    scale = np.where(shown_as == "percent", 100.0, 1.0)
    return (value - before) * scale


def _movement(value: np.ndarray, before: np.ndarray, shown_as: np.ndarray) -> np.ndarray:
    """rise / fall / no change on the shown figures; not comparable when either is blank."""
    now, then = shown_values(value, shown_as), shown_values(before, shown_as)
    out = np.full(value.size, "not comparable", dtype=object)
    both = ~np.isnan(now) & ~np.isnan(then)
    out[both & (now > then)] = "rise"
    out[both & (now < then)] = "fall"
    out[both & (now == then)] = "no change"
    return out


def judge(movement: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """better / worse / no change / not comparable, or "not judged" with no better direction."""
    movement = np.asarray(movement, dtype=object)
    direction = np.asarray(direction, dtype=object)
    out = movement.copy()
    moved = (movement == "rise") | (movement == "fall")
    up, down = direction == "up", direction == "down"
    out[moved & ~(up | down)] = "not judged"
    out[(movement == "rise") & up] = "better"
    out[(movement == "fall") & up] = "worse"
    out[(movement == "rise") & down] = "worse"
    out[(movement == "fall") & down] = "better"
    return out


def _quarter_ids(quarters: Iterable[Quarter | str]) -> list[str]:
    return [q.id if isinstance(q, Quarter) else Quarter.parse(q).id for q in quarters]


def kpi_history(
    metrics: pd.DataFrame,
    quarters: Sequence[Quarter | str],
    *,
    cohort: str | None = None,
    kpis: Sequence[tuple[str, str]] = HEADLINE_KPIS,
    registry: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Each KPI's value per quarter with the change on the previous quarter and a year ago.

    `metrics` is the tidy metrics table; `quarters` the trend quarters, oldest first, ending
    with the reported one (at most eight are kept). `cohort` None keeps each KPI's own cohort;
    a cohort ID shows every KPI for that cohort instead. The change on a year ago is looked
    up in the whole metrics table, so it is there whenever that quarter was computed.
    Returns one row per KPI and quarter (KPI order, then quarter order), columns `COLUMNS`.
    Metrics missing from the registry are skipped.
    """
    registry = _default_registry() if registry is None else registry
    ids = _quarter_ids(quarters)[-8:]
    pairs = [(m, cohort or c) for m, c in kpis if m in registry]
    pairs = list(dict.fromkeys(pairs))  # overriding the cohort can make duplicates
    if not pairs or not ids:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    grid = pd.DataFrame(
        [(m, c, q, k, i) for k, (m, c) in enumerate(pairs) for i, q in enumerate(ids)],
        columns=["metric", "cohort", "quarter", "_kpi", "_order"],
    )
    grid["_previous"] = [Quarter.parse(q).previous().id for q in grid["quarter"]]
    grid["_year_ago"] = [Quarter.parse(q).minus(4).id for q in grid["quarter"]]
    figures = metrics[["quarter", "cohort", "metric", "numerator", "denominator", "value"]]
    figures = figures.astype({"quarter": "str", "cohort": "str", "metric": "str"})
    out = grid.merge(figures, on=["metric", "cohort", "quarter"], how="left")
    values = figures.rename(columns={"value": "_v"})[["quarter", "cohort", "metric", "_v"]]
    for key, name in (("_previous", "previous_value"), ("_year_ago", "year_ago_value")):
        out = out.merge(
            values.rename(columns={"quarter": key, "_v": name}),
            on=["metric", "cohort", key],
            how="left",
        )
    out = out.sort_values(["_kpi", "_order"], kind="stable").reset_index(drop=True)
    specs = [registry[m] for m in out["metric"]]
    out["label"] = [s.label for s in specs]
    out["kind"] = [s.kind for s in specs]
    out["shown_as"] = [getattr(s, "shown_as", _shown_as(s.kind)) for s in specs]
    out["direction"] = pd.Series([s.direction for s in specs], dtype="object")
    shown = out["shown_as"].to_numpy(dtype=object)
    value = out["value"].to_numpy(dtype="float64")
    direction = out["direction"].to_numpy(dtype=object)
    for before_col, suffix in (("previous_value", "previous"), ("year_ago_value", "year")):
        before = out[before_col].to_numpy(dtype="float64")
        out[f"change_{suffix}"] = _change(value, before, shown)
        movement = _movement(value, before, shown)
        out[f"movement_{suffix}"] = movement
        out[f"judgement_{suffix}"] = judge(movement, direction)
    out["change_unit"] = [CHANGE_UNITS[s] for s in shown]
    for col in ("numerator", "denominator", "value", "previous_value", "year_ago_value"):
        out[col] = out[col].astype("float64")
    return out[COLUMNS]


def _shown_as(kind: str) -> str:
    return {"count": "count", "ratio": "percent", "median_hours": "hours"}[kind]


def with_suppression(history: pd.DataFrame, disclosed: pd.DataFrame) -> pd.DataFrame:
    """The history with `suppressed`, `previous_suppressed` and `year_ago_suppressed` flags
    read from the disclosed metrics table.

    A change shown beside a suppressed figure would give the figure away, so whoever shows
    `change_previous` must hide it when either flag is set (`change_previous_suppressed`);
    likewise for the year. A figure not in the disclosed table counts as suppressed, the safe
    side.
    """
    flags = disclosed[["quarter", "cohort", "metric", "suppressed"]].astype(
        {"quarter": "str", "cohort": "str", "metric": "str"}
    )
    out = history.copy()
    keys = {
        "quarter": "suppressed",
        "_previous": "previous_suppressed",
        "_year_ago": "year_ago_suppressed",
    }
    out["_previous"] = [Quarter.parse(q).previous().id for q in out["quarter"]]
    out["_year_ago"] = [Quarter.parse(q).minus(4).id for q in out["quarter"]]
    for key, name in keys.items():
        out = out.merge(
            flags.rename(columns={"quarter": key, "suppressed": name}),
            on=["metric", "cohort", key],
            how="left",
        )
        out[name] = out[name].fillna(True).astype(bool)
    out["change_previous_suppressed"] = out["suppressed"] | out["previous_suppressed"]
    out["change_year_suppressed"] = out["suppressed"] | out["year_ago_suppressed"]
    return out.drop(columns=["_previous", "_year_ago"])


__all__ = [
    "COLUMNS",
    "HEADLINE_KPIS",
    "judge",
    "kpi_history",
    "round_half_away",
    "shown_values",
    "with_suppression",
]
