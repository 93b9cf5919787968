"""The summary page's headline tiles: figure, change on last quarter and target status."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.metrics import present
from pipeline.periods import Quarter
from pipeline.render.figures import (
    COHORT_SHORT,
    OUT,
    Figures,
    _completed_word,
    _default_shown,
    _is_rate,
    _small_base,
)
from pipeline.results import Results


@dataclass(frozen=True)
class Tile:
    """One headline figure on the summary page, with its change and target status in words."""

    label: str
    figure: str
    change: str  # e.g. "Up 5 percentage points on last quarter (55%)"
    arrow: str  # "up", "down", "same" or "" (drawn by CSS, hidden from screen readers)
    judgement: str  # "better", "worse", "no change" or ""
    rag_status: str  # "green", "amber", "red", "none"
    rag_word: str  # e.g. "Target missed (target 90%)"
    rag_symbol: str  # a glyph of the shipped font, e.g. "×"; hidden from screen readers
    suppressed: bool = False
    context: str = ""  # a related figure beside it, e.g. "In any mode: 51%"
    base: str = ""  # what a rate is of, e.g. "of 184 returns" ("" for a count)


HEADLINE = "headline"
# The headline target metric's tile shows the other timeliness rate beside it, in words.
_CONTEXT = {
    "rhi_target_met_rate": ("rhi_timely_rate", "In any mode, including telephone: {figure}"),
    "rhi_timely_rate": ("rhi_target_met_rate", "Face to face only: {figure}"),
}
HEADLINES: tuple[tuple[str, str, str], ...] = (
    # (metric, cohort, label override or "" for the registry label)
    ("episodes", "all", "Missing and away episodes"),
    ("children", "all", "Children who went missing"),
    ("rhi_offered_rate", "all", "Return home interviews offered"),
    ("rhi_decline_rate", "all", "Offers declined by the child or family"),
    ("rhi_completed_rate", "all", "Return home interviews completed"),
    (HEADLINE, "all", ""),  # the headline target metric (config headline_target_metric)
    ("rhi_independent_rate", OUT, "Out-of-county interviews held independently"),
    ("children_repeat", "all", ""),
)


# What each rate's base counts, so tiles of different bases side by side say so (e.g. 21% of
# returns beside 46% of the interviews that count towards the timescale).
BASES: dict[str, tuple[str, str]] = {
    "rhi_due": ("return", "returns"),
    "rhi_offered": ("offer", "offers"),
    "rhi_completed": ("completed interview", "completed interviews"),
    "children": ("child", "children"),
}
# The timeliness rates' base is described in words in the registry, not a metric of its own.
TIMESCALE_BASE = (
    "interview that counts towards the timescale",
    "interviews that count towards the timescale",
)


def base_words(fig: Figures, quarter: Quarter, cohort: str, metric: str) -> str:
    """'of 184 returns': a shown rate's base and what it counts ("" when not known)."""
    count = fig.base(quarter, cohort, metric)
    spec = fig.registry.get(metric)
    if not count or spec is None:
        return ""
    nouns = BASES.get(spec.denominator or "")
    if nouns is None and metric in ("rhi_timely_rate", "rhi_target_met_rate"):
        nouns = TIMESCALE_BASE
    if nouns is None:
        return ""
    group = "" if cohort == "all" else f" ({COHORT_SHORT[cohort].lower()})"
    return f"of {count} {nouns[0] if count == '1' else nouns[1]}{group}"


# Counts of what was still open when the extract was taken: they depend on the as-at date,
# not on the quarter alone, so a change on last quarter would mislead.
AS_AT_COUNTS = frozenset({"episodes_ongoing", "rhi_pending"})


# What the tile says when the metric's monthly control chart does not back a judgement.
ORDINARY = "; within the ordinary variation of the monthly control chart"


def spc_reading(results: Results, metric: str, cohort: str) -> str | None:
    """The latest month's reading on the metric's control chart as the audience may see it
    ("improvement", "concern", "common_cause", ...; "" when its signals are withheld), or None
    when the paper has no control chart of that metric (charts are of all children)."""
    spc = getattr(results.analysis, "spc", None) or {}
    if cohort != "all" or metric not in spc:
        return None
    decisions = getattr(results, "disclosure", None)
    shown = spc[metric] if decisions is None else decisions.spc_result(metric, spc[metric])
    return str(getattr(shown, "variation", None) or "")


def _change(
    fig: Figures,
    quarter: Quarter,
    cohort: str,
    metric: str,
    below: int,
    reading: str | None = None,
) -> tuple[str, str, str]:
    """The change on last quarter in words, the arrow to draw and the judgement. A rate on
    fewer than `below` cases in either quarter is not judged better or worse: one child more
    or less moves it by many points (1 of 5 against 0 of 4 is 20 points). Where the paper
    has a control chart of the metric (`reading`, from `spc_reading`), two quarters are not
    judged against it: the change is called better or worse only when the chart signals an
    improvement or a concern the same way, as Making Data Count asks; with no control chart
    of the metric, two quarters are not judged at all."""
    prev = quarter.previous()
    spec = fig.registry[metric]
    if fig.not_recorded(quarter, cohort, metric):
        return "Not recorded: the extracts do not hold the data", "", ""
    if metric in AS_AT_COUNTS:
        # Last quarter's episodes have had months longer to close than this quarter's.
        return "Counted when the data was taken, so not compared with last quarter", "", ""
    if fig.row(prev, cohort, metric) is None:
        return "No figure for last quarter", "", ""
    now, before = fig.value(quarter, cohort, metric), fig.value(prev, cohort, metric)
    # A rate on few cases carries its base: "(0% of 4)".
    before_text = fig.text(prev, cohort, metric)
    if fig.small_base(prev, cohort, metric, below):
        before_text += f" of {fig.base(prev, cohort, metric)}"

    if fig.suppressed(quarter, cohort, metric) or fig.suppressed(prev, cohort, metric):
        return f"Not shown, to protect small numbers; last quarter {before_text}", "", ""
    if now is None or before is None:
        return f"Not comparable; last quarter {before_text}", "", ""
    shown_as = getattr(spec, "shown_as", None) or _default_shown(spec.kind)
    if shown_as == "percent":
        # Percentage points between the two shown (rounded) percentages, so the words add up.
        diff = present.round_half_away(now * 100) - present.round_half_away(before * 100)
        unit = "percentage point" if abs(diff) == 1 else "percentage points"
        amount = f"{abs(diff)} {unit}"
    elif shown_as == "hours":
        diff = round(now - before)
        amount = f"{abs(diff)} hours"
    elif shown_as == "number":
        diff = round(now - before, 1)
        amount = f"{abs(diff):.1f}"
    else:
        diff = now - before
        amount = present.count(abs(diff))
    if diff == 0:
        return f"No change on last quarter ({before_text})", "same", "no change"
    word, arrow = ("Up", "up") if diff > 0 else ("Down", "down")
    judgement = ""
    few = fig.small_base(quarter, cohort, metric, below) or fig.small_base(
        prev, cohort, metric, below
    )
    if spec.direction is not None and not few and reading is not None:
        better = (diff > 0) == (spec.direction == "up")
        if reading == ("improvement" if better else "concern"):
            judgement = "better" if better else "worse"
    tail = f", {judgement}" if judgement else ""
    if few and spec.direction is not None:
        tail = "; too few cases to judge"
    elif not judgement and reading == "common_cause":
        # Withheld signals ("") back nothing and are not spoken of.
        tail = ORDINARY

    return f"{word} {amount} on last quarter ({before_text}){tail}", arrow, judgement


def _rag(results: Results, fig: Figures, metric: str, cohort: str) -> tuple[str, str, str]:
    """Target status, its words and its symbol for a tile; ("none", "", "") with no target."""
    target = results.config.targets.get(metric)
    if target is None:
        return "none", "", ""
    quarter = results.quarter
    hidden = fig.suppressed(quarter, cohort, metric)
    # Rated upstream (Results.ratings), never here.
    rag = results.ratings.get((metric, cohort))
    goal = present.rate_percent(target.target) if _is_rate(fig, metric) else f"{target.target:g}"
    status = str(getattr(rag, "status", "no data"))
    word = str(getattr(rag, "word", "") or status.capitalize())
    if hidden:
        word = "Not rated: numbers too small"
    if fig.not_recorded(quarter, cohort, metric):
        return "none", f"Not rated: not recorded (target {goal})", ""
    symbol = str(getattr(rag, "symbol", ""))
    shown = status if status in ("green", "amber", "red") else "none"
    return shown, f"{word} (target {goal})", symbol


def tiles(
    results: Results, fig: Figures, headlines: Sequence[tuple[str, str, str]] = HEADLINES
) -> list[Tile]:
    """The summary page's headline figures: (metric, cohort, label or "") in order."""
    out = []
    below = _small_base(results)
    headline = results.config.headline_target_metric
    for name, cohort, label in headlines:
        metric = headline if name == HEADLINE else name
        if metric not in fig.registry or fig.row(results.quarter, cohort, metric) is None:
            continue
        change, arrow, judgement = _change(
            fig, results.quarter, cohort, metric, below, spc_reading(results, metric, cohort)
        )
        status, word, symbol = _rag(results, fig, metric, cohort)
        if metric == "rhi_completed_rate":
            label = f"Return home interviews {_completed_word(results)}"
        out.append(
            Tile(
                label=label or fig.registry[metric].label,
                figure=fig.text(results.quarter, cohort, metric),
                change=change,
                arrow=arrow,
                judgement=judgement,
                rag_status=status,
                rag_word=word,
                rag_symbol=symbol,
                suppressed=fig.suppressed(results.quarter, cohort, metric),
                context=_context(results, fig, metric) if name == HEADLINE else "",
                base=base_words(fig, results.quarter, cohort, metric),
            )
        )
    return out


def _context(results: Results, fig: Figures, metric: str) -> str:
    """The other timeliness rate, for the headline tile ("" when there is none)."""
    other, words = _CONTEXT.get(metric, ("", ""))
    if not other or other not in fig.registry or fig.row(results.quarter, "all", other) is None:
        return ""
    if fig.suppressed(results.quarter, "all", other):
        return ""  # a withheld context figure adds nothing to the tile
    return words.format(figure=fig.text(results.quarter, "all", other))
