"""Assemble the tidy metrics table (metrics.csv) and the monthly series for SPC charts.

An episode belongs to the period (quarter or month) its `start` falls in, and to every cohort
whose rule it meets. Every metric of the registry is computed for every period and cohort at
once, vectorised over integer group codes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from pipeline.metrics import definitions as d
from pipeline.metrics.registry import COHORTS, REGISTRY
from pipeline.periods import Quarter

COLUMNS = ["quarter", "cohort", "metric", "numerator", "denominator", "value"]
MONTHLY_COLUMNS = [
    "month",
    "episodes",
    "rhi_due",
    "rhi_offered",
    "rhi_offered_rate",
    "rhi_timely",
    "T",
    "rhi_timely_rate",
    "rhi_target_met",
    "rhi_target_met_rate",
]


def cohort_masks(episodes: pd.DataFrame) -> dict[str, np.ndarray]:
    """For each cohort of `COHORTS`, which episodes belong to it (metrics.md, Cohorts)."""
    looked_after = episodes["looked_after"].fillna(False).to_numpy(dtype=bool)
    area = episodes["placement_area"]
    in_area = (area == "in_area").fillna(False).to_numpy(dtype=bool)
    out_of_area = (area == "out_of_area").fillna(False).to_numpy(dtype=bool)
    masks = {
        "all": np.ones(len(episodes), dtype=bool),
        "looked_after": looked_after,
        "looked_after_in_area": looked_after & in_area,
        "looked_after_out_of_area": looked_after & out_of_area,
        "not_looked_after": ~looked_after,
    }
    return {cohort: masks[cohort] for cohort in COHORTS}


def _month_numbers(starts: pd.Series) -> np.ndarray:
    """Months since year 0 (year * 12 + month - 1) of each start, as int64 (-1 if missing)."""
    stamps = pd.DatetimeIndex(starts)
    valid = ~np.asarray(stamps.isna())
    year = np.where(valid, stamps.year.to_numpy(dtype="float64", na_value=0), 0)
    month = np.where(valid, stamps.month.to_numpy(dtype="float64", na_value=1), 1)
    return np.where(valid, year.astype("int64") * 12 + month.astype("int64") - 1, -1)


def _quarter_number(quarter: Quarter) -> int:
    """A quarter as a single integer, consecutive quarters differing by 1."""
    return quarter.year * 4 + quarter.number - 1


def _quarter_of_month(months: np.ndarray) -> np.ndarray:
    """The quarter number (see `_quarter_number`) of each month number (-1 stays missing).

    Financial quarters start in April: months since April of year 0, divided by three.
    """
    return np.where(months >= 0, (months - 3) // 3, -(2**62))


def _period_codes(keys: np.ndarray, wanted: Sequence[int]) -> np.ndarray:
    """Position of each key in `wanted`, or -1 where the key is not wanted."""
    wanted_arr = np.asarray(wanted, dtype="int64")
    if len(wanted_arr) == 0:
        return np.full(len(keys), -1, dtype="int64")
    order = np.argsort(wanted_arr, kind="stable")
    sorted_keys = wanted_arr[order]
    pos = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return np.where(sorted_keys[pos] == keys, order[pos], -1).astype("int64")


def group_episodes(
    episodes: pd.DataFrame,
    period_codes: np.ndarray,
    n_periods: int,
    cohorts: Sequence[str],
    *,
    timeliness_hours: float,
    repeat_threshold: int,
    independent_roles: Sequence[str],
) -> d.Grouped:
    """Repeat each episode once per (period, cohort) group it belongs to.

    Group code = period position * number of cohorts + cohort position, so groups come out
    ordered by period, then cohort.
    """
    flags = d.EpisodeFlags.of(
        episodes, timeliness_hours=timeliness_hours, independent_roles=independent_roles
    )
    masks = cohort_masks(episodes)
    in_period = period_codes >= 0
    rows: list[np.ndarray] = []
    groups: list[np.ndarray] = []
    for position, cohort in enumerate(cohorts):  # a handful of cohorts, not rows
        member = np.flatnonzero(in_period & masks[cohort])
        rows.append(member)
        groups.append(period_codes[member] * len(cohorts) + position)
    return d.Grouped(
        flags=flags,
        rows=np.concatenate(rows).astype("int64"),
        group=np.concatenate(groups).astype("int64"),
        n_groups=n_periods * len(cohorts),
        repeat_threshold=repeat_threshold,
    )


def metric_table(
    episodes: pd.DataFrame,
    quarters: list[Quarter],
    *,
    timeliness_hours: float,
    repeat_threshold: int,
    independent_roles: Sequence[str],
) -> pd.DataFrame:
    """Every registry metric for every quarter and cohort, as the tidy metrics.csv table.

    Columns exactly quarter, cohort, metric, numerator, denominator, value (float64, NaN =
    blank), ordered by quarter (oldest first), cohort and metric (registry order). Quarters
    with no episodes still get their rows (counts 0, rates blank).
    """
    ordered = sorted(set(quarters))
    codes = _period_codes(
        _quarter_of_month(_month_numbers(episodes["start"])),
        [_quarter_number(q) for q in ordered],
    )
    cohorts = list(COHORTS)
    grouped = group_episodes(
        episodes,
        codes,
        len(ordered),
        cohorts,
        timeliness_hours=timeliness_hours,
        repeat_threshold=repeat_threshold,
        independent_roles=independent_roles,
    )
    figures = [spec.function(grouped) for spec in REGISTRY.values()]
    n_metrics = len(figures)
    n_groups = grouped.n_groups

    def stacked(part: str) -> np.ndarray:
        # (metric, group) -> rows ordered by group then metric.
        return np.stack([getattr(f, part) for f in figures]).T.reshape(-1)

    quarter_ids = np.repeat([q.id for q in ordered], len(cohorts) * n_metrics)
    cohort_ids = np.tile(np.repeat(cohorts, n_metrics), len(ordered))
    metric_ids = np.tile(list(REGISTRY), n_groups)
    return pd.DataFrame(
        {
            "quarter": pd.array(quarter_ids, dtype="str"),
            "cohort": pd.array(cohort_ids, dtype="str"),
            "metric": pd.array(metric_ids, dtype="str"),
            "numerator": stacked("numerator") if n_groups else np.array([], dtype="float64"),
            "denominator": stacked("denominator") if n_groups else np.array([], dtype="float64"),
            "value": stacked("value") if n_groups else np.array([], dtype="float64"),
        },
        columns=COLUMNS,
    )


def monthly_series(
    episodes: pd.DataFrame,
    months: list[str],
    *,
    timeliness_hours: float,
) -> pd.DataFrame:
    """Per month (YYYY-MM of the episode start), for all children: episodes, rhi_due,
    rhi_offered, rhi_offered_rate, rhi_timely (numerator), T (denominator), rhi_timely_rate,
    and rhi_target_met (timely and face to face, over the same T) with rhi_target_met_rate;
    one row per month in the order given (months with no episodes included).
    """
    wanted = [int(m[:4]) * 12 + int(m[5:7]) - 1 for m in months]
    codes = _period_codes(_month_numbers(episodes["start"]), wanted)
    grouped = group_episodes(
        episodes,
        codes,
        len(months),
        ["all"],
        timeliness_hours=timeliness_hours,
        # Neither setting affects the monthly measures; the defaults keep the call complete.
        repeat_threshold=2,
        independent_roles=(),
    )
    offered = d.rhi_offered_rate(grouped)
    timely = d.rhi_timely_rate(grouped)
    target_met = d.rhi_target_met_rate(grouped)
    return pd.DataFrame(
        {
            "month": pd.array(list(months), dtype="str"),
            "episodes": d.episodes(grouped).value.astype("int64"),
            "rhi_due": offered.denominator.astype("int64"),
            "rhi_offered": offered.numerator.astype("int64"),
            "rhi_offered_rate": offered.value,
            "rhi_timely": timely.numerator.astype("int64"),
            "T": timely.denominator.astype("int64"),
            "rhi_timely_rate": timely.value,
            "rhi_target_met": target_met.numerator.astype("int64"),
            "rhi_target_met_rate": target_met.value,
        },
        columns=MONTHLY_COLUMNS,
    )
