"""The pieces a section is built from: blocks in reading order, and their numbering."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.render.charts import Chart, DataTable

# Said instead of a table in which every category's figure is withheld or zero: it would
# show the totals and nothing else.
ALL_WITHHELD = (
    "Every figure in this breakdown is either zero or withheld, because it is small or would "
    "let a small number be worked out, so its table is not shown. The internal edition of "
    "this paper gives it."
)
MOSTLY_WITHHELD = (
    "Most of these numbers are too small to publish without risk of identifying a child, so "
    "they are shown as [c] and no chart is drawn. The table gives the figures that can be "
    "published."
)


@dataclass(frozen=True)
class Block:
    """One item of a section, in reading order: a sub-heading, a paragraph, a table or a chart."""

    kind: str  # "h3" | "text" | "html" | "table" | "chart" | "commentary" | "tiles"
    text: str = ""
    table: DataTable | None = None
    chart: Chart | None = None
    number: int | str = 0  # figure or table number, or an appendix's label such as "B1"
    # "commentary": Markup made safe by the analysis stage; "html": a section template's own
    # words, autoescaped by Jinja when the template was rendered.
    html: Any = None
    items: Any = ()  # "tiles": the headline tiles


@dataclass
class Section:
    """A numbered part of the paper (h2) and its blocks."""

    id: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    # "part", "summary", "summary_runs_on" or "appendix" (how the page lays it out)
    style: str = "part"
    anchor: str = ""  # the HTML id the contents links to (the id when "")


class Numberer:
    """Hands out figure and table numbers in reading order, and unique chart ids."""

    def __init__(self) -> None:
        self.figures = 0
        self.tables = 0
        self.charts: list[Chart] = []

    def chart(self, chart: Chart) -> Block:
        self.figures += 1
        self.charts.append(chart)
        return Block("chart", chart=chart, number=self.figures)

    def table(self, table: DataTable) -> Block:
        self.tables += 1
        return Block("table", table=table, number=self.tables)


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in str(text).lower()).strip("-")
