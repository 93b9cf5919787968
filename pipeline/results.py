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
            )
        self.metrics = self.disclosure.flags(self.metrics)
