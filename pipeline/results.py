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
    metrics: pd.DataFrame  # tidy metrics with a boolean `suppressed` column
    breakdowns: list[Any] = field(default_factory=list)  # pipeline.metrics.breakdowns.Breakdown
    analysis: Any = None  # pipeline.analysis.Analysis
    inputs: list[InputFile] = field(default_factory=list)
    config_sha256: str = ""
    # The undisclosed monthly series (pipeline.metrics.table.monthly_series) behind the SPC
    # charts; renderers disclose it with pipeline.disclosure.suppress_monthly.
    monthly: pd.DataFrame | None = None
