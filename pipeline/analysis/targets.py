"""Targets from the config, rated red, amber or green, always with words and a symbol too.

Colour alone must never carry the meaning (WCAG 1.4.1), so every rating has a word
("Target met", "Close to target", "Target missed", "No data") and a symbol. The symbols are
glyphs that exist in the report's font, Atkinson Hyperlegible: "√" met, "≈" close, "×"
missed, "–" no data. They are decorative (renderers should mark them aria-hidden): the word
carries the meaning for screen readers, which would read "√" as "square root".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from pipeline.config import Target

Status = Literal["green", "amber", "red", "no data"]

# Tolerance for comparing a rate to its target: 27/30 is 0.9 in decimal but not quite in
# binary, and must count as meeting a 90% target.
_EPS = 1e-9


@dataclass(frozen=True)
class Rag:
    """One figure's rating against its target: status, a word and a symbol."""

    status: Status
    word: str
    symbol: str
    value: float | None = None
    target: float | None = None
    direction: str | None = None

    @property
    def met(self) -> bool:
        return self.status == "green"


_WORDS: dict[Status, tuple[str, str]] = {
    "green": ("Target met", "√"),
    "amber": ("Close to target", "≈"),
    "red": ("Target missed", "×"),
    "no data": ("No data", "–"),
}


def _make(status: Status, value: float | None, target: Target, direction: str) -> Rag:
    word, symbol = _WORDS[status]
    return Rag(status, word, symbol, value, target.target, direction)


def rag(
    value: float | None,
    target: Target,
    direction: str | None,
    *,
    suppressed: bool = False,
) -> Rag:
    """Rate `value` against `target`.

    With direction "up" (higher is better) the target is met when value >= target, close
    when the shortfall is at most `target.amber_within`, and missed otherwise; "down" is the
    mirror image. A metric with no better direction is rated as "up" (a target is read as
    "at least"). A blank value is "no data"; so is a suppressed one, because a rating beside
    a hidden figure would give part of it away.
    """
    way = direction if direction in ("up", "down") else "up"
    if suppressed or value is None or (isinstance(value, float) and math.isnan(value)):
        return _make("no data", None, target, way)
    value = float(value)
    shortfall = target.target - value if way == "up" else value - target.target
    if shortfall <= _EPS:
        status: Status = "green"
    elif shortfall <= target.amber_within + _EPS:
        status = "amber"
    else:
        status = "red"
    return _make(status, value, target, way)


def rag_table(
    metrics: pd.DataFrame,
    quarter: str,
    targets: Mapping[str, Target],
    *,
    cohort: str = "all",
    registry: Mapping[str, Any] | None = None,
) -> dict[str, Rag]:
    """A rating for each configured target, from the reported quarter's figures.

    If the table has a `suppressed` column (after disclosure) suppressed figures rate as
    "no data". Targets for metrics the registry does not know are skipped.
    """
    if registry is None:
        from pipeline.metrics.registry import REGISTRY

        registry = REGISTRY
    rows = metrics[(metrics["quarter"] == quarter) & (metrics["cohort"] == cohort)]
    by_metric = rows.set_index("metric")
    out: dict[str, Rag] = {}
    for metric, target in targets.items():
        if metric not in registry:
            continue
        value: float | None = None
        suppressed = False
        if metric in by_metric.index:
            value = float(by_metric.at[metric, "value"])
            if "suppressed" in by_metric.columns:
                suppressed = bool(by_metric.at[metric, "suppressed"])
        out[metric] = rag(value, target, registry[metric].direction, suppressed=suppressed)
    return out


__all__ = ["Rag", "rag", "rag_table"]
