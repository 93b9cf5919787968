"""Analyse: trends, targets, statistical process control, narrative and commentary.

Two steps, because the key messages must only ever see disclosed figures:

1. `analyse(metrics, monthly, quarter=..., quarters=..., config=...)` works out the numbers
   from the undisclosed metrics table and the monthly series: KPI history, RAG ratings, XmR
   charts and the director's commentary.
2. After disclosure, `write_narrative(analysis, disclosed_metrics, config)` writes the key
   messages from the disclosed table, and re-rates the targets from it so no rating sits
   beside a hidden figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from pipeline.analysis.commentary import commentary_for, read_commentary, render_markdown
from pipeline.analysis.narrative import (
    DEFAULT_TEMPLATES,
    commentary_context,
    fill_commentary,
    key_messages,
)
from pipeline.analysis.spc import PROPORTION, SpcResult, xmr
from pipeline.analysis.targets import Rag, rag_table
from pipeline.analysis.trends import HEADLINE_KPIS, kpi_history
from pipeline.config import Config
from pipeline.periods import Quarter

# Monthly series that can be charted with SPC: monthly_series column -> registry metric.
SPC_SERIES: dict[str, str] = {
    "episodes": "episodes",
    "rhi_offered_rate": "rhi_offered_rate",
    "rhi_timely_rate": "rhi_timely_rate",
    "rhi_target_met_rate": "rhi_target_met_rate",
}
TIMELINESS_SERIES = ("rhi_timely_rate", "rhi_target_met_rate")


def charted_series(config: Config, columns: Sequence[str]) -> list[str]:
    """The monthly series charted: episodes, offers, and one timeliness measure, the
    headline target metric when the monthly table has it (else the rate in any mode)."""
    headline = config.headline_target_metric
    timely = headline if headline in TIMELINESS_SERIES else "rhi_timely_rate"
    if timely not in columns:
        timely = "rhi_timely_rate"
    return ["episodes", "rhi_offered_rate", timely]


@dataclass
class Analysis:
    """Everything the analyse stage works out, for the narrative and the renderers.

    `history` is trends.kpi_history for HEADLINE_KPIS; `rag` the rating of each configured
    target (from disclosed figures once write_narrative has run); `spc` one XmR result per
    monthly series in SPC_SERIES, labelled with its months; `key_messages` the summary's
    sentences (empty until write_narrative); `commentary` the director's Markdown sections
    as safe HTML, keyed by section (filled in by write_narrative, with this run's disclosed
    figures); `commentary_text` the commentary's Markdown when it is for this quarter (or
    kept); `notices` sentences for the person running the report (e.g. commentary left out
    because it names another quarter).
    """

    quarter: Quarter
    history: pd.DataFrame
    rag: dict[str, Rag]
    spc: dict[str, SpcResult]
    months: list[str] = field(default_factory=list)
    key_messages: list[str] = field(default_factory=list)
    commentary: dict[str, Markup] = field(default_factory=dict)
    commentary_text: str | None = None
    notices: list[str] = field(default_factory=list)


def _registry(config: Config) -> Mapping[str, Any]:
    from pipeline.metrics.registry import configured_registry

    return configured_registry(
        config.timeliness_hours,
        config.repeat_threshold,
        config.independent_roles,
        config.completed_word,
    )


def spc_charts(
    monthly: pd.DataFrame, config: Config, registry: Mapping[str, Any]
) -> dict[str, SpcResult]:
    """An XmR chart for each SPC series of the monthly table (oldest month first).

    Limits are recalculated at each configured rebase month that falls in the series.
    """
    months = [str(m) for m in monthly["month"]]
    rebase = [i for i, m in enumerate(months) if m in set(config.spc.rebase_months)]
    out: dict[str, SpcResult] = {}
    for column in charted_series(config, list(monthly.columns)):
        metric = SPC_SERIES[column]
        if column not in monthly.columns:
            continue
        spec = registry.get(metric)
        target = config.targets.get(metric)
        out[column] = xmr(
            monthly[column].to_numpy(dtype="float64"),
            run_length=config.spc.run_length,
            trend_length=config.spc.trend_length,
            rebase_at=rebase,
            improvement=spec.direction if spec is not None else None,
            target=target.target if target is not None else None,
            labels=months,
            fix_after_n_points=config.spc.fix_after_n_points,
            # A rate is a proportion: its limits cannot go below 0% or above 100%.
            bounds=PROPORTION if spec is not None and spec.shown_as == "percent" else None,
        )
    return out


def analyse(
    metrics: pd.DataFrame,
    monthly: pd.DataFrame,
    *,
    quarter: Quarter,
    quarters: Sequence[Quarter],
    config: Config,
    registry: Mapping[str, Any] | None = None,
) -> Analysis:
    """The numbers of the analysis, from the undisclosed metrics and monthly series."""
    registry = _registry(config) if registry is None else registry
    text, notice = None, None
    path = config.resolve(config.commentary)
    if path is not None:
        text, notice = commentary_for(
            read_commentary(path), quarter, keep=config.commentary_other_quarter == "keep"
        )
    return Analysis(
        quarter=quarter,
        history=kpi_history(metrics, quarters, kpis=HEADLINE_KPIS, registry=registry),
        rag=rag_table(metrics, quarter.id, config.targets, registry=registry),
        spc=spc_charts(monthly, config, registry),
        months=[str(m) for m in monthly["month"]],
        commentary_text=text,
        notices=[notice] if notice else [],
    )


def write_narrative(
    analysis: Analysis,
    disclosed_metrics: pd.DataFrame,
    config: Config,
    *,
    templates_path: Path = DEFAULT_TEMPLATES,
    registry: Mapping[str, Any] | None = None,
    published_spc: Mapping[str, Any] | None = None,
) -> Analysis:
    """Write the key messages from the disclosed table into `analysis.key_messages`,
    re-rate the targets from the disclosed figures, and return the same `analysis`
    (the orchestrator reassigns it: `analysis = write_narrative(...)`).

    `published_spc` is each control chart as the audience may see it (the disclosure
    stage's `spc_result`): a sentence never rests on limits or signals the paper withholds.
    Without it, `analysis.spc` is used as it is."""
    registry = _registry(config) if registry is None else registry
    analysis.rag = rag_table(
        disclosed_metrics, analysis.quarter.id, config.targets, registry=registry
    )
    analysis.key_messages = key_messages(
        disclosed_metrics,
        analysis.quarter,
        history=analysis.history,
        rag=analysis.rag,
        spc=analysis.spc if published_spc is None else published_spc,
        config=config,
        templates_path=templates_path,
    )
    if analysis.commentary_text is not None:
        # The commentary quotes this run's figures as disclosed: [c] where withheld.
        path = config.resolve(config.commentary) or Path("commentary.md")
        ctx = commentary_context(
            disclosed_metrics,
            analysis.quarter,
            history=analysis.history,
            rag=analysis.rag,
            config=config,
        )
        analysis.commentary = render_markdown(fill_commentary(analysis.commentary_text, ctx, path))
    return analysis


__all__ = ["SPC_SERIES", "Analysis", "analyse", "spc_charts", "write_narrative"]
