"""What a section template can call: figures as text, tables, charts, breakdowns, sentences.

A section template (`templates/sections/<id>.html.j2`) writes its own words and asks for
components through `c` (this module's `Components`) and for figures through `f`. Each
component is numbered in reading order and comes back as a marker; the section's text is then
cut at the markers into its blocks, so the same section is laid out for the PDF and the HTML
from one rendering, and every chart is known before either is written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from pipeline.metrics import present
from pipeline.periods import month_label
from pipeline.render.blocks import MOSTLY_WITHHELD, Block, Numberer
from pipeline.render.breakdowns import breakdown_blocks
from pipeline.render.figures import Figures, _completed_word, _recorded_cohorts, _small_base
from pipeline.render.sections import (
    FUNNEL_LABELS,
    NAMED,
    RATE_LABELS,
    _between,
    compared_metrics,
    independence,
    not_offered_for_placement,
    out_of_county_story,
    spc_blocks,
    staff_privacy_text,
    still_open,
    timeliness_text,
)
from pipeline.render.tables import metric_table
from pipeline.results import Results

# Markers never typed by an author: a private-use character, the block's number, another.
_MARK = re.compile("\ue000([0-9]+)\ue001")


@dataclass(frozen=True)
class Period:
    """The reported period and settings as template words, e.g. `q.months_label`."""

    label: str
    short_label: str
    months_label: str
    between: str  # "April and June 2026", to follow "Between"
    hours: str  # the timescale, e.g. "72"
    repeat_threshold: int
    trend_count: int
    trend_first: str
    trend_last: str
    as_at: str


def period(results: Results) -> Period:
    """The words a template uses for the period and settings."""
    q, quarters = results.quarter, results.quarters
    return Period(
        label=q.label,
        short_label=q.short_label,
        months_label=q.months_label,
        between=_between(q),
        hours=f"{float(results.config.timeliness_hours):g}",
        repeat_threshold=int(results.config.repeat_threshold),
        trend_count=len(quarters),
        trend_first=quarters[0].short_label,
        trend_last=quarters[-1].short_label,
        as_at=f"{results.as_at.day} {results.as_at:%B %Y}",
    )


class QuarterFigures:
    """The reported quarter's figures for templates: `f.text("rhi_offered_rate")`,
    `f.shown("rhi_due", "looked_after_out_of_area")`."""

    def __init__(self, results: Results, fig: Figures) -> None:
        self._results = results
        self._fig = fig

    def text(self, metric: str, cohort: str = "all") -> str:
        """The figure as the reader sees it: '1,234', '60%', 'no cases' or '[c]'."""
        return self._fig.text(self._results.quarter, cohort, metric)

    def rate_text(self, metric: str, cohort: str = "all") -> str:
        """`text`, with the base of a rate on few cases: '0% (of 3)'."""
        below = _small_base(self._results)
        return self._fig.rate_text(self._results.quarter, cohort, metric, below)

    def numerator(self, metric: str, cohort: str = "all") -> str:
        """A shown rate's numerator as a count ('31' of 38 face to face), published with the
        rate; '[c]' when the rate is withheld."""
        row = self._fig.row(self._results.quarter, cohort, metric)
        if row is None or not self.shown(metric, cohort):
            return present.SUPPRESSED
        return present.count(float(row["numerator"]))

    def shown(self, metric: str, cohort: str = "all") -> bool:
        """Whether the figure is published (not withheld as [c])."""
        return not self._fig.suppressed(self._results.quarter, cohort, metric)

    def recorded(self, metric: str, cohort: str = "all") -> bool:
        """Whether this run records the metric for the cohort (its data is held, not [x])."""
        return self._fig.recorded(metric, cohort)


class Components:
    """The components one section's template calls. Each returns a marker for its blocks."""

    def __init__(
        self,
        results: Results,
        fig: Figures,
        num: Numberer,
        breakdowns: Sequence[Any],
        *,
        charted: frozenset[str],
        compared: frozenset[str],
        extra: dict[str, Any] | None = None,
    ) -> None:
        self._results = results
        self._fig = fig
        self._num = num
        self._breakdowns = list(breakdowns)
        self._charted = charted
        self._compared = compared
        self._parts: list[list[Block]] = []
        self._extra = extra or {}
        # "completed", or "accepted" when the RHI record is offered/accepted flags.
        self.completed_word = _completed_word(results)
        self.funnel_labels = {**FUNNEL_LABELS, "rhi_completed": f"Offered: {self.completed_word}"}
        hours = f"{float(results.config.timeliness_hours):g}"
        self.rate_labels = {m: label.format(hours=hours) for m, label in RATE_LABELS.items()}
        self.public = bool(results.disclosure.public)
        # The council's headline target is face to face within the timescale (the default).
        self.headline_face = results.config.headline_target_metric == "rhi_target_met_rate"
        self.commentary_placed = False

    # -- markers -------------------------------------------------------------------------

    def _mark(self, blocks: list[Block]) -> Markup:
        self._parts.append(blocks)
        return Markup(f"\ue000{len(self._parts) - 1}\ue001")

    def blocks_of(self, html: str) -> list[Block]:
        """The section's blocks, in order: its own words (as HTML) between the components."""
        out: list[Block] = []
        pos = 0
        for m in _MARK.finditer(html):
            out.extend(_words(html[pos : m.start()]))
            out.extend(self._parts[int(m.group(1))])
            pos = m.end()
        out.extend(_words(html[pos:]))
        return _said_once(out)

    # -- components ----------------------------------------------------------------------

    def chart(self, name: str) -> Markup:
        """A named chart (or table) of `pipeline.render.sections.NAMED`, e.g. "funnel"."""
        if name not in NAMED:
            known = ", ".join(sorted(NAMED))
            raise ValueError(f"there is no chart called '{name}'; the charts are {known}")
        return self._mark(NAMED[name](self._results, self._fig, self._num))

    def metric_table(
        self,
        caption: str,
        metrics: Sequence[str],
        cohorts: Sequence[str] = ("all",),
        labels: dict[str, str] | None = None,
        small_base: bool = False,
    ) -> Markup:
        """A numbered table of metrics (rows) by cohort (columns) for the reported quarter;
        with `small_base` a rate on few cases shows its base."""
        below = _small_base(self._results) if small_base else 0
        table = metric_table(
            self._fig,
            self._results.quarter,
            caption,
            list(metrics),
            list(cohorts),
            labels=dict(labels or {}),
            small_below=below,
        )
        return self._mark([self._num.table(table)])

    def breakdowns(self) -> Markup:
        """Every breakdown placed in this section, each a heading, table and chart if worth one."""
        blocks: list[Block] = []
        for b in self._breakdowns:
            blocks.extend(
                breakdown_blocks(
                    self._results, b, self._num, charted=self._charted, compared=self._compared
                )
            )
        return self._mark(blocks)

    def has_breakdowns(self) -> bool:
        """Whether any breakdown is placed in this section."""
        return bool(self._breakdowns)

    def spc(self) -> Markup:
        """The control charts of the monthly series, each with its reading."""
        return self._mark(spc_blocks(self._results, self._num))

    def has_spc(self) -> bool:
        """Whether the analysis produced control charts."""
        return bool(getattr(self._results.analysis, "spc", None))

    def recorded_cohorts(self, cohorts: Sequence[str]) -> list[str]:
        """The cohorts a table shows: those this run can tell apart (the others are not
        recorded and drop out)."""
        return _recorded_cohorts(self._fig, list(cohorts))

    def compared_metrics(self) -> list[str]:
        """The measures compared in and out of county that this run records for both."""
        return compared_metrics(self._fig)

    def out_of_county_story(self) -> str:
        """What can be published for children placed out of county, and what cannot."""
        return out_of_county_story(self._results, self._fig)

    def not_offered_for_placement(self) -> str:
        """How many returns of children placed out of county were not offered an interview
        because of the placement, as a sentence ("" when none, or withheld)."""
        return not_offered_for_placement(self._results).strip()

    def still_open(self) -> str:
        """The episodes still open at the end of the quarter, as a sentence ("" when none)."""
        return still_open(self._results, self._fig)

    def timeliness_text(self) -> str:
        """The timeliness section's opening: the council's headline target first, the rate
        in any mode beside it, and which interviews each figure counts."""
        return timeliness_text(self._results, self._fig)

    def staff_privacy(self) -> str:
        """Why a public report gives no per-practitioner workload, with the total."""
        return staff_privacy_text(self._results, self._fig)

    def independence(self) -> Any:
        """Independence out of county against in county: `.comparable`, `.less`,
        `.out_of_county`, `.in_county` (shown rates)."""
        return independence(self._results, self._fig)

    def capacity(self) -> Markup:
        """What it would take (pipeline.render.capacity): the full replay, with its options
        table, chart and calibration row, for a report whose profile has the `capacity`
        section (the director's report); nothing when the replay is off."""
        from pipeline.render.capacity import capacity_section

        section = capacity_section(self._results, self._num)
        return self._mark(list(section.blocks) if section is not None else [])

    def capacity_summary(self) -> Markup:
        """The replay's one-paragraph summary under its own sub-heading, for a report without
        the full `capacity` section (the board paper, public or internal: a section of its
        own would add a line to the contents and, on the sample, a page)."""
        from pipeline.render.capacity import capacity_summary

        if "capacity" in self._extra.get("sections", ()):
            return self._mark([])
        section = capacity_summary(self._results, self._num)
        if section is None:
            return self._mark([])
        return self._mark([Block("h3", text=section.title), *section.blocks])

    def revisions(self) -> Markup:
        """The figures revised since the previous run (internal reports; nothing otherwise)."""
        from pipeline.render.revisions import appendix

        section = appendix(self._results, self._num)
        return self._mark(list(section.blocks) if section is not None else [])

    def commentary(self) -> Markup:
        """The director's commentary on this section, where the template wants it (otherwise
        it goes first)."""
        self.commentary_placed = True
        html = self._extra.get("commentary")
        return self._mark([Block("commentary", html=html)] if html else [])

    def tiles(self) -> Markup:
        """The headline tiles."""
        return self._mark([Block("tiles", items=self._extra.get("tiles", []))])

    def table(self, name: str) -> Markup:
        """A prepared table given to this report by name (appendices, worklists): numbered
        as the profile's table, or with its own label (e.g. "B1")."""
        tables = self._extra.get("tables", {})
        if name not in tables:
            return self._mark([])
        table, label = tables[name]
        if label:
            return self._mark([Block("table", table=table, number=label)])
        return self._mark([self._num.table(table)])

    def month(self, month: str) -> str:
        """'April 2026' for '2026-04'."""
        return month_label(month)


def _said_once(blocks: list[Block]) -> list[Block]:
    """The blocks with each sentence block kept only where it first stands in the section:
    a note said again before each of its tables (that most numbers are withheld, that a
    group's column is left out) reads as padding."""
    out: list[Block] = []
    said: set[str] = set()
    for block in blocks:
        # Only notes that stand before a table: a sentence that is all a heading has under
        # it ("None this quarter.") is kept under every heading.
        note = block.kind == "text" and (
            block.text == MOSTLY_WITHHELD or str(block.text).startswith("The column for ")
        )
        if note:
            if block.text in said:
                continue
            said.add(block.text)
        out.append(block)
    return out


def _words(html: str) -> list[Block]:
    """A stretch of the template's own HTML, as one block (none if only white space)."""
    text = html.strip()
    return [Block("html", html=Markup(text))] if text else []


__all__ = ["Components", "Period", "QuarterFigures", "period"]
