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
    target_rows,
)
from pipeline.render.blocks import Block, Numberer, Section
from pipeline.render.capacity import assumptions as capacity_assumptions
from pipeline.render.charts import Chart, DataTable, worded_table
from pipeline.render.components import Components, QuarterFigures, period
from pipeline.render.crossrefs import _name_workbook_sheets
from pipeline.render.figures import Figures, _registry
from pipeline.render.profiles import Profile, load_profile
from pipeline.render.revisions import note as revisions_note
from pipeline.render.sections import NOT_RECORDED_NOTE, _section_for, not_recorded_text
from pipeline.render.tiles import Tile, tiles
from pipeline.render.worklists import worklist_tables
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
    profile: Profile | None = None


def build_view(
    results: Results, profile: Profile | None = None, workbook: str = "tables.xlsx"
) -> ReportView:
    """Everything a report shows, in reading order, as words, tables and charts.

    `profile` says which sections, in which order, with which headings and tiles (the
    board paper's when None); each section's words come from its template. `workbook` is the
    file the captions point the reader at for each chart's figures.
    """
    from pipeline.metrics.registry import COHORTS
    from pipeline.render.report import environment

    if profile is None:
        profile = load_profile("board_paper", results.config)
    cfg = results.config
    registry = _registry(results)
    fig = Figures(results.metrics, registry)
    q = results.quarter
    internal = results.audience == "internal"
    marking = "OFFICIAL-SENSITIVE" if internal else "OFFICIAL"
    title = profile.title or cfg.report_title
    meta = {
        "council": cfg.council_name,
        "board": cfg.board_name,
        "title": title,
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
        "document_title": f"{title}: {q.label}",
        "short_title": f"Return home interviews, {q.short_label}",
        "report": profile.id,
        "council_dir": _council_dir(results),
    }
    analysis = results.analysis
    commentary = dict(getattr(analysis, "commentary", None) or {})
    headline = tiles(results, fig, [(t.metric, t.cohort, t.label) for t in profile.tiles])
    quality = quality_view(results)
    data = {
        "key_messages": list(getattr(analysis, "key_messages", None) or []),
        "board_asks": list(results.board_asks),
        "actions": list(cfg.board_actions),
        "rules": _rules(results),
        "targets": target_rows(results, registry),
        "cohorts": [(COHORTS[c], _cohort_definition(c)) for c in COHORTS],
        "methodology": methodology_rows(results),
        "quality": quality,
        "provenance": provenance_rows(results),
        "workbook": workbook,
        "internal": internal,
        # The replay's assumptions go in the internal methodology; the public paper points
        # to the Capacity assumptions sheet of the workbook.
        "assumptions": capacity_assumptions(results) if internal else [],
    }
    tables = _prepared_tables(results, quality)
    placed = _placement(results, profile)
    num = Numberer()
    env = environment(_council_dir(results))
    words = period(results)
    figures = QuarterFigures(results, fig)
    sections: list[Section] = []
    section_ids = frozenset(spec.id for spec in profile.sections)
    data["sections"] = section_ids
    # The worklists' sentences (worked out upstream), only for a report that shows them.
    lists = results.worklists if internal and "worklists" in section_ids else None
    data["worklist_actions"] = list(lists.actions) if lists is not None else []
    data["worklist_ledes"] = (
        {w.id: w.lede for w in results.worklists.items if w.lede}
        if internal and results.worklists is not None
        else {}
    )
    # A list with no rows is one sentence in place of its table.
    data["worklist_empty"] = (
        {w.id: w.empty for w in results.worklists.items if w.frame.empty}
        if internal and results.worklists is not None
        else {}
    )
    for spec in profile.sections:
        missing = not_recorded_text(fig, spec.id)
        if missing is not None:
            # Its data is not held: one sentence in the section's place, no figure or chart.
            section = Section(spec.id, spec.title, [Block("text", text=missing)], spec.style)
            section.anchor = spec.anchor or spec.id
            sections.append(section)
            continue
        parts = Components(
            results,
            fig,
            num,
            placed.get(spec.id, []),
            charted=frozenset(profile.charted),
            compared=frozenset(profile.compared),
            extra={
                "commentary": commentary.get(spec.id),
                "tiles": headline,
                "tables": tables,
                "sections": section_ids,
            },
        )
        html = env.get_template(f"sections/{spec.id}.html.j2").render(
            c=parts, f=figures, q=words, r=data, section=spec
        )
        blocks = parts.blocks_of(html)
        if not blocks:
            # A section with nothing to show this time (no revisions, the replay switched
            # off) is left out, contents entry and all.
            continue
        section = Section(spec.id, spec.title, blocks, spec.style)
        section.anchor = spec.anchor or spec.id
        if spec.id in commentary and not parts.commentary_placed:
            section.blocks.insert(0, Block("commentary", html=commentary[spec.id]))
        sections.append(section)
    _name_workbook_sheets(results, sections, num, workbook)

    notes = []
    if not internal:
        small = (
            f"1 to {cfg.suppress_below - 1} (zero is shown)"
            if cfg.suppress_below > 2
            else f"fewer than {cfg.suppress_below}"
        )
        notes.append(
            f"[c] means a figure is not shown because it is {small}, "
            "or because it would let such a figure be worked out, to protect the children's "
            "privacy. Rates and times built on such a figure are not shown either."
        )
    metrics = results.metrics
    if "not_recorded" in metrics.columns and bool(metrics["not_recorded"].any()):
        notes.append(NOT_RECORDED_NOTE)
    notes.append(
        f"The figures behind every chart are in the workbook {workbook} (in the web version, "
        "also under each chart); each caption names the sheet."
    )
    notes.append(
        "Percentages are whole numbers, rounded half away from zero; 'no cases' means there "
        "was nothing to count. A percentage followed by a number in brackets, such as '(of 5)', "
        "is a share of fewer than 10 cases: the number says how many."
    )
    revised = revisions_note(results)
    if revised:
        notes.append(revised)
    return ReportView(
        meta=meta,
        tiles=headline,
        key_messages=data["key_messages"],
        summary_commentary=commentary.get("summary"),
        sections=sections,
        methodology=data["methodology"],
        rules=data["rules"],
        cohorts=data["cohorts"],
        quality=quality,
        provenance=data["provenance"],
        notes=notes,
        charts=num.charts,
        board_asks=data["board_asks"],
        assumptions=data["assumptions"],
        profile=profile,
    )


def _council_dir(results: Results) -> str:
    """The council's template folder as text ("" when it has none), for the environment."""
    own = results.config.resolve(results.config.templates_dir)
    return str(own) if own is not None else ""


def _placement(results: Results, profile: Profile) -> dict[str, list[Any]]:
    """Which published breakdowns each of the profile's sections shows: those it lists, and
    the others by their subject (`sections._section_for`) if that section is in the profile."""
    published = [b for b in results.disclosure.published(results.breakdowns)]
    listed = {b for s in profile.sections if s.breakdowns is not None for b in s.breakdowns}
    by_id = {b.id: b for b in published}
    placed: dict[str, list[Any]] = {}
    for spec in profile.sections:
        if spec.breakdowns is not None:
            placed[spec.id] = [by_id[k] for k in spec.breakdowns if k in by_id]
    automatic = {s.id for s in profile.sections if s.breakdowns is None}
    for b in published:
        if b.id in profile.not_shown or b.id in listed:
            continue
        home = _section_for(b)
        if home in automatic:
            placed.setdefault(home, []).append(b)
    return placed


def _prepared_tables(results: Results, quality: dict[str, Any]) -> dict[str, tuple[DataTable, str]]:
    """The tables a template asks for by name with `c.table(name)`, and their own labels
    ("" to be numbered with the report's tables)."""
    cfg = results.config
    out: dict[str, tuple[DataTable, str]] = {
        "quality_summary": (
            worded_table(
                "Data-quality warnings by rule",
                ["Check", "What the report did", "File and column", "Rows"],
                quality["summary"],
            ),
            "B1",
        ),
    }
    if quality["detail"]:
        out["quality_detail"] = (
            worded_table(
                "Data-quality findings in full (internal only)",
                ["File", "Row", "Column", "Message"],
                quality["detail"],
            ),
            "B2",
        )
    if cfg.board_actions:
        out["actions"] = (
            worded_table(
                "Actions for the Board to agree, with owners and dates",
                ["Action", "Owner", "By"],
                [[a.action, a.owner, a.due] for a in cfg.board_actions],
            ),
            "",
        )
    if results.audience == "internal":
        # Child-level: only an internal report's results carry worklists at all.
        for key, table in worklist_tables(results.worklists).items():
            out[key] = (table, "")
    return out


__all__ = [
    "ReportView",
    "build_view",
]
