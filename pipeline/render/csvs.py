"""metrics.csv and data-quality.csv: the figures and the findings, for analysts to reuse.

Both files are UTF-8 without a BOM, `\\n` line endings, a header row and no index column, and
every text cell is protected against formula injection (`safety.neutralise_formula`).

metrics.csv number formats (the same for both audiences):
- counts, numerators and denominators: whole numbers (`65`);
- rates (`kind` ratio): the decimal to 6 places (`0.601852`, `0.500000`), never a percentage;
- medians (`kind` median_hours): hours to 2 places (`36.52`): 0.01 hour is 36 seconds, finer
  than the one-minute resolution of the extracts' times;
- blank for no figure (a rate whose denominator is 0, a median over no interviews, and the
  numerator and denominator a count does not have);
- public audience: a withheld row has `[c]` in `numerator`, `denominator` and `value`.

data-quality.csv: `severity,file,row,column,rule,message`, one row per finding, in the order
the validator gives. `file` is always the file name alone, never a folder. For the public
audience the message is replaced by a fixed sentence, because validation messages quote the
offending value, which may be a child's ID, a date of birth or free text (docs/privacy.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.findings import Finding
from pipeline.render.safety import SUPPRESSED, csv_bytes, file_name_only, write_bytes

METRICS_CSV = "metrics.csv"
DATA_QUALITY_CSV = "data-quality.csv"
METRICS_HEADER = ("quarter", "cohort", "metric", "numerator", "denominator", "value")
DATA_QUALITY_HEADER = ("severity", "file", "row", "column", "rule", "message")

RATE_PLACES = 6
HOURS_PLACES = 2


def disclosed_metrics(results: Any) -> pd.DataFrame:
    """The run's metrics table with its `suppressed` column set from the disclosure
    stage's decisions."""
    return results.disclosure.flags(results.metrics)


def metric_kinds(metrics: pd.DataFrame, registry: Any = None) -> pd.Series:
    """Each row's kind ("count", "ratio", "median_hours") from the registry; a metric the
    registry does not know is a count when it has neither numerator nor denominator, else a
    ratio."""
    if registry is None:
        from pipeline.metrics.registry import REGISTRY

        registry = REGISTRY
    known = metrics["metric"].map({key: spec.kind for key, spec in registry.items()})
    shaped = pd.Series(
        np.where(metrics["numerator"].isna() & metrics["denominator"].isna(), "count", "ratio"),
        index=metrics.index,
    )
    return known.fillna(shaped).astype("str")


def _whole(values: pd.Series) -> pd.Series:
    """Whole numbers as text; blank for NaN."""
    numbers = values.astype("float64")
    return numbers.map(lambda v: "" if np.isnan(v) else f"{v:.0f}").astype("str")


def _decimals(values: pd.Series, places: int) -> pd.Series:
    numbers = values.astype("float64")
    return numbers.map(lambda v: "" if np.isnan(v) else f"{v:.{places}f}").astype("str")


def metrics_frame(metrics: pd.DataFrame, *, audience: str, registry: Any = None) -> pd.DataFrame:
    """The metrics table as the text cells of metrics.csv (see the module docstring)."""
    kinds = metric_kinds(metrics, registry)
    value = _whole(metrics["value"])
    value = value.mask(kinds == "ratio", _decimals(metrics["value"], RATE_PLACES))
    value = value.mask(kinds == "median_hours", _decimals(metrics["value"], HOURS_PLACES))
    out = pd.DataFrame(
        {
            "quarter": metrics["quarter"].astype("str"),
            "cohort": metrics["cohort"].astype("str"),
            "metric": metrics["metric"].astype("str"),
            "numerator": _whole(metrics["numerator"]),
            "denominator": _whole(metrics["denominator"]),
            "value": value,
        }
    )
    if audience != "internal":
        withheld = metrics["suppressed"].to_numpy(dtype=bool)
        out.loc[withheld, ["numerator", "denominator", "value"]] = SUPPRESSED
    return out


def metrics_csv_bytes(metrics: pd.DataFrame, *, audience: str, registry: Any = None) -> bytes:
    """The bytes of metrics.csv."""
    frame = metrics_frame(metrics, audience=audience, registry=registry)
    return csv_bytes(METRICS_HEADER, frame.itertuples(index=False, name=None))


def write_metrics_csv(results: Any, out_dir: Path) -> str:
    """Write metrics.csv into `out_dir`; returns its file name."""
    data = metrics_csv_bytes(disclosed_metrics(results), audience=results.audience)
    write_bytes(out_dir / METRICS_CSV, data)
    return METRICS_CSV


def public_message(finding: Finding) -> str:
    """The fixed sentence the public data-quality file gives instead of a finding's message."""
    where = "the whole file" if finding.row is None else f"row {finding.row}"
    if finding.column:
        where += f", column {finding.column}"
    return (
        f"Rule '{finding.rule}' found a problem at {where}. The value is not published; "
        "the internal edition of this file gives the details."
    )


def data_quality_rows(findings: list[Finding], *, audience: str) -> list[list[str]]:
    """The text cells of data-quality.csv, one list per finding."""
    return [
        [
            f.severity,
            file_name_only(f.file),
            "" if f.row is None else str(int(f.row)),
            f.column or "",
            f.rule,
            f.message if audience == "internal" else public_message(f),
        ]
        for f in findings
    ]


def data_quality_csv_bytes(findings: list[Finding], *, audience: str) -> bytes:
    """The bytes of data-quality.csv."""
    return csv_bytes(DATA_QUALITY_HEADER, data_quality_rows(findings, audience=audience))


def write_data_quality_csv(results: Any, out_dir: Path) -> str:
    """Write data-quality.csv into `out_dir`; returns its file name."""
    data = data_quality_csv_bytes(list(results.findings), audience=results.audience)
    write_bytes(out_dir / DATA_QUALITY_CSV, data)
    return DATA_QUALITY_CSV


__all__ = [
    "DATA_QUALITY_CSV",
    "DATA_QUALITY_HEADER",
    "METRICS_CSV",
    "METRICS_HEADER",
    "data_quality_csv_bytes",
    "data_quality_rows",
    "disclosed_metrics",
    "metric_kinds",
    "metrics_csv_bytes",
    "metrics_frame",
    "public_message",
    "write_data_quality_csv",
    "write_metrics_csv",
]
