"""Assembles a run's `Results` into what the board paper shows: text, tables and charts.

The parts live in modules named for what they hold: `figures` (looking a figure up, as text
through `pipeline.metrics.present`), `tiles` (the summary's headline figures), `tables` and
`breakdowns` (tables and charts), `titles` (chart titles stating their message), `sections`
(the numbered parts), `appendices` (methodology, data quality, provenance) and `crossrefs`
(where each chart's figures are in the workbook). This module puts them in reading order.
The template then only lays things out: it never formats a number or decides what to say.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.render.appendices import (
    _cohort_definition,
    _long_date,
    _rules,
    methodology_rows,
    provenance_rows,
    quality_view,
)
from pipeline.render.blocks import Block, Numberer, Section
from pipeline.render.breakdowns import NOT_SHOWN
from pipeline.render.capacity import assumptions as capacity_assumptions
from pipeline.render.capacity import capacity_section, capacity_summary
from pipeline.render.charts import Chart
from pipeline.render.crossrefs import _name_workbook_sheets
from pipeline.render.figures import OUT, Figures, _registry
from pipeline.render.revisions import appendix as revisions_appendix
from pipeline.render.revisions import note as revisions_note
from pipeline.render.sections import (
    NOT_RECORDED_NOTE,
    SECTIONS,
    _interviews_section,
    _missing_section,
    _out_of_county_section,
    _recorded_section,
    _section_for,
    _simple_section,
    _timeliness_section,
    _trends_section,
)
from pipeline.render.tiles import Tile, tiles
from pipeline.results import Results


@dataclass
class ReportView:
    """Everything the template shows, already in words."""

    meta: dict[str, Any]
    tiles: list[Tile]
    key_messages: list[str]
    summary_commentary: Any
    sections: list[Section]
    methodology: list[dict[str, str]]
    rules: list[str]
    cohorts: list[tuple[str, str]]
    quality: dict[str, Any]
    provenance: list[tuple[str, str]]
    notes: list[str]
    charts: list[Chart]
    board_asks: list[str] = field(default_factory=list)  # items after "The Board is asked to"
    assumptions: list[str] = field(default_factory=list)  # the capacity replay's, in words
    appendices: list[Section] = field(default_factory=list)  # after Appendix C (revisions)


def build_view(results: Results) -> ReportView:
    """Everything the board paper shows, in reading order, as words, tables and charts."""
    cfg = results.config
    registry = _registry(results)
    fig = Figures(results.metrics, registry)
    q = results.quarter
    internal = results.audience == "internal"
    marking = "OFFICIAL-SENSITIVE" if internal else "OFFICIAL"
    meta = {
        "council": cfg.council_name,
        "board": cfg.board_name,
        "title": cfg.report_title,
        "quarter_label": q.label,
        "quarter_short": q.short_label,
        "months_label": q.months_label,
        "owner": cfg.report_owner,
        "date_line": (
            _long_date(cfg.report_date)
            if cfg.report_date
            else f"Data as at {_long_date(results.as_at)}"
        ),
        "as_at": _long_date(results.as_at),
        "marking": marking,
        "not_for_publication": internal,
        "marking_line": f"{marking}: not for publication" if internal else marking,
        "audience": results.audience,
        "document_title": f"{cfg.report_title}: {q.label}",
        "short_title": f"Return home interviews, {q.short_label}",
    }
    num = Numberer()
    placed: dict[str, list[Any]] = {s: [] for s, _ in SECTIONS}
    for b in results.disclosure.published(results.breakdowns):
        if b.id not in NOT_SHOWN:
            placed[_section_for(b)].append(b)

    analysis = results.analysis
    commentary = dict(getattr(analysis, "commentary", None) or {})
    sections = [
        _missing_section(results, fig, num, placed["missing"]),
        _recorded_section(
            fig,
            "interviews",
            ("rhi_offered_rate", "all"),
            lambda: _interviews_section(results, fig, num, placed["interviews"]),
        ),
        _recorded_section(
            fig,
            "timeliness",
            ("rhi_timely_rate", "all"),
            lambda: _timeliness_section(results, fig, num, placed["timeliness"]),
        ),
        _recorded_section(
            fig,
            "out_of_county",
            ("rhi_offered_rate", OUT),
            lambda: _out_of_county_section(results, fig, num, placed["out_of_county"]),
        ),
        _simple_section(
            results,
            "risks",
            "Risks identified",
            "The risks of harm and exploitation that return home interviews identified.",
            num,
            placed["risks"],
        ),
        _simple_section(
            results,
            "workload",
            "Workload of return home interview practitioners",
            "How the completed interviews were shared between practitioners."
            if placed["workload"] or not results.disclosure.public
            else staff_privacy_text(results, fig),
            num,
            placed["workload"],
        ),
        _trends_section(results, fig, num),
    ]
    # What it would take: the full replay is a section of the internal paper; the public
    # paper's short summary closes the workload section (a section of its own would add a
    # line to the contents and, on the sample, a page).
    what = (capacity_section if internal else capacity_summary)(results, num)
    workload = next((x for x in sections if x.id == "workload"), None)
    if what is not None and (internal or workload is None):
        sections.append(what)
    elif what is not None and workload is not None:
        workload.blocks.extend([Block("h3", text=what.title), *what.blocks])
    appendices = [a for a in (revisions_appendix(results, num),) if a is not None]
    _name_workbook_sheets(results, sections, num)
    for section in sections:
        if section.id in commentary:
            section.blocks.insert(0, Block("commentary", html=commentary[section.id]))

    notes = []
    if not internal:
        notes.append(
            f"[c] means a figure is not shown because it is fewer than {cfg.suppress_below}, "
            "or because it would let such a figure be worked out, to protect the children's "
            "privacy. Rates and times built on such a figure are not shown either."
        )
    metrics = results.metrics
    if "not_recorded" in metrics.columns and bool(metrics["not_recorded"].any()):
        notes.append(NOT_RECORDED_NOTE)
    notes.append(
        "The figures behind every chart are in a table beside it and in the workbook "
        "tables.xlsx; each figure's caption says where."
    )
    notes.append(
        "Percentages are whole numbers, rounded half away from zero. 'No cases' means there was "
        "nothing to count, so no rate can be given."
    )
    revised = revisions_note(results)
    if revised:
        notes.append(revised)
    from pipeline.metrics.registry import COHORTS

    return ReportView(
        meta=meta,
        tiles=tiles(results, fig),
        key_messages=list(getattr(analysis, "key_messages", None) or []),
        summary_commentary=commentary.get("summary"),
        sections=sections,
        methodology=methodology_rows(results),
        rules=_rules(results),
        cohorts=[(COHORTS[c], _cohort_definition(c)) for c in COHORTS],
        quality=quality_view(results),
        provenance=provenance_rows(results),
        notes=notes,
        charts=num.charts,
        board_asks=_board_asks(results),
        assumptions=capacity_assumptions(results) if internal else [],
        appendices=appendices,
    )


def staff_privacy_text(results: Results, fig: Figures) -> str:
    """The public workload section: the total only, never per person (a team of two
    dedicated workers would be identified)."""
    held = fig.text(results.quarter, "all", "rhi_completed")
    total = (
        f" In total, {held} return home interviews were completed this quarter."
        if held not in ("[c]", "not available", "")
        else ""
    )
    return (
        "Workload per practitioner is not published: in a small team it would identify "
        "members of staff. The internal edition of this paper gives it." + total
    )


def _board_asks(results: Results) -> list[str]:
    """What the Board is asked to do, from the council's editable templates and the
    disclosed figures (the same figures as the key messages); none without an analysis."""
    analysis = results.analysis
    if analysis is None or not hasattr(analysis, "rag"):
        return []
    from pipeline.analysis.narrative import board_asks

    return board_asks(
        results.metrics,
        results.quarter,
        history=getattr(analysis, "history", None),
        rag=getattr(analysis, "rag", None) or {},
        config=results.config,
    )


__all__ = [
    "ReportView",
    "build_view",
]
