"""The view: every figure as words through `present`, change on last quarter, targets in
words and symbols, [c] for suppressed figures, privacy of the data-quality appendix."""

from __future__ import annotations

from dataclasses import replace

from render_fixtures import random_results, small_results

from pipeline.findings import Finding
from pipeline.render.appendices import quality_view
from pipeline.render.view import build_view


def _tiles(audience: str = "public", **config: object) -> dict[str, object]:
    # The fixture's target is on the rate in any mode, so it is the headline here.
    config.setdefault("headline_target_metric", "rhi_timely_rate")
    return _default_tiles(small_results(audience, **config))


def _default_tiles(results: object) -> dict[str, object]:
    # The tiles module's own set (HEADLINES), which keeps the out-of-county independence
    # tile that the board paper's profile replaces with all children's.
    from pipeline.render.figures import Figures, _registry
    from pipeline.render.tiles import tiles

    return {t.label: t for t in tiles(results, Figures(results.metrics, _registry(results)))}


def test_headline_tile_uses_the_configured_target_metric() -> None:
    # By default the headline is the face-to-face rate: 18/40 = 45%, last quarter 30/80 =
    # 37.5% -> 38%: up 7 points (not judged: the fixture has no control chart); the rate in
    # any mode (21/40 = 52.5% -> 53%) is beside it.
    default = {t.label: t for t in build_view(small_results()).tiles}
    assert "Return home interviews completed within 72 hours" not in default
    face = default["Return home interviews completed face to face within 72 hours"]
    assert face.figure == "45%"
    assert face.change == "Up 7 percentage points on last quarter (38%)"
    # The two rates together would publish 21 - 18 = 3 interviews within 72 hours by
    # telephone or video (1 to 4), so the rate beside the headline is withheld (issue #12),
    # and the tile leaves it out rather than print "[c]" as its context.
    assert face.context == ""
    # Configured the other way round, the tile is the rate in any mode, with the
    # face-to-face rate as its context (withheld for the same reason).
    timely = _tiles()["Return home interviews completed within 72 hours"]
    assert timely.context == ""
    assert "Return home interviews completed face to face within 72 hours" not in _tiles()
    # The internal paper withholds nothing: the context rate is beside the headline.
    internal = {t.label: t for t in build_view(small_results("internal")).tiles}
    face = internal["Return home interviews completed face to face within 72 hours"]
    assert face.context == "In any mode, including telephone: 53%"


def test_counts_and_their_change_on_last_quarter() -> None:
    tiles = _tiles()
    episodes = tiles["Missing and away episodes"]
    # 189 this quarter, 177 last: up 12; episodes have no better direction, so no judgement.
    assert episodes.figure == "189"
    assert episodes.change == "Up 12 on last quarter (177)"
    assert (episodes.arrow, episodes.judgement) == ("up", "")
    children = tiles["Children who went missing"]
    # 105 against 110: down 5.
    assert children.change == "Down 5 on last quarter (110)"
    assert children.arrow == "down"


def test_rates_change_in_percentage_points_between_shown_percentages() -> None:
    tiles = _tiles()
    declined = tiles["Offers declined by the child or family"]
    # 65/108 = 60.19% -> 60%; last quarter 60/100 = 60%: no change.
    assert declined.figure == "60%"
    assert declined.change == "No change on last quarter (60%)"
    assert declined.arrow == "same"
    timely = tiles["Return home interviews completed within 72 hours"]
    # 21/40 = 52.5% -> 53% (half away from zero); last quarter 40/80 = 50%: up 3 points.
    # Higher is better for timeliness, but with no control chart two quarters are not judged.
    assert timely.figure == "53%"
    assert timely.change == "Up 3 percentage points on last quarter (50%)"
    assert timely.judgement == ""


def test_target_status_has_words_and_a_symbol() -> None:
    timely = _tiles()["Return home interviews completed within 72 hours"]
    # Target 90%, amber within 10 points: 52.5% is 37.5 points short -> red, "Target missed".
    assert timely.rag_status == "red"
    assert timely.rag_word == "Target missed (target 90%)"
    assert timely.rag_symbol == "×"
    # No target configured for episodes: no rating at all.
    assert _tiles()["Missing and away episodes"].rag_status == "none"


def test_suppressed_figures_show_c_and_no_change() -> None:
    tiles = _tiles()
    ooc = tiles["Out-of-county interviews held independently"]
    assert ooc.figure == "[c]"
    assert ooc.change == "Not shown, to protect small numbers; last quarter [c]"
    assert ooc.arrow == ""
    repeat = next(t for label, t in tiles.items() if label.startswith("Children with 3"))
    assert repeat.figure == "[c]"
    assert repeat.change == "No figure for last quarter"


def test_markings_by_audience() -> None:
    public = build_view(small_results("public")).meta
    internal = build_view(small_results("internal")).meta
    assert public["marking_line"] == "OFFICIAL"
    assert internal["marking_line"] == "OFFICIAL-SENSITIVE: not for publication"
    assert public["date_line"] == "Data as at 14 July 2026"
    assert public["quarter_label"] == "Quarter 1 2026-27 (April to June 2026)"


def test_public_quality_appendix_never_prints_messages() -> None:
    results = small_results("public")
    results.findings = [
        Finding("warning", "episodes.csv", 5, "end", "end_before_start", "row 5: child C-77 ..."),
        Finding("warning", "episodes.csv", 9, "end", "end_before_start", "row 9: child C-78 ..."),
    ]
    public = quality_view(results)
    # the rule's plain description, not its ID; "end" is not mapped from a local header in
    # the default config, so the canonical name stays
    from pipeline.quality.rules import RULES

    rule = RULES["end_before_start"]
    assert public["summary"] == [[rule.description, rule.treatment, "episodes.csv, end", "2"]]
    assert "end_before_start" not in repr(public["summary"])
    assert public["detail"] == []
    assert "C-77" not in repr(public)
    results.audience = "internal"
    assert quality_view(results)["detail"][0][3] == "row 5: child C-77 ..."


def test_internal_quality_appendix_gives_a_few_examples_per_rule_and_a_count() -> None:
    # Six rows with the same problem in one column and one other: the appendix prints three
    # of the six and counts the other 3; data-quality.csv keeps all seven.
    results = small_results("internal")
    same = [
        Finding("warning", "episodes.csv", r, "end", "end_before_start", f"row {r}: end.")
        for r in range(2, 8)
    ]
    other = Finding("warning", "interviews.xlsx", 4, "mode", "completed_without_mode", "mode.")
    results.findings = [*same, other]
    detail = quality_view(results)["detail"]
    assert detail == [
        ["episodes.csv", "2", "end", "row 2: end."],
        ["episodes.csv", "3", "end", "row 3: end."],
        ["episodes.csv", "4", "end", "row 4: end."],
        [
            "episodes.csv",
            "",
            "end",
            "And 3 more rows with the same problem; data-quality.csv lists every one.",
        ],
        ["interviews.xlsx", "4", "mode", "mode."],
    ]


def test_full_view_numbers_figures_and_tables_in_order() -> None:
    view = build_view(random_results("public"))
    numbers = [b.number for s in view.sections for b in s.blocks if b.kind == "chart"]
    assert numbers == list(range(1, len(view.charts) + 1))
    ids = [c.id for c in view.charts]
    assert len(ids) == len(set(ids))
    titles = [s.title for s in view.sections]
    assert titles[:5] == [
        "Summary",
        "Missing episodes",
        "Return home interviews",
        "Timeliness",
        "Children placed out of county",
    ]
    # The workload table never carries an interviewer's id.
    workload = next(s for s in view.sections if s.id == "workload")
    for block in workload.blocks:
        if block.table is not None:
            for row in block.table.rows:
                assert row[0].startswith(("Practitioner", "Other interviewers", "Total"))


def _xmr_12_3_15() -> object:
    """The XmR result for 12, 3, 15 worked by hand: mean 10; moving ranges 9 and 12, mean
    10.5; limits 10 -/+ 2.66 x 10.5 = -17.93 and 37.93; no signals."""
    from types import SimpleNamespace

    return SimpleNamespace(
        values=[12.0, 3.0, 15.0],
        mean=[10.0] * 3,
        lower=[-17.93] * 3,
        upper=[37.93] * 3,
        special=[False] * 3,
        text={},
    )


def test_public_control_chart_withholds_small_months() -> None:
    # Episodes by month Apr-Jun 2026: 12, 3, 15. 3 is below 5 (primary). This fixture's
    # months (30) add up to no published figure (its quarter has 189), so only May is
    # withheld; but the mean (10 = 30 / 3) would give May back, so the chart publishes no
    # mean, limits or signals, and says so.
    import pandas as pd

    from pipeline.disclosure import WITHHELD_LIMITS

    results = small_results("public")
    monthly = pd.DataFrame(
        {"month": ["2026-04", "2026-05", "2026-06"], "episodes": [12.0, 3.0, 15.0]}
    )
    # The disclosure stage decides again for the new series.
    results = replace(results, monthly=monthly, disclosure=None)
    results.analysis.spc = {"episodes": _xmr_12_3_15()}
    view = build_view(results)
    chart = next(c for c in view.charts if c.id == "fig-spc-episodes")
    assert [row[1] for row in chart.table.rows] == ["12", "[c]", "15"]
    trends = next(s for s in view.sections if s.id == "trends")
    assert any(WITHHELD_LIMITS in b.text for b in trends.blocks if b.kind == "text")


def test_internal_control_chart_shows_every_month() -> None:
    import pandas as pd

    results = small_results("internal")
    monthly = pd.DataFrame(
        {"month": ["2026-04", "2026-05", "2026-06"], "episodes": [12.0, 3.0, 15.0]}
    )
    # The disclosure stage decides again for the new series.
    results = replace(results, monthly=monthly, disclosure=None)
    results.analysis.spc = {"episodes": _xmr_12_3_15()}
    chart = next(c for c in build_view(results).charts if c.id == "fig-spc-episodes")
    assert [row[1] for row in chart.table.rows] == ["12", "3", "15"]


def test_every_figure_names_its_workbook_sheet() -> None:
    from pipeline.render.workbook import build_tables

    results = random_results("internal")
    tables = build_tables(results)[0]
    sheets = {t.sheet for t in tables}
    titles = {t.title for t in tables}
    view = build_view(results)
    for chart in view.charts:
        name = chart.note.split("'")[1]
        # plain sheet names are named; code-like ones ("16 interviews_per_practitioner")
        # are referred to by the table's title instead
        if chart.note.startswith("The figures are in the sheet"):
            assert name in sheets and "_" not in name, (chart.id, name)
        else:
            assert chart.note.startswith("The figures are in the table"), chart.note
            assert name in titles, (chart.id, name)
    assert next(c for c in view.charts if c.id == "fig-trend-rates").note == (
        "The figures are in the sheet 'Trends' of tables.xlsx."
    )


def test_board_is_asked_to_note_the_missed_target() -> None:
    # random_results rates only the timeliness target; on its random data it is missed. The
    # asks are written upstream (as run.py does) and the view only shows them.
    from pipeline.analysis.narrative import board_asks

    results = random_results("internal")
    analysis = results.analysis
    results.board_asks = board_asks(
        results.metrics,
        results.quarter,
        history=getattr(analysis, "history", None),
        rag=analysis.rag,
        config=results.config,
    )
    view = build_view(results)
    assert view.board_asks[0].startswith("note the performance on return home interviews")
    assert any("holding interviews within the timescale" in a for a in view.board_asks)


def test_out_of_county_intro_states_no_fixed_claim() -> None:
    view = build_view(small_results("public"))
    ooc = next(s for s in view.sections if s.id == "out_of_county")
    text = " ".join(b.text for b in ooc.blocks if b.kind == "text")
    # the independence rates are suppressed here, so nothing is claimed about them
    assert "most often interviewed" not in text
    assert "less often carried out by an independent worker" not in text


def _chart_title(view, chart_id: str) -> str:
    for section in view.sections:
        for block in section.blocks:
            chart = getattr(block, "chart", None)
            if chart is not None and chart.id == chart_id:
                return chart.title
    raise AssertionError(f"no chart {chart_id}")


def test_timeliness_title_does_not_call_all_children_a_group() -> None:
    # The small fixture has a timeliness rate only for all children: 21 of 40 = 52.5%, shown
    # as 53%. With no two groups to compare, the title states the overall rate rather than
    # "lowest for all children".
    title = _chart_title(
        build_view(small_results("public", headline_target_metric="rhi_timely_rate")),
        "fig-timely-cohort",
    )
    assert title == "53% of interviews were held within 72 hours"
    # with the default headline the chart is of the council's target, face to face: 18 of
    # 40 = 45%
    title = _chart_title(build_view(small_results("public")), "fig-timely-cohort")
    assert title == "45% of interviews were held face to face within 72 hours"


def test_workload_per_practitioner_is_only_in_the_internal_paper() -> None:
    def workload(audience: str):
        view = build_view(random_results(audience))
        return next(s for s in view.sections if s.id == "workload")

    public = workload("public")
    # The section's own words: sentences the view writes, and the template's paragraphs.
    texts = " ".join(
        b.text if b.kind == "text" else str(b.html)
        for b in public.blocks
        if b.kind in ("text", "html")
    )
    assert "Workload per practitioner is not published" in texts
    assert not any(b.kind in ("table", "chart") and "ractitioner" in repr(b) for b in public.blocks)
    internal = workload("internal")
    assert any(b.kind in ("table", "chart") for b in internal.blocks)


def test_a_rate_on_few_cases_is_not_judged_better_or_worse() -> None:
    # Internal paper, so nothing is withheld. Out-of-county independence 1 of 5 (20%)
    # against 0 of 4 (0%) last quarter: up 20 points, but on fewer than 10 cases (the
    # small-base rule) one child moves a rate that far, so it is not called better.
    from render_fixtures import NAN, Q1, Q4, metrics_rows

    results = small_results("internal")
    few = metrics_rows(
        [
            (Q4.id, "looked_after_out_of_area", "rhi_independent_rate", 0, 4, 0.0, False),
            (Q1.id, "looked_after_out_of_area", "rhi_independent_rate", 1, 5, 0.2, False),
            (Q1.id, "all", "children_repeat", NAN, NAN, 3, False),
        ]
    )
    rest = results.metrics[
        ~results.metrics["metric"].isin(["rhi_independent_rate", "children_repeat"])
    ]
    import pandas as pd

    results = replace(results, metrics=pd.concat([rest, few], ignore_index=True), disclosure=None)
    tiles = _default_tiles(results)
    tile = tiles["Out-of-county interviews held independently"]
    assert tile.change == (
        "Up 20 percentage points on last quarter (0% of 4); too few cases to judge"
    )
    assert (tile.arrow, tile.judgement) == ("up", "")
    # On 40 and 80 cases the rate's change is given without that caveat: face to face 18/40
    # = 45% against 30/80 = 38% (and no control chart, so no judgement).
    face = tiles["Return home interviews completed face to face within 72 hours"]
    assert face.change == "Up 7 percentage points on last quarter (38%)"


def _xmr_3_2_15() -> object:
    """The XmR result for 3, 2, 15 worked by hand: mean 20 / 3 = 6.67; moving ranges 1 and
    13, mean 7; limits 6.67 -/+ 2.66 x 7 = -11.95 and 25.29; no signals."""
    from types import SimpleNamespace

    return SimpleNamespace(
        values=[3.0, 2.0, 15.0],
        mean=[20 / 3] * 3,
        lower=[-11.95] * 3,
        upper=[25.29] * 3,
        special=[False] * 3,
        text={},
    )


def test_a_mostly_withheld_control_chart_is_a_table_without_a_column_of_withheld_signals() -> None:
    # April 3 and May 2 are under 5, so withheld; 2 of 3 months hidden is most of them, so
    # no chart is drawn and the months go in a table. The mean (20 / 3) would give the two
    # withheld months' sum back (20 - 15 = 5), so the limits and signals are withheld too,
    # and a "Special cause" column would hold nothing but [c]: it is left out.
    import pandas as pd

    results = small_results("public")
    monthly = pd.DataFrame(
        {"month": ["2026-04", "2026-05", "2026-06"], "episodes": [3.0, 2.0, 15.0]}
    )
    results = replace(results, monthly=monthly, disclosure=None)
    results.analysis.spc = {"episodes": _xmr_3_2_15()}
    from pipeline.disclosure import WITHHELD_LIMITS

    view = build_view(results)
    trends = next(s for s in view.sections if s.id == "trends")
    assert any(WITHHELD_LIMITS in b.text for b in trends.blocks if b.kind == "text")
    table = next(
        b.table for b in trends.blocks if b.kind == "table" and "episodes" in b.table.caption
    )
    assert table.headers == ["Month", "Value"]
    assert [row[1:] for row in table.rows] == [["[c]"], ["[c]"], ["15"]]


def test_the_hours_by_step_chart_has_a_bar_for_every_group_its_table_shows() -> None:
    # The timeliness table beside it has all children, in county, out of county and not
    # looked after: the chart leaves none of them out.
    view = build_view(random_results("internal"))
    chart = next(c for c in view.charts if c.id == "fig-hours")
    assert [row[0] for row in chart.table.rows] == [
        "All children",
        "In county",
        "Out of county",
        "Not looked after",
    ]


def test_the_note_that_most_numbers_are_withheld_is_said_once_a_section() -> None:
    from pipeline.render.blocks import MOSTLY_WITHHELD, Block
    from pipeline.render.components import _said_once

    note, other = Block("text", text=MOSTLY_WITHHELD), Block("text", text="Other words.")
    table = Block("table")
    assert _said_once([other, note, table, note, table, other, note]) == [
        other,
        note,
        table,
        table,
        other,
    ]


def test_the_out_of_county_story_speaks_of_publishing_only_in_a_public_paper() -> None:
    # Internal: nothing is withheld, so the figures are simply given in sentences, each
    # share on few cases with its base; public: it says plainly which cannot be published.
    from pipeline.render.figures import OUT, Figures, _registry
    from pipeline.render.sections import out_of_county_story

    internal = random_results("internal")
    fig = Figures(internal.metrics, _registry(internal))
    story = out_of_county_story(internal, fig)
    offered = fig.text(internal.quarter, OUT, "rhi_offered")
    completed = fig.text(internal.quarter, OUT, "rhi_completed")
    assert story.startswith(
        f"In April to June 2026, {offered} interviews were offered to children placed out of "
        f"county and {completed} were completed."
    )
    assert "Of the completed interviews, " in story
    assert "published" not in story
    public = random_results("public")
    story = out_of_county_story(public, Figures(public.metrics, _registry(public)))
    assert "not published, because" in story or "published" not in story


def test_the_trend_follows_the_councils_headline_target() -> None:
    # By default the target is face to face within the timescale: the trend draws that
    # rate; with the rate in any mode as the headline, it draws that one instead.
    def headers(**config: object) -> list[str]:
        results = random_results("internal")
        results = replace(results, config=results.config.model_copy(update=config))
        view = build_view(results)
        return next(c for c in view.charts if c.id == "fig-trend-rates").table.headers

    face = "Face to face within timescale"
    any_mode = "Within timescale"
    assert face in headers()
    assert any_mode not in headers()
    timely = headers(headline_target_metric="rhi_timely_rate")
    assert any_mode in timely and face not in timely


def test_a_control_chart_with_few_months_published_is_one_sentence() -> None:
    # 3, 2, 1 are under 5 and withheld; only June (15) can be published: 1 of 4 months is
    # fewer than a third, too few for a chart or a table of months.
    from types import SimpleNamespace

    import pandas as pd

    results = small_results("public")
    monthly = pd.DataFrame(
        {"month": ["2026-03", "2026-04", "2026-05", "2026-06"], "episodes": [3.0, 2.0, 1.0, 15.0]}
    )
    results = replace(results, monthly=monthly, disclosure=None)
    # mean 21 / 4 = 5.25; moving ranges 1, 1, 14, mean 5.33; limits 5.25 -/+ 14.19
    results.analysis.spc = {
        "episodes": SimpleNamespace(
            values=[3.0, 2.0, 1.0, 15.0],
            mean=[5.25] * 4,
            lower=[-8.94] * 4,
            upper=[19.44] * 4,
            special=[False] * 4,
            text={},
        )
    }
    trends = next(s for s in build_view(results).sections if s.id == "trends")
    texts = [b.text for b in trends.blocks if b.kind == "text"]
    assert (
        "Only 1 of the 4 months' figures can be published, too few to chart or to read as a "
        "series; the quarter's figures are in the tables above." in texts
    )
    assert not any(
        b.kind == "table" and "episodes" in b.table.caption.lower() for b in trends.blocks
    )


def test_the_timeliness_opening_explains_a_median_over_the_timescale() -> None:
    # 18 of 35 counted interviews within 72 hours (51%), 16 of 35 face to face (46%), but
    # the median return to interview is 86.4 hours = 3.6 days, as it includes interviews
    # with an agreed exception: the opening says why the two do not contradict each other.
    from render_fixtures import NAN, Q1, metrics_rows

    from pipeline.render.figures import Figures, _registry
    from pipeline.render.sections import timeliness_text

    results = small_results("internal")
    rows = metrics_rows(
        [
            (Q1.id, "all", "rhi_timely_rate", 18, 35, 18 / 35, False),
            (Q1.id, "all", "rhi_target_met_rate", 16, 35, 16 / 35, False),
            (Q1.id, "all", "median_hours_return_to_completion", NAN, 38, 86.4, False),
        ]
    )
    results = replace(results, metrics=rows, disclosure=None)
    text = timeliness_text(results, Figures(rows, _registry(results)))
    assert text.endswith(
        "Interviews with an agreed exception to the timescale are left out of these rates, "
        "but the median times below include them. That is how the median time from return "
        "to interview (3.6 days) can be longer than 72 hours while 51% of the interviews "
        "counted were held within 72 hours."
    )
    # a median within the timescale needs no explaining
    rows.loc[rows["metric"] == "median_hours_return_to_completion", "value"] = 50.0
    text = timeliness_text(results, Figures(rows, _registry(results)))
    assert text.endswith("but the median times below include them.")


def test_a_table_of_looked_after_groups_says_where_children_not_looked_after_are() -> None:
    # Mode, interviewer and risks compare in and out of county only: those two columns do
    # not add up to All children, and the table's note says why.
    view = build_view(random_results("internal"))
    tables = [b.table for s in view.sections for b in s.blocks if b.kind == "table"]
    partial = [
        t
        for t in tables
        if {"All children", "In county", "Out of county"} <= set(t.headers)
        and "Not looked after" not in t.headers
    ]
    assert partial  # the interviews by mode, at least
    for table in partial:
        assert table.note == (
            "In county and out of county count looked-after children only; children not "
            "looked after are counted in All children only."
        )
    full = [t for t in tables if "Not looked after" in t.headers]
    assert all("counted in All children only" not in t.note for t in full)
    # With the out-of-county column left out (a public paper), the note names both groups
    # counted in All children only.
    from pipeline.render.breakdowns import _partial_note

    assert _partial_note(["Mode", "All children", "In county"]) == (
        "In county counts looked-after children only; children placed out of county and "
        "children not looked after are counted in All children only."
    )


def test_counts_taken_when_the_data_was_taken_are_not_compared_with_last_quarter() -> None:
    # 5 episodes still open now against 0 last quarter: last quarter's episodes have had
    # three more months to close, so "up 5" would mislead; no arrow, no judgement.
    from render_fixtures import NAN, Q1, Q4, metrics_rows

    from pipeline.render.figures import Figures, _registry
    from pipeline.render.tiles import _change

    results = small_results("internal")
    rows = metrics_rows(
        [
            (Q4.id, "all", "episodes_ongoing", NAN, NAN, 0, False),
            (Q1.id, "all", "episodes_ongoing", NAN, NAN, 5, False),
        ]
    )
    fig = Figures(rows, _registry(results))
    assert _change(fig, Q1, "all", "episodes_ongoing", 10) == (
        "Counted when the data was taken, so not compared with last quarter",
        "",
        "",
    )


def test_a_change_is_judged_only_as_far_as_the_control_chart_backs_it() -> None:
    # Face to face within 72 hours: 18/40 = 45% against 30/80 = 38%, up 7 points, which
    # alone would be "better". With a control chart of the metric, the word follows the
    # chart's reading of the latest month (Making Data Count: two quarters are not a trend).
    import dataclasses

    from pipeline.analysis.spc import xmr

    # Three months of 40%, 45%, 50%: no rule fires on so few points; the reading is then set
    # to each case by hand.
    chart = xmr([0.40, 0.45, 0.50], improvement="up")

    def face_change(reading: str | None) -> tuple[str, str]:
        results = small_results("internal")
        if reading is not None:
            results.analysis.spc = {
                "rhi_target_met_rate": dataclasses.replace(chart, variation=reading or None)
            }
        results = replace(results, disclosure=None)
        tiles = {t.label: t for t in build_view(results).tiles}
        tile = tiles["Return home interviews completed face to face within 72 hours"]
        return tile.change, tile.judgement

    rise = "Up 7 percentage points on last quarter (38%)"
    # No control chart of the metric: two quarters alone are not judged.
    assert face_change(None) == (rise, "")
    # The chart signals an improvement in the latest month: better.
    assert face_change("improvement") == (f"{rise}, better", "better")
    # Only ordinary variation: the rise is not called better, and the tile says why.
    assert face_change("common_cause") == (
        f"{rise}; within the ordinary variation of the monthly control chart",
        "",
    )
    # The chart signals a concern while the quarter rose: no judgement either way.
    assert face_change("concern") == (rise, "")
    # The chart's signals withheld (no reading): no judgement, and nothing said of the chart.
    assert face_change("") == (rise, "")


def test_each_rate_tile_says_what_it_is_a_share_of() -> None:
    # Rates of different bases sit side by side, so each names its base: declined 65 of
    # 108 offers; within 72 hours 21 of 40 interviews that count towards the timescale.
    # A count has no base; a withheld rate shows none (its base would go with it).
    tiles = _tiles()
    assert tiles["Offers declined by the child or family"].base == "of 108 offers"
    assert (
        tiles["Return home interviews completed within 72 hours"].base
        == "of 40 interviews that count towards the timescale"
    )
    assert tiles["Missing and away episodes"].base == ""
    # Out-of-county independence (3 of 12) is withheld in the fixture.
    assert tiles["Out-of-county interviews held independently"].base == ""


def test_a_count_with_no_better_direction_says_when_its_change_is_ordinary_variation() -> None:
    # Episodes 189 against 177: up 12, with no better direction. The control chart of
    # episodes reads common cause in the latest month, so the tile says the change is
    # within its ordinary variation.
    import dataclasses

    from pipeline.analysis.spc import xmr

    results = small_results("internal")
    chart = xmr([60.0, 64.0, 65.0])
    results.analysis.spc = {"episodes": dataclasses.replace(chart, variation="common_cause")}
    tiles = {t.label: t for t in build_view(replace(results, disclosure=None)).tiles}
    assert tiles["Missing and away episodes"].change == (
        "Up 12 on last quarter (177); within the ordinary variation of the monthly control chart"
    )


def test_the_methodology_lists_the_councils_targets_headline_first() -> None:
    # The fixture's only target is 90% on the rate within 72 hours, amber within 0.1 (10
    # points); made the headline, it is marked as such.
    from pipeline.render.appendices import target_rows
    from pipeline.render.figures import _registry

    results = small_results(headline_target_metric="rhi_timely_rate")
    assert target_rows(results, _registry(results)) == [
        (
            "Return home interviews completed within 72 hours",
            "90%; a figure short of it by no more than 10 percentage points is rated amber "
            "(the council's headline target)",
        )
    ]
