"""Revisions since the previous run, as the paper and the workbook show them.

`pipeline.revisions` has already kept only what the audience may see (for the public, figures
published in both runs), so everything here can be shown as it is:

- the paper's "About the figures" notes say that figures were revised, with the count;
- the internal paper has an appendix listing every changed figure;
- the workbook has a Revisions sheet listing the same rows as the run's audience may see.

With no revisions (no earlier run, or nothing changed) nothing is added anywhere, so an
unchanged rerun writes the same bytes as the first run.
"""

from __future__ import annotations

from typing import Any

from pipeline.metrics import present
from pipeline.render.blocks import Block, Numberer, Section

SECTION_ID = "revisions"
SHEET = "Revisions"


def _iso_date_words(iso: str) -> str:
    from datetime import date

    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day:%B %Y}"


def _because(revisions: Any) -> str:
    changed = revisions.changed_inputs
    if not changed:
        return ""
    return " The " + _and(changed) + " changed."


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def note(results: Any) -> str | None:
    """The sentence for the paper's notes, or None when no figure the audience sees changed."""
    revisions = getattr(results, "revisions", None)
    if revisions is None:
        return None
    count = revisions.published if results.audience == "public" else len(revisions.rows)
    if not count:
        return None
    noun = "figure" if count == 1 else "figures"
    if results.audience == "public":
        noun = f"published {noun}"
    quarters = ", ".join(_quarter_label(q) for q in revisions.quarters)
    text = (
        f"Figures for earlier quarters were revised: {count:,} {noun} "
        f"({quarters}) differ from the previous run, with data as at "
        f"{_iso_date_words(revisions.previous_as_at)}.{_because(revisions)}"
    )
    if results.audience == "public":
        return text + " tables.xlsx lists them."
    return text + " Appendix D lists them."


def _quarter_label(quarter_id: str) -> str:
    from pipeline.periods import Quarter

    try:
        return Quarter.parse(quarter_id).short_label
    except ValueError:
        return quarter_id


def _labels(results: Any) -> tuple[dict[str, Any], dict[str, str]]:
    from pipeline.metrics.registry import COHORTS, configured_registry

    cfg = results.config
    registry = configured_registry(
        cfg.timeliness_hours, cfg.repeat_threshold, cfg.independent_roles
    )
    return registry, dict(COHORTS)


def _shown(spec: Any, cell: str) -> str:
    """A metrics.csv value cell as the paper shows the figure."""
    if cell == present.SUPPRESSED or spec is None:
        return cell
    if cell == "":
        return present.NO_CASES if spec.kind != "count" else ""
    shown_as = getattr(spec, "shown_as", None) or {
        "ratio": "percent",
        "median_hours": "hours",
    }.get(spec.kind, "count")
    return present.value(shown_as, float(cell))


def appendix(results: Any, num: Numberer) -> Section | None:
    """Appendix D (internal audience): every changed figure, old and new."""
    revisions = getattr(results, "revisions", None)
    if revisions is None or results.audience != "internal" or not revisions.rows:
        return None
    from pipeline.render.charts import DataTable

    registry, cohorts = _labels(results)
    rows = []
    for r in revisions.rows:
        spec = registry.get(r.metric)
        rows.append(
            [
                _quarter_label(r.quarter),
                cohorts.get(r.cohort, r.cohort),
                spec.label if spec is not None else r.metric,
                _shown(spec, r.old[2]),
                _shown(spec, r.new[2]),
            ]
        )
    intro = (
        f"{len(revisions.rows):,} figures differ from the previous run of this paper, with data "
        f"as at {_iso_date_words(revisions.previous_as_at)}.{_because(revisions)} "
        f"Published in both runs (the only ones a public paper counts): "
        f"{revisions.published:,}."
    )
    table = DataTable(
        "Figures revised since the previous run",
        ["Quarter", "Group of children", "Measure", "Previously", "Now"],
        rows,
        note="A rate or median can change while its value as shown stays the same: "
        "tables.xlsx has every numerator and denominator.",
    )
    return Section(
        SECTION_ID,
        "Appendix D: Revisions since the previous run",
        [Block("text", text=intro), num.table(table)],
    )


def _cell(text: str) -> Any:
    """A metrics.csv cell for the workbook: a number where it is one, else its text."""
    if text in ("", present.SUPPRESSED):
        return text or "[z]"
    number = float(text)
    return int(number) if number.is_integer() else number


def workbook_table(results: Any) -> Any:
    """The Revisions sheet (None when there are none to show)."""
    revisions = getattr(results, "revisions", None)
    if revisions is None or not revisions.rows:
        return None
    from pipeline.render.workbook import Table

    registry, cohorts = _labels(results)
    because = ", ".join(revisions.changed_inputs) or "none of the inputs' hashes"
    rows, row_formats = [], []
    for r in revisions.rows:
        spec = registry.get(r.metric)
        row_formats.append(_book_format(spec))
        rows.append(
            [
                _quarter_label(r.quarter),
                cohorts.get(r.cohort, r.cohort),
                spec.label if spec is not None else r.metric,
                r.metric,
                *[_cell(c) for pair in zip(r.old, r.new, strict=True) for c in pair],
                because,
            ]
        )
    return Table(
        SHEET,
        "Figures revised since the previous run",
        f"Compared with the run with data as at {revisions.previous_as_at}. Values as in "
        "metrics.csv (rates as decimals, medians in hours). "
        + (
            "Only figures published in both runs are listed."
            if results.audience == "public"
            else "Every figure that changed is listed."
        ),
        [
            "Quarter",
            "Group of children",
            "Measure",
            "Metric ID",
            "Previous numerator",
            "New numerator",
            "Previous denominator",
            "New denominator",
            "Previous value",
            "New value",
            "What changed",
        ],
        rows,
        [*["text"] * 4, *["count"] * 4, "mixed", "mixed", "text"],
        row_formats,
    )


def _book_format(spec: Any) -> str:
    """The workbook number format of a metric's value."""
    if spec is None:
        return "number"
    return getattr(spec, "shown_as", None) or {"ratio": "percent", "median_hours": "hours"}.get(
        spec.kind, "count"
    )


__all__ = ["SECTION_ID", "SHEET", "appendix", "note", "workbook_table"]
