"""Chart titles state their message; control charts are read in plain English.

For each chart of the sample papers (public and internal) and of the hand-made fixtures,
the title's claim is checked against the chart's own data table, the figures a reader sees:
"lowest for X (v)" needs no shown bar below v unless the title names that bar as left out;
"the largest group was X (n)" and "the most ... was n" need no shown bar above n.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from render_fixtures import random_results, small_results

from pipeline import run
from pipeline.config import load_config
from pipeline.render.view import build_view


def test_practitioner_chart_title_names_the_count_not_a_practitioner() -> None:
    from types import SimpleNamespace

    from pipeline.render.charts import Series
    from pipeline.render.titles import breakdown_title

    b = SimpleNamespace(
        id="interviews_per_practitioner",
        title="Completed interviews per practitioner",
        dimension="interviewer",
    )
    s = Series("All children", [19, 9, 10], ["19", "9", "10"], [False] * 3)
    title = breakdown_title(b, ["Practitioner 1", "Practitioner 2", "Other interviewers"], [s])
    assert title == "Completed interviews per practitioner: the most by one practitioner was 19"


def test_spc_reading_is_plain_english() -> None:
    from types import SimpleNamespace

    from pipeline.render.titles import _spc_reading

    up = SimpleNamespace(variation="improvement", improvement="up", assurance="consistently_fails")
    assert _spc_reading(up, "90%") == (
        "The latest month is part of a signal of improvement (higher is better). On these "
        "limits the "
        "target of 90% will keep being missed unless the process changes."
    )
    calm = SimpleNamespace(variation="common_cause", improvement=None, assurance=None)
    assert "Special cause" not in _spc_reading(calm, "")


def _one_old_spike(months_since: int, *, withheld: bool = False) -> tuple[Any, list[bool]]:
    """A fake XmR result: 12 months from April 2025, one point above the upper limit with
    `months_since` ordinary months after it; `withheld` hides the unusual month."""
    from types import SimpleNamespace

    from pipeline.analysis.spc import Signal

    n = 12
    spike = n - 1 - months_since
    labels = [f"2025-{m:02d}" for m in range(4, 13)] + [f"2026-{m:02d}" for m in range(1, 4)]
    signal = Signal("outside", spike, spike, 1, True, "concern")
    result = SimpleNamespace(
        special=[i == spike for i in range(n)],
        signal_at=lambda i: signal if i == spike else None,
        latest=n - 1,
        labels=labels,
    )
    return result, [withheld and i == spike for i in range(n)]


def test_spc_title_of_an_old_single_month_says_the_months_since_are_ordinary() -> None:
    from pipeline.render.titles import spc_past_signal, spc_title

    # 12 months, April 2025 (index 0) to March 2026 (index 11); 7 months after the spike
    # means it is at index 11 - 7 = 4, August 2025.
    result, hidden = _one_old_spike(7)
    title = spc_title(result, "Missing episodes each month", result.special, hidden)
    assert title == (
        "Missing episodes each month: within the expected range in the 7 months since an "
        "unusually high August 2025"
    )
    assert spc_past_signal(result, hidden).startswith("August 2025 was a single unusual month")
    # The spike in the latest month is the news: index 11, no months since, so not "past".
    latest, hidden = _one_old_spike(0)
    assert spc_past_signal(latest, hidden) == ""
    assert "within the expected range" not in spc_title(
        latest, "Missing episodes each month", latest.special, hidden
    )
    # A withheld unusual month is never named.
    secret, hidden = _one_old_spike(7, withheld=True)
    assert spc_past_signal(secret, hidden) == ""
    shown = [s and not h for s, h in zip(secret.special, hidden, strict=True)]
    assert "August" not in spc_title(secret, "Missing episodes each month", shown, hidden)


# --- every title holds for every bar shown ---------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


def _number(text: str) -> float | None:
    """The figure a cell shows: '53%' -> 53, '1,234' -> 1234, '0% (of 5)' -> 0; else None."""
    match = re.match(r"\s*(-?[\d,]+(?:\.\d+)?)", text)
    return float(match.group(1).replace(",", "")) if match else None


def _charts(view: Any) -> list[Any]:
    return [b.chart for s in view.sections for b in s.blocks if b.kind == "chart" and b.chart]


def title_problems(chart: Any) -> list[str]:
    """What in the chart's title its data table contradicts (empty when the title holds)."""
    title, table = chart.title, chart.table
    rows = [(r[0], [_number(c) for c in r[1:]]) for r in table.rows]
    problems: list[str] = []
    low = re.search(r"lowest for (.+?) \((-?[\d.,]+)%?[^)]*\)", title)
    if low:
        floor = float(low.group(2).replace(",", ""))
        left_out = title[low.end() :].lower()
        for name, values in rows:
            if name.lower() in left_out or name == "All children":
                continue
            for value in values:
                if value is not None and value < floor:
                    problems.append(f"{title!r}: {name} shows {value} below {floor}")
    high = re.search(
        r"(?:largest group (?:was|of episodes was) .*?|most .*? was) \(?([\d,]+)", title
    )
    # "for children placed out of county, the largest group was ...": that column only
    scope = re.search(r"for children placed ([a-z ]+?),", title)
    if scope:
        wanted = [i for i, h in enumerate(table.headers[1:]) if h.lower() == scope.group(1)]
        rows = [(name, [values[i] for i in wanted]) for name, values in rows]
    if high and not low:
        ceiling = float(high.group(1).replace(",", ""))
        for name, values in rows:
            # a row standing for several practitioners is not "one practitioner"
            if name.lower().startswith("other practitioners") or name == "Total":
                continue
            for value in values:
                if value is not None and value > ceiling:
                    problems.append(f"{title!r}: {name} shows {value} above {ceiling}")
    return problems


def _sample_results(audience: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The sample data's Results, as the run builds them, without writing any file."""
    captured: list[Any] = []
    monkeypatch.setattr(
        run, "write_outputs", lambda results, *args, **kwargs: captured.append(results) or []
    )
    config = load_config(ROOT / "config.yaml")
    run._run(
        config,
        None,
        episodes=None,
        interviews=None,
        quarter=None,
        as_at=None,
        audience=audience,
        out=Path("unused"),
        config_path=None,
    )
    return captured[0]


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_every_sample_chart_title_holds_for_every_bar(
    audience: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = build_view(_sample_results(audience, monkeypatch))
    charts = _charts(view)
    assert len(charts) >= 5
    problems = [p for chart in charts for p in title_problems(chart)]
    assert problems == []


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_fixture_chart_titles_hold(audience: str) -> None:
    for results in (small_results(audience), random_results(audience)):
        problems = [p for c in _charts(build_view(results)) for p in title_problems(c)]
        assert problems == []


def test_the_checker_catches_a_lowest_title_that_a_bar_contradicts() -> None:
    # The internal paper's old Figure 3: "lowest for not looked after (53%)" beside out of
    # county at 0% of 5. The checker must flag it, and accept it once the title names the
    # small group it leaves out.
    from types import SimpleNamespace

    from pipeline.render.charts import DataTable

    table = DataTable(
        "t",
        ["Cohort", "Within timescale"],
        [["All children", "51%"], ["Out of county", "0% (of 5)"], ["Not looked after", "53%"]],
    )
    bad = SimpleNamespace(
        title="Interviews within 72 hours: lowest for not looked after (53%)", table=table
    )
    assert title_problems(bad) == [f"{bad.title!r}: Out of county shows 0.0 below 53.0"]
    good = SimpleNamespace(
        title=(
            "Interviews within 72 hours: lowest for not looked after (53%) among groups with "
            "10 or more interviews; out of county (0% (of 5)) had too few to compare"
        ),
        table=table,
    )
    assert title_problems(good) == []
