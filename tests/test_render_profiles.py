"""Report profiles: the shipped ones, a council's own folder searched first, the sandbox, and
render/ as a thin last stage that imports no decision code."""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

import pytest
from render_fixtures import random_results, small_results

from pipeline.errors import UsageError
from pipeline.render.profiles import load_profile, load_profiles
from pipeline.render.report import render_html
from pipeline.render.view import build_view

RENDER = Path(__file__).resolve().parent.parent / "pipeline" / "render"


def test_shipped_profiles_load_and_name_their_files() -> None:
    config = small_results().config
    board = load_profile("board_paper", config)
    director = load_profile("director_quarterly", config)
    # The board paper keeps the contract's file names (docs/spec/outputs.md).
    assert board.file == "board-report"
    assert board.audience_for("public") == "public"
    assert board.audience_for("internal") == "internal"
    assert director.file == "director-quarterly"
    assert director.audience_for("public") == "internal"
    assert [s.id for s in board.sections][:3] == ["summary", "decisions", "missing"]
    assert "worklists" in [s.id for s in director.sections]


def test_unknown_profile_is_one_plain_sentence() -> None:
    config = small_results().config
    with pytest.raises(UsageError) as err:
        load_profile("board_papr", config)
    assert "There is no report profile 'board_papr'" in str(err.value)
    with pytest.raises(UsageError, match="not a profile name"):
        load_profile("../etc/passwd", config)


def test_two_profiles_writing_one_file_are_refused(tmp_path: Path) -> None:
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "copy.yaml").write_text(
        "file: board-report\nsections:\n  - {id: summary, title: Summary}\n", encoding="utf-8"
    )
    config = small_results(templates_dir=tmp_path).config
    with pytest.raises(UsageError, match=r"would both write board-report\.pdf"):
        load_profiles(["board_paper", "copy"], config)


def test_a_section_without_a_template_is_named(tmp_path: Path) -> None:
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "mine.yaml").write_text(
        "file: mine\nsections:\n  - {id: nowhere, title: Nowhere}\n", encoding="utf-8"
    )
    config = small_results(templates_dir=tmp_path).config
    with pytest.raises(UsageError, match="section 'nowhere' has no template"):
        load_profile("mine", config)


# A council's own profile, written without touching Python: trends moved before missing
# episodes, the risks section removed, the timeliness heading reworded, the missing-episodes
# section replaced by the council's template with one added table.
COUNCIL_PROFILE = """\
file: council-paper
title: Missing children, Q1 summary for members
tiles:
  - {metric: episodes, label: Episodes}
sections:
  - {id: summary, title: Summary, style: summary}
  - {id: trends, title: Trends}
  - {id: missing, title: Missing episodes}
  - {id: interviews, title: Return home interviews}
  - {id: timeliness, title: How quickly children were seen}
  - {id: out_of_county, title: Children placed out of county}
  - {id: workload, title: Workload of return home interview practitioners}
"""
COUNCIL_MISSING = """\
<p>Our own words: {{ f.text("episodes") }} episodes between {{ q.between }}.</p>
{{ c.chart("episodes_by_cohort") }}
{{ c.metric_table("Repeat missing by cohort, " ~ q.months_label,
                  ["children_repeat", "episodes_per_child"],
                  ["all", "looked_after_in_area", "looked_after_out_of_area"]) }}
{{ c.breakdowns() }}
"""


def _council(tmp_path: Path) -> Path:
    folder = tmp_path / "council-templates"
    (folder / "profiles").mkdir(parents=True)
    (folder / "sections").mkdir()
    (folder / "profiles" / "council_paper.yaml").write_text(COUNCIL_PROFILE, encoding="utf-8")
    (folder / "sections" / "missing.html.j2").write_text(COUNCIL_MISSING, encoding="utf-8")
    return folder


def test_council_profile_from_its_own_folder(tmp_path: Path) -> None:
    folder = _council(tmp_path)
    shipped = build_view(random_results("public"))
    results = random_results("public")
    results = replace(results, config=results.config.model_copy(update={"templates_dir": folder}))
    profile = load_profile("council_paper", results.config)
    view = build_view(results, profile)
    ids = [s.id for s in view.sections]
    assert ids == [
        "summary",
        "trends",
        "missing",
        "interviews",
        "timeliness",
        "out_of_county",
        "workload",
    ]
    assert "risks" not in ids
    titles = {s.id: s.title for s in view.sections}
    assert titles["timeliness"] == "How quickly children were seen"
    assert view.meta["title"] == "Missing children, Q1 summary for members"
    assert [t.label for t in view.tiles] == ["Episodes"]
    # Charts and tables are numbered in the new reading order: the trends' first.
    first_chart = next(b for s in view.sections for b in s.blocks if b.kind == "chart")
    assert first_chart.chart.id == "fig-trend-rates" and first_chart.number == 1
    missing = next(s for s in view.sections if s.id == "missing")
    captions = [b.table.caption for b in missing.blocks if b.kind == "table"]
    assert captions[0].startswith("Repeat missing by cohort, ")
    # The council's words replaced the shipped ones; the shipped paper still has its own.
    html = render_html(view, mode="html")
    assert "Our own words:" in html
    assert "Repeat missing by cohort" in html
    assert "Our own words:" not in render_html(shipped, mode="html")
    assert "How quickly children were seen" in render_html(view, mode="pdf")
    # The risks breakdown has no section to go to, so the council's paper leaves it out.
    assert not any(
        b.kind == "h3" and b.text.startswith("Risks") for s in view.sections for b in s.blocks
    )


def _probe(folder: Path, template: str):
    """Results whose config names `folder`, holding a one-section profile with `template`."""
    (folder / "profiles").mkdir(parents=True)
    (folder / "sections").mkdir()
    (folder / "profiles" / "probe.yaml").write_text(
        "file: probe\nsections:\n  - {id: probe, title: Probe}\n", encoding="utf-8"
    )
    (folder / "sections" / "probe.html.j2").write_text(template, encoding="utf-8")
    results = small_results("public")
    update = {"templates_dir": folder, "council_name": "<script>alert(1)</script>"}
    return replace(results, config=results.config.model_copy(update=update))


def test_templates_are_sandboxed_and_autoescaped(tmp_path: Path) -> None:
    from jinja2.exceptions import SecurityError

    # A template may call the components it is given, but reach nothing behind them.
    results = _probe(tmp_path / "one", "<p>{{ c._results }}</p>")
    with pytest.raises(SecurityError):
        build_view(results, load_profile("probe", results.config))
    results = _probe(tmp_path / "two", "<p>{{ c.__class__.__mro__ }}</p>")
    with pytest.raises(SecurityError):
        build_view(results, load_profile("probe", results.config))
    results = _probe(tmp_path / "three", "<p>{{ '<b>' }}</p>")
    view = build_view(results, load_profile("probe", results.config))
    html = render_html(view, mode="html")
    assert "<p>&lt;b&gt;</p>" in html
    assert "<script>alert" not in html


# render/ is the thin last stage: it shows decisions taken upstream and takes none itself.
FORBIDDEN = ("pipeline.analysis.targets", "pipeline.analysis.narrative")
# From the disclosure stage render may use only the names of quantities, never a decision.
DISCLOSURE_NAMES = {"total_key", "month_key", "count_columns", "capacity_key"}


def _imports(path: Path) -> tuple[set[str], set[str]]:
    """Modules a file imports, and the names it uses from pipeline.disclosure."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: set[str] = set()
    disclosure: set[str] = set()
    aliases: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                modules.add(alias.name)
                if alias.name == "pipeline.disclosure":
                    aliases.add(alias.asname or alias.name)
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                modules.add(f"{node.module}.{alias.name}")
                if node.module == "pipeline.disclosure":
                    disclosure.add(alias.name)
                if node.module == "pipeline" and alias.name == "disclosure":
                    aliases.add(alias.asname or "disclosure")
            modules.add(node.module)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
        ):
            disclosure.add(node.attr)
    return modules, disclosure


def test_render_imports_no_disclosure_targets_or_narrative_decisions() -> None:
    files = sorted(RENDER.glob("*.py"))
    assert len(files) > 10
    for path in files:
        modules, disclosure = _imports(path)
        for name in FORBIDDEN:
            assert not any(m == name or m.startswith(f"{name}.") for m in modules), path.name
        assert disclosure <= DISCLOSURE_NAMES, (path.name, disclosure - DISCLOSURE_NAMES)


def test_the_import_check_would_catch_a_decision(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from pipeline import disclosure\n"
        "from pipeline.analysis.targets import rag\n"
        "x = disclosure.suppress_breakdown\n",
        encoding="utf-8",
    )
    modules, disclosure = _imports(probe)
    assert "pipeline.analysis.targets" in modules
    assert disclosure == {"suppress_breakdown"}


def _not_recorded(results, held_not: set[tuple[str, str]], cohorts_not: set[str]):
    """`results` with the (metric, cohort) pairs and whole cohorts marked not recorded ([x]),
    as the metrics stage marks them when the extracts do not hold their data."""
    metrics = results.metrics.copy()
    pairs = list(zip(metrics["metric"], metrics["cohort"], strict=True))
    metrics["not_recorded"] = [(m, c) in held_not or c in cohorts_not for m, c in pairs]
    return replace(results, metrics=metrics)


def test_sections_whose_data_is_not_held_say_so_through_the_profile() -> None:
    # No placement area (in/out of county not recorded) and no interview times (timeliness
    # not recorded), as in an SSDA903-style extract with an RHI record but no times.
    results = random_results("public")
    timely = {
        (m, c)
        for m in ("rhi_timely_rate", "rhi_target_met_rate")
        for c in set(results.metrics["cohort"])
    }
    view = build_view(
        _not_recorded(results, timely, {"looked_after_in_area", "looked_after_out_of_area"})
    )
    by_id = {s.id: s for s in view.sections}
    for sid, why in (
        ("timeliness", "the time each interview was held"),
        ("out_of_county", "where each looked-after child was placed"),
    ):
        blocks = by_id[sid].blocks
        assert [b.kind for b in blocks] == ["text"], sid
        assert blocks[0].text.startswith(
            "Not recorded [x]: the extracts for this paper do not hold"
        )
        assert why in blocks[0].text
    ids = [c.id for c in view.charts]
    assert "fig-timely-cohort" not in ids and "fig-ooc" not in ids
    # The cohorts the run cannot tell apart drop out: looked after in their place.
    missing = next(b.table for b in by_id["missing"].blocks if b.kind == "table")
    assert missing.headers[1:] == ["All children", "Looked after", "Not looked after"]
    episodes = next(b.chart for b in by_id["missing"].blocks if b.kind == "chart")
    assert [r[0] for r in episodes.table.rows] == ["Looked after", "Not looked after"]
    # No trend line for the timeliness rate; the [x] note is given once.
    trend = next(c for c in view.charts if c.id == "fig-trend-rates")
    assert not any("within timescale" in h.lower() for h in trend.table.headers)
    assert sum("[x] means a figure is not recorded" in n for n in view.notes) == 1
