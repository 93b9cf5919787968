"""Revisions: which published figures a rerun changed, and which input changed under them.

A board member asks "why is last quarter's figure different from the paper I read?". When
the out folder already holds an earlier run's `metrics.csv` and `manifest.json` (or
`--compare-with DIR` names such a folder), the new run's figures are compared with them,
cell by cell as metrics.csv writes them, for every quarter, cohort and metric the two runs
share. The comparison is read before any output is replaced, and is part of the run's results
like any other figure: the renderers only show it.

What the audience may see:
- internal: every figure whose numerator, denominator or value changed, with both values
  (an earlier public run's withheld figure shows as `[c]`: its value was never written);
- public: only figures published in both runs, and only against an earlier public run. A
  figure withheld in either run is never compared, so a revision can never reveal a withheld
  number, nor that it moved; an earlier internal run is not compared at all, since its
  "previous values" include figures the public may not see.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.errors import UsageError

METRICS_CSV = "metrics.csv"
MANIFEST = "manifest.json"
WITHHELD = "[c]"
KEY = ("quarter", "cohort", "metric")
CELLS = ("numerator", "denominator", "value")


@dataclass(frozen=True)
class Previous:
    """An earlier run's outputs: metrics.csv as text cells, and what its manifest says."""

    folder: Path
    cells: dict[tuple[str, str, str], tuple[str, str, str]]
    manifest: dict[str, Any]


@dataclass(frozen=True)
class Revision:
    """One figure that changed: its key, the previous and new cells, and why."""

    quarter: str
    cohort: str
    metric: str
    old: tuple[str, str, str]  # numerator, denominator, value as metrics.csv wrote them
    new: tuple[str, str, str]

    @property
    def published_in_both(self) -> bool:
        return WITHHELD not in self.old and WITHHELD not in self.new


@dataclass(frozen=True)
class Revisions:
    """Every changed figure (for the audience of this run), and what changed under them."""

    rows: list[Revision]
    changed_inputs: list[str]  # e.g. ["interviews extract"]; what differs between the runs
    previous_as_at: str  # ISO date of the earlier run's data

    @property
    def published(self) -> int:
        """Figures published in both runs that changed: the count the public paper gives."""
        return sum(1 for r in self.rows if r.published_in_both)

    @property
    def quarters(self) -> list[str]:
        return sorted({r.quarter for r in self.rows})


def _read_metrics(path: Path) -> dict[tuple[str, str, str], tuple[str, str, str]]:
    """metrics.csv's cells by key; raise ValueError naming the problem if it is not one."""
    text = path.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in (*KEY, *CELLS) if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"it has no {', '.join(missing)} column")
    cells = {}
    for record in reader:
        cells[tuple(record[k] for k in KEY)] = tuple(record[c] or "" for c in CELLS)
    return cells  # type: ignore[return-value]


def _latest(folder: Path, name: str) -> Path:
    """Where the earlier run's file is: inside a commit a killed run left half done (the
    complete set, which the next run's out folder moves into place first), else in `folder`."""
    from pipeline.outdir import COMMIT_NAME

    pending = folder / COMMIT_NAME / name
    return pending if pending.is_file() else folder / name


def read_previous(folder: Path, *, required: bool = False) -> Previous | None:
    """The earlier run's outputs in `folder`, or None when there are none.

    With `required` (the folder was named with --compare-with) a missing or unreadable file
    is a usage error; otherwise an unreadable earlier output is ignored, with a warning, so
    a damaged old file never stops this quarter's paper."""
    metrics, manifest = _latest(folder, METRICS_CSV), _latest(folder, MANIFEST)
    if not metrics.is_file() or not manifest.is_file():
        if required:
            raise UsageError(
                f"--compare-with {folder}: the folder has no earlier run's {METRICS_CSV} and "
                f"{MANIFEST}. Name the out folder of an earlier run."
            )
        return None
    try:
        cells = _read_metrics(metrics)
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("the manifest is not a JSON object")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        message = (
            f"{folder}: the earlier run's outputs could not be read ({exc}), so revisions "
            "since that run are not listed."
        )
        if required:
            raise UsageError(
                message + " Name the out folder of an earlier, complete run."
            ) from None
        import sys

        print(f"Warning: {message}", file=sys.stderr)
        return None
    return Previous(folder, cells, data)


def changed_inputs(previous: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """What differs between two manifests' inputs: each extract by name, then the config,
    the as-at date and the program version."""

    def hashes(manifest: dict[str, Any]) -> dict[str, str]:
        return {
            str(i.get("name")): str(i.get("sha256"))
            for i in manifest.get("inputs", [])
            if isinstance(i, dict)
        }

    old, new = hashes(previous), hashes(current)
    out = [
        f"{name} extract"
        for name in sorted(old.keys() | new.keys())
        if old.get(name) != new.get(name)
    ]
    if previous.get("config_sha256") != current.get("config_sha256"):
        out.append("config")
    if previous.get("as_at") != current.get("as_at"):
        out.append("as-at date")
    old_version = (previous.get("package") or {}).get("version")
    new_version = (current.get("package") or {}).get("version")
    if old_version != new_version:
        out.append("program version")
    return out


def compare(
    previous: Previous,
    metrics_cells: pd.DataFrame,
    manifest: dict[str, Any],
    *,
    audience: str,
) -> Revisions | None:
    """The figures of `metrics_cells` (metrics.csv's text cells for this run) that differ from
    the earlier run's, for keys both runs have; None when nothing the audience may see changed
    (so an unchanged rerun writes the same bytes as the first run)."""
    if audience != "internal" and previous.manifest.get("audience") != "public":
        # An earlier internal edition holds figures the public may not see: a public list
        # of its "previous values" would publish them.
        return None
    rows = []
    for record in metrics_cells.itertuples(index=False):
        key = (record.quarter, record.cohort, record.metric)
        old = previous.cells.get(key)
        new = (record.numerator, record.denominator, record.value)
        if old is None or old == new:
            continue
        revision = Revision(*key, old=old, new=new)
        if audience == "internal" or revision.published_in_both:
            rows.append(revision)
    if not rows:
        return None
    return Revisions(
        rows=rows,
        changed_inputs=changed_inputs(previous.manifest, manifest),
        previous_as_at=str(previous.manifest.get("as_at", "")),
    )


def find_revisions(results: Any, folder: Path, *, required: bool = False) -> Revisions | None:
    """Revisions of this run's figures since the earlier run whose outputs are in `folder`.

    Call it before the new outputs replace the old ones."""
    previous = read_previous(folder, required=required)
    if previous is None:
        return None
    from pipeline.render.csvs import disclosed_metrics, metrics_frame

    cells = metrics_frame(disclosed_metrics(results), audience=results.audience)
    current = {
        "inputs": [{"name": i.name, "sha256": i.sha256} for i in results.inputs],
        "config_sha256": results.config_sha256,
        "as_at": results.as_at.isoformat(),
        "package": {"version": _package_version()},
    }
    return compare(previous, cells, current, audience=results.audience)


def _package_version() -> str:
    from pipeline.render.manifest import package_version

    return package_version()


__all__ = [
    "Previous",
    "Revision",
    "Revisions",
    "changed_inputs",
    "compare",
    "find_revisions",
    "read_previous",
]
