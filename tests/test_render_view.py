"""The view: every figure as words through `present`, change on last quarter, targets in
words and symbols, [c] for suppressed figures, privacy of the data-quality appendix."""

from __future__ import annotations

from render_fixtures import NAN, random_results, small_results

from pipeline.findings import Finding
from pipeline.render.view import build_view, quality_view


def _tiles(audience: str = "public") -> dict[str, object]:
    view = build_view(small_results(audience))
    return {t.label: t for t in view.tiles}


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
    # 21/40 = 52.5% -> 53% (half away from zero); last quarter 40/80 = 50%: up 3 points,
    # and higher is better for timeliness.
    assert timely.figure == "53%"
    assert timely.change == "Up 3 percentage points on last quarter (50%), better"
    assert timely.judgement == "better"


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
    assert ooc.change == "Change not shown (small numbers); last quarter [c]"
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

    assert public["summary"] == [
        [RULES["end_before_start"].description, "episodes.csv", "end", "warning", "2"]
    ]
    assert "end_before_start" not in repr(public["summary"])
    assert public["detail"] == []
    assert "C-77" not in repr(public)
    results.audience = "internal"
    assert quality_view(results)["detail"][0][3] == "row 5: child C-77 ..."


def test_full_view_numbers_figures_and_tables_in_order() -> None:
    view = build_view(random_results("public"))
    numbers = [b.number for s in view.sections for b in s.blocks if b.kind == "chart"]
    assert numbers == list(range(1, len(view.charts) + 1))
    ids = [c.id for c in view.charts]
    assert len(ids) == len(set(ids))
    titles = [s.title for s in view.sections]
    assert titles[:4] == [
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
                assert row[0].startswith(("Practitioner", "Other practitioners", "Total"))


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
    # Episodes by month Apr-Jun 2026: 12, 3, 15 (quarter 30, shown). 3 is below 5 (primary);
    # the three months add up to the quarter, so the smallest other month, 12, is withheld
    # too (secondary). XmR: mean 10, mR 9 and 12, mean mR 10.5, limits 10 -/+ 27.93.
    import pandas as pd

    results = small_results("public")
    results.monthly = pd.DataFrame(
        {"month": ["2026-04", "2026-05", "2026-06"], "episodes": [12.0, 3.0, 15.0]}
    )
    results.analysis.spc = {"episodes": _xmr_12_3_15()}
    view = build_view(results)
    # Two of the three months are withheld: a line through one point says nothing, so the
    # months are given as a table instead of a chart.
    assert not any(c.id == "fig-spc-episodes" for c in view.charts)
    trends = next(s for s in view.sections if s.id == "trends")
    table = next(
        b.table
        for b in trends.blocks
        if b.kind == "table" and b.table is not None and b.table.caption.startswith("Missing")
    )
    assert table.rows == [
        ["April 2026", "[c]", "[c]"],
        ["May 2026", "[c]", "[c]"],
        ["June 2026", "15", "No"],
    ]


def test_internal_control_chart_shows_every_month() -> None:
    import pandas as pd

    results = small_results("internal")
    results.monthly = pd.DataFrame(
        {"month": ["2026-04", "2026-05", "2026-06"], "episodes": [12.0, 3.0, 15.0]}
    )
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


def test_chart_of_mostly_withheld_bars_becomes_a_table_and_a_sentence() -> None:
    import pandas as pd

    from pipeline.metrics.breakdowns import Breakdown
    from pipeline.render.view import Numberer, breakdown_blocks

    # Out of county: face to face 2, telephone 20, video 1 -> two of three below 5, so most
    # of that group's bars would be [c]: no chart, the table and a sentence instead.
    frame = pd.DataFrame(
        {
            "category": ["face_to_face", "telephone", "video"],
            "label": ["Face to face", "Telephone", "Video"],
            "looked_after_in_area": [40, 12, 0],
            "looked_after_out_of_area": [2, 20, 1],
        }
    )
    b = Breakdown("rhi_mode", "Completed interviews by mode", "mode", True, frame)
    num = Numberer()
    public = breakdown_blocks(small_results("public"), b, num)
    assert [x.kind for x in public] == ["h3", "text", "table"]
    assert "no chart is drawn" in public[1].text
    internal = breakdown_blocks(small_results("internal"), b, Numberer())
    assert [x.kind for x in internal] == ["h3", "chart", "table"]


def test_small_base_rate_shows_its_base_and_is_never_the_headline() -> None:
    from render_fixtures import Q1, metrics_rows

    from pipeline.render.charts import Series
    from pipeline.render.view import Figures, _lowest, _registry

    results = small_results("internal")
    fig = Figures(
        metrics_rows(
            [
                (Q1.id, "looked_after_out_of_area", "rhi_timely_rate", 0, 3, 0.0, False),
                (Q1.id, "all", "rhi_timely_rate", 21, 40, 21 / 40, False),
            ]
        ),
        _registry(results),
    )
    # 0 of 3 is below 5 cases: shown with its base; 21 of 40 (53%) is not
    assert fig.rate_text(Q1, "looked_after_out_of_area", "rhi_timely_rate", 5) == "0% (of 3)"
    assert fig.rate_text(Q1, "all", "rhi_timely_rate", 5) == "53%"
    # the lowest of 53% and 0% is 0%, but 0% rests on 3 interviews: the headline is 53%
    rate = Series("x", [0.525, 0.0], ["53%", "0% (of 3)"], [False, False])
    assert _lowest(rate) == 1
    assert _lowest(rate, [False, True]) == 0


def test_durations_in_one_row_share_one_unit() -> None:
    from render_fixtures import Q1, metrics_rows

    from pipeline.render.view import Figures, _hours_row, _registry

    fig = Figures(
        metrics_rows(
            [
                (Q1.id, "all", "median_hours_assignment_to_completion", NAN, NAN, 53, False),
                (
                    Q1.id,
                    "looked_after_in_area",
                    "median_hours_assignment_to_completion",
                    NAN,
                    NAN,
                    37,
                    False,
                ),
                (
                    Q1.id,
                    "looked_after_out_of_area",
                    "median_hours_assignment_to_completion",
                    NAN,
                    NAN,
                    6,
                    False,
                ),
            ]
        ),
        _registry(small_results()),
    )
    cohorts = ["all", "looked_after_in_area", "looked_after_out_of_area"]
    # 53 hours is over 48, so the row is in days: 53/24 = 2.21 -> 2.2; 37/24 = 1.54 -> 1.5;
    # 6/24 = 0.25 -> 0.3 (half away from zero)
    assert _hours_row(fig, Q1, cohorts, "median_hours_assignment_to_completion") == [
        "2.2 days",
        "1.5 days",
        "0.3 days",
    ]
    # without the 53, every figure is 48 hours or less: hours throughout
    assert _hours_row(fig, Q1, cohorts[1:], "median_hours_assignment_to_completion") == [
        "37 hours",
        "6 hours",
    ]


def test_categorical_tables_sort_by_count_with_catch_alls_last() -> None:
    import pandas as pd

    from pipeline.render.view import _by_count

    frame = pd.DataFrame(
        {
            "label": [
                "Does not want to talk",
                "Did not see the need",
                "Other",
                "Refused",
                "Police",
                "Radicalisation",
            ],
            "all": [26, 14, 30, 3, 10, 0],
        }
    )
    mask = pd.DataFrame({"all": [False, False, False, True, False, False]})
    # shown: 26, 14, 10 in descending order; then the withheld 3 ([c]) in its place; then
    # the shown zero; then 'Other' last although its 30 is the largest
    assert _by_count(frame, mask, "all") == [0, 1, 4, 3, 5, 2]


def test_practitioner_chart_title_names_the_count_not_a_practitioner() -> None:
    from types import SimpleNamespace

    from pipeline.render.charts import Series
    from pipeline.render.view import breakdown_title

    b = SimpleNamespace(
        id="interviews_per_practitioner",
        title="Completed interviews per practitioner",
        dimension="interviewer",
    )
    s = Series("All children", [19, 9, 10], ["19", "9", "10"], [False] * 3)
    title = breakdown_title(b, ["Practitioner 1", "Practitioner 2", "Other practitioners"], [s])
    assert title == "Completed interviews per practitioner: the most by one practitioner was 19"


def test_spc_reading_is_plain_english() -> None:
    from types import SimpleNamespace

    from pipeline.render.view import _spc_reading

    up = SimpleNamespace(variation="improvement", improvement="up", assurance="consistently_fails")
    assert _spc_reading(up, "90%") == (
        "An unusual improvement in the latest month (higher is better). On these limits the "
        "target of 90% will keep being missed unless the process changes."
    )
    calm = SimpleNamespace(variation="common_cause", improvement=None, assurance=None)
    assert "Special cause" not in _spc_reading(calm, "")


def test_board_is_asked_to_note_the_missed_target() -> None:
    # random_results rates only the timeliness target; on its random data it is missed
    view = build_view(random_results("internal"))
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
    title = _chart_title(build_view(small_results("public")), "fig-timely-cohort")
    assert title == "53% of interviews were held within 72 hours"
