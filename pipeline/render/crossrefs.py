"""Where each chart's figures are in the workbook tables.xlsx, as its caption tells the reader."""

from __future__ import annotations

from dataclasses import replace

from pipeline.render.blocks import Numberer, Section, _slug
from pipeline.render.charts import Chart
from pipeline.render.sections import SPC_SERIES
from pipeline.results import Results


def workbook_table(results: Results, chart_id: str, workbook: str = "tables.xlsx") -> str:
    """How a caption points a reader at a chart's figures in the workbook: by its sheet,
    whose name is plain words ('Headline', 'Episodes by month')."""
    return f"the sheet '{workbook_sheet(results, chart_id)}' of {workbook}"


def workbook_sheet(results: Results, chart_id: str) -> str:
    """The tables.xlsx sheet holding a chart's figures (the names `workbook.py` gives them)."""
    from pipeline.render.workbook import breakdown_sheet, spc_sheet

    if chart_id == "fig-trend-rates":
        return "Trends"
    from pipeline.render import capacity

    if chart_id == capacity.CHART_ID:
        return capacity.SHEET
    for key, _, _ in SPC_SERIES:
        if chart_id == f"fig-spc-{_slug(key)}":
            return spc_sheet(key)
    for b in results.disclosure.published(results.breakdowns):
        if chart_id == f"fig-{_slug(b.id)}":
            return breakdown_sheet(b)
    # The cohort, funnel, timeliness and out-of-county charts show reported-quarter metrics.
    return "Headline"


def _name_workbook_sheets(
    results: Results, sections: list[Section], num: Numberer, workbook: str = "tables.xlsx"
) -> None:
    """Note under every figure where its data is in the workbook (the PDF has no chart-data
    appendix: the workbook holds every figure)."""
    charts: list[Chart] = []
    for section in sections:
        for i, block in enumerate(section.blocks):
            if block.kind == "chart" and block.chart is not None:
                note = f"The figures are in {workbook_table(results, block.chart.id, workbook)}."
                chart = replace(block.chart, note=note)
                section.blocks[i] = replace(block, chart=chart)
                charts.append(chart)
    num.charts = charts
