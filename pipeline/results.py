"""Everything one run has worked out, handed read-only to every renderer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from pipeline.config import Config
from pipeline.findings import Finding
from pipeline.periods import Quarter


@dataclass(frozen=True)
class InputFile:
    """Provenance of one extract: where it came from, its SHA-256 and its data rows."""

    name: str
    path: str
    sha256: str
    rows: int


@dataclass
class Results:
    """The run's results: config, periods, data quality, figures and analysis."""

    config: Config
    quarter: Quarter
    quarters: list[Quarter]  # trend quarters, oldest first, ending with `quarter`
    as_at: date
    audience: str
    findings: list[Finding]
    episodes: pd.DataFrame  # the joined, validated episode table (never rendered directly)
    metrics: pd.DataFrame  # tidy metrics; `suppressed` is set from `disclosure`
    breakdowns: list[Any] = field(default_factory=list)  # pipeline.metrics.breakdowns.Breakdown
    analysis: Any = None  # pipeline.analysis.Analysis
    inputs: list[InputFile] = field(default_factory=list)
    config_sha256: str = ""
    # The monthly series (pipeline.metrics.table.monthly_series) behind the SPC charts, with
    # every figure; `disclosure.monthly_mask` says which months the audience may see.
    monthly: pd.DataFrame | None = None
    # The disclosure stage's decisions (pipeline.disclosure.Disclosure). Renderers read them
    # and never suppress anything themselves. Left out (as some tests do), they are worked
    # out here from the figures above, keeping any `suppressed` flags the metrics carry.
    disclosure: Any = None
    # What it would take: the quarter's returns replayed against workforce options
    # (pipeline.analysis.capacity.Capacity), None when the replay is switched off.
    capacity: Any = None
    # Figures that changed since an earlier run's outputs (pipeline.revisions.Revisions),
    # None when there was no earlier run to compare with.
    revisions: Any = None
    # --- Reports (issue #15): worked out upstream of render, which only shows them ---
    # What the board is asked to do (pipeline.analysis.narrative.board_asks), in words.
    board_asks: list[str] = field(default_factory=list)
    # (metric, cohort) -> pipeline.analysis.targets.Rag of the reported quarter, from the
    # disclosed figures; worked out here when left out.
    ratings: dict[tuple[str, str], Any] | None = None
    # Child-level worklists (pipeline.analysis.worklists.Worklists) for internal reports only;
    # None in every public report's results.
    worklists: Any = None

    def __post_init__(self) -> None:
        from pipeline.disclosure import disclose

        if self.disclosure is None:
            self.disclosure = disclose(
                self.metrics,
                self.breakdowns,
                self.monthly,
                quarter=self.quarter.id,
                audience=self.audience,
                threshold=self.config.suppress_below,
                capacity=self.capacity,
                repeat_threshold=self.config.repeat_threshold,
                independent_roles=self.config.independent_roles,
                headline_target=self.config.headline_target_metric,
            )
        self.metrics = self.disclosure.flags(self.metrics)
        if self.ratings is None:
            self.ratings = rate_targets(self)


def rate_targets(results: Results) -> dict[tuple[str, str], Any]:
    """Each configured target's rating for every cohort of the reported quarter, from the
    disclosed figures: the analysis's own rating for all children where it has one."""
    from pipeline.analysis import targets
    from pipeline.metrics.registry import configured_registry

    cfg = results.config
    if not cfg.targets:
        return {}
    registry = configured_registry(
        cfg.timeliness_hours, cfg.repeat_threshold, cfg.independent_roles
    )
    frame = results.metrics
    rows = frame[(frame["quarter"] == results.quarter.id) & frame["metric"].isin(list(cfg.targets))]
    analysed = getattr(results.analysis, "rag", None) or {}
    out: dict[tuple[str, str], Any] = {}
    for row in rows.to_dict("records"):
        metric, cohort = str(row["metric"]), str(row["cohort"])
        if metric not in registry:
            continue
        hidden = bool(row.get("suppressed", False))
        if cohort == "all" and metric in analysed:
            out[(metric, cohort)] = analysed[metric]
            continue
        value = row["value"]
        blank = value is None or value is pd.NA or (isinstance(value, float) and value != value)
        shown = None if hidden or blank else float(value)
        out[(metric, cohort)] = targets.rag(
            shown, cfg.targets[metric], registry[metric].direction, suppressed=hidden
        )
    return out
