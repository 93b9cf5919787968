"""The charts and tables the section templates ask for by name, and where breakdowns go.

Each function returns the blocks of one component: a chart whose title states its message, or
a table. The words around them are the section templates' (`templates/sections/*.html.j2`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from pipeline.metrics import present
from pipeline.periods import Quarter, month_label
from pipeline.render.blocks import MOSTLY_WITHHELD, Block, Numberer, _slug
from pipeline.render.charts import (
    DataTable,
    Series,
    bar_chart,
    line_chart,
    spc_chart,
    stacked_bar_chart,
)
from pipeline.render.figures import (
    COHORT_PHRASE,
    COHORT_SHORT,
    IN,
    OUT,
    SUPPRESSED,
    Figures,
    _completed_word,
    _num,
    _recorded_cohorts,
    _small_base,
)
from pipeline.render.tables import _hours_row, _series
from pipeline.render.titles import _lowest, _spc_reading, _top, spc_past_signal, spc_title
from pipeline.results import Results

# The board paper's sections, in its order (the default placement of breakdowns knows them).
SECTIONS = (
    ("summary", "Summary"),
    ("missing", "Missing episodes"),
    ("interviews", "Return home interviews"),
    ("timeliness", "Timeliness"),
    ("out_of_county", "Children placed out of county"),
    ("risks", "Risks identified"),
    ("workload", "Workload of return home interview practitioners"),
    ("trends", "Trends"),
)
# Which section a breakdown belongs in, by words in its id or dimension (first match wins).
_PLACEMENT = (
    (("exception",), "timeliness"),
    (("risk",), "risks"),
    (("interviewer_id", "practitioner", "workload", "per_interviewer"), "workload"),
    (("mode", "role"), "out_of_county"),
    (("not_offered", "declin", "offer"), "interviews"),
)

# The SPC series the analysis produces, with how to show them.
SPC_SERIES = (
    ("episodes", "Missing episodes each month", False),
    ("rhi_offered_rate", "Return home interviews offered each month", True),
    ("rhi_timely_rate", "Interviews completed within the timescale each month", True),
    ("rhi_target_met_rate", "Interviews held face to face within the timescale each month", True),
)
COHORTS4 = ["all", IN, OUT, "not_looked_after"]


def _section_for(breakdown: Any) -> str:
    key = f"{getattr(breakdown, 'id', '')} {getattr(breakdown, 'dimension', '')}".lower()
    for words, section in _PLACEMENT:
        if any(w in key for w in words):
            return section
    return "missing"


def _between(q: Quarter) -> str:
    """'April and June 2026', to follow 'Between'."""
    return f"{month_label(q.months[0]).split()[0]} and {month_label(q.months[-1])}"


def episodes_by_cohort_chart(results: Results, fig: Figures, num: Numberer) -> list[Block]:
    """Episodes by cohort, titled with the largest group."""
    q = results.quarter
    # Cohorts the run cannot tell apart drop out (not recorded); "all" is not a bar.
    cohorts = [c for c in _recorded_cohorts(fig, COHORTS4) if c != "all"]
    if not cohorts:
        return []
    cats = [COHORT_SHORT[c] for c in cohorts]
    series = Series(
        "Episodes",
        [fig.value(q, c, "episodes") for c in cohorts],
        [fig.text(q, c, "episodes") for c in cohorts],
        [fig.suppressed(q, c, "episodes") for c in cohorts],
    )
    top = _top(cats, series)
    title = (
        f"The largest group of episodes was of children {COHORT_PHRASE[cohorts[top]]} "
        f"({series.labels[top]})"
        if top is not None
        else "Missing episodes by group of children"
    )
    return [
        num.chart(
            bar_chart(
                "fig-episodes-cohort", title, cats, [series], first_header="Group of children"
            )
        )
    ]


# Returns due split into offered and not offered; offers split into what came of them. The
# labels say which is a part of which, so the bars are not read as one falling funnel.
FUNNEL = (
    "rhi_due",
    "rhi_offered",
    "rhi_not_offered",
    "rhi_completed",
    "rhi_declined",
    "rhi_pending",
)
# Table rows of the rates whose base is not returns, each naming its base, as tables of
# timeliness and of children in and out of county show them ({hours}: the timescale).
RATE_LABELS = {
    "rhi_timely_rate": (
        "Held within {hours} hours, any mode (% of interviews that count towards the timescale)"
    ),
    "rhi_target_met_rate": (
        "Held face to face within {hours} hours (% of interviews that count towards the timescale)"
    ),
    "rhi_face_to_face_rate": "Held face to face (% of completed interviews)",
    "rhi_independent_rate": "Held by an independent worker (% of completed interviews)",
}

FUNNEL_LABELS = {
    "rhi_due": "Returns due an interview",
    "rhi_offered": "Offered",
    "rhi_not_offered": "Not offered",
    "rhi_completed": "Offered: completed",
    "rhi_declined": "Offered: declined",
    "rhi_pending": "Offered: still pending",
}


def funnel_chart(results: Results, fig: Figures, num: Numberer) -> list[Block]:
    """What happened after children returned, titled with the offer and decline rates."""
    q = results.quarter
    offered = fig.text(q, "all", "rhi_offered_rate")
    declined = fig.text(q, "all", "rhi_decline_rate")
    shown = {m: not fig.suppressed(q, "all", m) for m in ("rhi_offered_rate", "rhi_decline_rate")}
    done = _completed_word(results)
    funnel = _series(fig, q, "all", FUNNEL, "Episodes")
    stage_labels = {**FUNNEL_LABELS, "rhi_completed": f"Offered: {done}"}
    labels = [stage_labels[m] for m in FUNNEL]
    if shown["rhi_offered_rate"] and shown["rhi_decline_rate"]:
        title = (
            f"{offered} of returns were offered an interview and {declined} of offers were declined"
        )
    elif shown["rhi_decline_rate"]:
        title = f"{declined} of the interviews offered were declined"
    elif shown["rhi_offered_rate"]:
        title = f"{offered} of returns were offered an interview"
    else:
        title = "What happened after children returned"
    return [
        num.chart(
            bar_chart("fig-funnel", title, labels, [funnel], first_header="Returns and offers")
        )
    ]


STEPS = (
    ("median_hours_return_to_notification", "Return to police notification"),
    ("median_hours_notification_to_assignment", "Notification to assignment"),
    ("median_hours_assignment_to_completion", "Assignment to interview"),
)


def _still_open(fig: Figures, q: Quarter) -> str:
    """A sentence on the episodes still open at the end of the quarter, where a reader of
    the section will see it ("" when there are none, or the count is withheld)."""
    value = fig.value(q, "all", "episodes_ongoing")
    if value is None or fig.suppressed(q, "all", "episodes_ongoing") or not value > 0:
        return ""
    n = fig.text(q, "all", "episodes_ongoing")
    verb = "was" if value == 1 else "were"
    return (
        f" {n} {'episode' if value == 1 else 'episodes'} {verb} still open when the data was "
        "taken: the child had not yet returned, so no interview was due yet."
    )


def _timeliness_text(fig: Figures, q: Quarter, hours: str, face: bool) -> str:
    """The section's opening: the council's target first, the rate in any mode as context,
    and which interviews each figure counts."""
    met, timely = fig.text(q, "all", "rhi_target_met_rate"), fig.text(q, "all", "rhi_timely_rate")
    # The context rate is left out of the sentence when it is withheld ("[c] were held"
    # reads as a figure); the table below shows it as [c].
    if face:
        lead = (
            f"The council's target is an interview held face to face within {hours} hours of "
            f"the child's return. This quarter {met} of the completed interviews that count "
            "towards the timescale met it"
        )
        if not fig.suppressed(q, "all", "rhi_timely_rate"):
            lead += (
                f"; counting interviews in any mode, including by telephone, {timely} were "
                f"held within {hours} hours"
            )
        lead += "."
    else:
        lead = (
            f"An interview should be held within {hours} hours of the child's return. This "
            f"quarter {timely} of completed interviews were held within {hours} hours"
        )
        if not fig.suppressed(q, "all", "rhi_target_met_rate"):
            lead += f", and {met} were both within the timescale and face to face"
        lead += "."
    text = (
        f"{lead} Interviews with an agreed exception to the timescale are left out of these "
        "rates, but the median times below include them"
    )
    # A median over 72 hours beside a rate over half reads as a contradiction: say why.
    median = fig.value(q, "all", "median_hours_return_to_completion")
    rate = fig.value(q, "all", "rhi_timely_rate")
    shown = not (
        fig.suppressed(q, "all", "median_hours_return_to_completion")
        or fig.suppressed(q, "all", "rhi_timely_rate")
    )
    if shown and median is not None and rate is not None and median > float(hours) and rate >= 0.5:
        text += (
            ". That is how the median time from return to interview "
            f"({fig.text(q, 'all', 'median_hours_return_to_completion')}) can be longer than "
            f"{hours} hours while {timely} of the interviews counted were held within {hours} "
            "hours"
        )
    return text + "."


def timely_by_cohort_chart(results: Results, fig: Figures, num: Numberer) -> list[Block]:
    """Interviews within the timescale (face to face when that is the headline target) by
    cohort, titled with the lowest group compared."""
    q = results.quarter
    hours = f"{float(results.config.timeliness_hours):g}"
    cohorts = COHORTS4
    face = results.config.headline_target_metric == "rhi_target_met_rate"
    metric = "rhi_target_met_rate" if face else "rhi_timely_rate"
    held = f"held face to face within {hours} hours" if face else f"held within {hours} hours"
    below = _small_base(results)
    rate = Series(
        "Face to face within timescale" if face else "Within timescale",
        [fig.value(q, c, metric) for c in cohorts],
        [fig.rate_text(q, c, metric, below) for c in cohorts],
        [fig.suppressed(q, c, metric) for c in cohorts],
    )
    cats = [COHORT_SHORT[c] for c in cohorts]
    # A rate on a handful of interviews is shown, but never made the headline; "all" is the
    # whole, not a group to compare, and "lowest" needs at least two groups to compare.
    small = [c != "all" and fig.small_base(q, c, metric, below) for c in cohorts]
    left_out = [c == "all" or small[i] for i, c in enumerate(cohorts)]
    compared = sum(1 for i, out in enumerate(left_out) if not out and not rate.hidden(i))
    low = _lowest(rate, left_out) if compared >= 2 else None
    if low is not None:
        title = f"Interviews {held}: lowest for {cats[low].lower()} ({rate.labels[low]})"
        # A group shown on the chart but too small to compare is named, with why, so the
        # title never claims "lowest" against a bar that is lower.
        few = [
            f"{cats[i].lower()} ({rate.labels[i].replace(' (of ', ' of ').removesuffix(')')})"
            for i, s in enumerate(small)
            if s
        ]
        if few:
            title += (
                f" among groups with {below} or more interviews; "
                f"{' and '.join(few)} had too few to compare"
            )
    elif not rate.hidden(0):
        title = f"{rate.labels[0]} of interviews were {held}"
    else:
        title = f"Interviews {held}, by group of children"
    return [
        num.chart(
            bar_chart(
                "fig-timely-cohort",
                title,
                cats,
                [rate],
                percent=True,
                first_header="Group of children",
            )
        )
    ]


def hours_by_step_chart(results: Results, fig: Figures, num: Numberer) -> list[Block]:
    """The median hours of each step from return to interview, titled with the longest."""
    q = results.quarter
    hours = f"{float(results.config.timeliness_hours):g}"
    # Every group the timeliness table beside it shows, so the chart leaves none out.
    step_cohorts = COHORTS4
    # The labels are in whole hours, as the axis and the table beside the chart are.
    segments = [
        Series(
            label,
            [fig.value(q, c, m) for c in step_cohorts],
            _hours_row(fig, q, step_cohorts, m),
            [fig.suppressed(q, c, m) for c in step_cohorts],
        )
        for m, label in STEPS
    ]
    longest = max(
        range(len(STEPS)),
        key=lambda j: (segments[j].values[0] or 0) if not segments[j].hidden(0) else -1,
    )
    median = segments[longest].labels[0]
    if present.hours(segments[longest].values[0]).endswith("days"):
        median = f"{median}, {present.hours(segments[longest].values[0])}"
    title = (
        f"The longest step was {STEPS[longest][1].lower()} (median {median})"
        if not segments[longest].hidden(0)
        else "Where the time goes between return and interview"
    )
    return [
        num.chart(
            stacked_bar_chart(
                "fig-hours",
                title,
                [COHORT_SHORT[c] for c in step_cohorts],
                segments,
                reference=float(results.config.timeliness_hours),
                reference_label=f"{hours} hours",
                axis_label="Median time in hours (24 hours = 1 day)",
                first_header="Group of children",
            )
        )
    ]


# Each rate says what it is a share of: returns, completed interviews, or the completed
# interviews that count towards the timescale (no agreed exception).
COMPARE = (
    ("rhi_offered_rate", "Offered (of returns)"),
    ("rhi_completed_rate", "Completed (of returns)"),
    ("rhi_independent_rate", "Independent (of completed)"),
    ("rhi_face_to_face_rate", "Face to face (of completed)"),
    ("rhi_timely_rate", "Within timescale, any mode (of those counted)"),
)


# The shares the out-of-county section states for that group, in order: (metric, what it is).
OUT_OF_COUNTY_SHARES = (
    ("rhi_independent_rate", "held by an independent interviewer", "the completed interviews"),
    ("rhi_face_to_face_rate", "held face to face", "the completed interviews"),
    (
        "rhi_timely_rate",
        "held within {hours} hours",
        "the completed interviews that count towards the timescale",
    ),
)


def out_of_county_story(results: Results, fig: Figures) -> str:
    """What can be published for children placed out of county this quarter, in words and
    figures, and plainly what cannot (figures withheld by the disclosure stage)."""
    q = results.quarter
    hours = f"{float(results.config.timeliness_hours):g}"
    below = _small_base(results)
    done = _completed_word(results)

    def shown(metric: str) -> bool:
        return fig.row(q, OUT, metric) is not None and not fig.suppressed(q, OUT, metric)

    offered, completed = fig.text(q, OUT, "rhi_offered"), fig.text(q, OUT, "rhi_completed")
    parts = []
    if shown("rhi_offered") and shown("rhi_completed"):
        parts.append(
            f"In {q.months_label}, {offered} interviews were offered to children placed out "
            f"of county and {completed} were {done}."
        )
    elif shown("rhi_offered"):
        parts.append(
            f"In {q.months_label}, {offered} interviews were offered to children placed out "
            "of county."
        )
    elif shown("rhi_completed"):
        parts.append(
            f"In {q.months_label}, {completed} interviews with children placed out of county "
            f"were {done}."
        )
    withheld = []
    for metric, what, base in OUT_OF_COUNTY_SHARES:
        what = what.format(hours=hours)
        if fig.row(q, OUT, metric) is None:
            continue
        if not shown(metric):
            withheld.append(f"how many were {what}")
        else:
            # A share of a few interviews carries its base: "0% (of 5)".
            parts.append(f"Of {base}, {fig.rate_text(q, OUT, metric, below)} were {what}.")
    if withheld:
        listed = _listed(withheld)
        parts.append(
            f"{listed[0].upper()}{listed[1:]} {'is' if len(withheld) == 1 else 'are'} not "
            "published, because the numbers are small enough to identify a child or would let "
            "such a number be worked out."
        )
    return " ".join(parts)


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def not_offered_for_placement(results: Results) -> str:
    """A sentence on returns not offered an interview because the child was placed out of
    county (from the not-offered reasons), where a reader of this section looks for it.
    Empty when there were none, or the count is withheld or not published."""
    parts = [b for b in results.disclosure.published(results.breakdowns or [])]
    reasons = next((b for b in parts if b.id == "not_offered_reasons"), None)
    if reasons is None or OUT not in reasons.frame.columns:
        return ""
    rows = reasons.frame.index[reasons.frame["category"] == "out_of_area"].tolist()
    if not rows:
        return ""
    i = rows[0]
    if bool(results.disclosure.breakdown_mask(reasons).loc[i, OUT]):
        return ""
    n = int(reasons.frame.loc[i, OUT])
    if n <= 0:
        return ""
    returns = "return" if n == 1 else "returns"
    verb = "was" if n == 1 else "were"
    return (
        f" {present.count(n)} {returns} of children placed out of county {verb} not offered "
        "an interview because of where the child was placed (see 'Why return home interviews "
        "were not offered'), although the statutory guidance says every child who returns "
        "must be offered one, wherever they live."
    )


@dataclass(frozen=True)
class Independence:
    """How often interviews were independent, out of county against in county."""

    comparable: bool  # both shown, neither on too few cases
    less: bool  # comparable, and out of county is lower
    out_of_county: str  # the shown rates, e.g. "45%" or "0% (of 3)"
    in_county: str


def independence(results: Results, fig: Figures) -> Independence:
    """Whether this quarter's figures let the paper compare independence in and out of county."""
    q = results.quarter
    below = _small_base(results)
    metric = "rhi_independent_rate"
    ins = _series(fig, q, IN, [metric], "In county", below)
    outs = _series(fig, q, OUT, [metric], "Out of county", below)
    few = fig.small_base(q, OUT, metric, below) or fig.small_base(q, IN, metric, below)
    recorded = fig.recorded(metric, IN) and fig.recorded(metric, OUT)
    comparable = recorded and not ins.hidden(0) and not outs.hidden(0) and not few
    less = comparable and float(outs.values[0]) < float(ins.values[0])  # type: ignore[arg-type]
    return Independence(comparable, less, outs.labels[0], ins.labels[0])


def compared_metrics(fig: Figures) -> list[str]:
    """The measures compared in and out of county that this run records for both groups."""
    return [m for m, _ in COMPARE if fig.recorded(m, IN) and fig.recorded(m, OUT)]


def out_of_county_chart(results: Results, fig: Figures, num: Numberer) -> list[Block]:
    """Looked-after children in and out of county side by side; a sentence instead of a chart
    whose bars would be mostly [c]."""
    q = results.quarter
    below = _small_base(results)
    done = _completed_word(results).capitalize()
    compare = [
        (m, f"{done} (of returns)" if m == "rhi_completed_rate" else label)
        for m, label in COMPARE
        if fig.recorded(m, IN)
        and fig.recorded(m, OUT)
        # A measure withheld for both groups would be a pair of empty bars; the section's
        # words say what is withheld.
        and not (fig.suppressed(q, IN, m) and fig.suppressed(q, OUT, m))
    ]
    metrics = [m for m, _ in compare]
    cats = [label for _, label in compare]
    ins = _series(fig, q, IN, metrics, "In county", below)
    outs = _series(fig, q, OUT, metrics, "Out of county", below)
    said = independence(results, fig)
    if said.comparable:
        comparison = "less" if said.less else "at least as"
        title = (
            f"Out-of-county interviews were {comparison} often independent "
            f"({said.out_of_county} against {said.in_county} in county)"
        )
    elif "rhi_offered_rate" in metrics and not (
        ins.hidden(metrics.index("rhi_offered_rate"))
        or outs.hidden(metrics.index("rhi_offered_rate"))
    ):
        i = metrics.index("rhi_offered_rate")
        a, b = float(outs.values[i]), float(ins.values[i])  # type: ignore[arg-type]
        comparison = "less" if a < b else "more" if a > b else "as"
        title = (
            f"Out-of-county returns were offered an interview {comparison} often"
            f"{' as in county' if comparison == 'as' else ''} ({outs.labels[i]} against "
            f"{ins.labels[i]} in county)"
        )
    else:
        title = "Interviews for children placed in and out of county"
    hidden = sum(s.hidden(i) for s in (ins, outs) for i in range(len(metrics)))
    if not metrics:
        return []  # nothing this run records can be compared: the table shows what is recorded
    if 2 * hidden > 2 * len(metrics):
        # Bars that are mostly [c] read as a broken chart: the table says what can be said.
        return [Block("text", text=MOSTLY_WITHHELD)]
    return [
        num.chart(
            bar_chart("fig-ooc", title, cats, [ins, outs], percent=True, first_header="Measure")
        )
    ]


# Short line labels (drawn at the lines' ends, where long ones squeeze the chart); the
# section's words and the table say what each rate is a share of.
TREND_RATES = (
    ("rhi_offered_rate", "Offered"),
    ("rhi_completed_rate", "Completed"),
    ("rhi_timely_rate", "Within timescale"),
)


def trend_rates_chart(results: Results, fig: Figures, num: Numberer) -> list[Block]:
    """The interview rates by quarter, titled with how the offer rate moved."""
    quarters = results.quarters
    xs = [q.short_label for q in quarters]
    rates = list(TREND_RATES)
    if results.config.headline_target_metric == "rhi_target_met_rate":
        # The council's target is face to face within the timescale: its trend is that one.
        rates[-1] = ("rhi_target_met_rate", "Face to face within timescale")
    series = [
        Series(
            _completed_word(results).capitalize() if m == "rhi_completed_rate" else label,
            [fig.value(q, "all", m) for q in quarters],
            [fig.text(q, "all", m) for q in quarters],
            [fig.suppressed(q, "all", m) for q in quarters],
        )
        for m, label in rates
        if fig.recorded(m)  # no line for a measure that is not recorded
    ]
    first = series[0] if series else None
    title = "Return home interview rates by quarter"
    if (
        first is not None
        and fig.recorded("rhi_offered_rate")
        and len(quarters) > 1
        and not first.hidden(0)
        and not first.hidden(len(quarters) - 1)
    ):
        a, b = float(first.values[0]), float(first.values[-1])  # type: ignore[arg-type]
        verb = "rose" if b > a else "fell" if b < a else "held steady"
        title = (
            f"The share of returns offered an interview {verb} from {first.labels[0]} "
            f"to {first.labels[-1]}"
        )
    if not series:  # no measure of the trend is recorded: no chart
        return []
    return [num.chart(line_chart("fig-trend-rates", title, xs, series, percent=True))]


def _count_and_share(fig: Figures, quarter: Quarter, count: str, rate: str) -> str:
    """'108 (59%)': a count with the rate it is the numerator of; the count alone when the
    rate is withheld or not recorded, and the count's own text ("[c]") when it is withheld."""
    shown = fig.text(quarter, "all", count)
    share = fig.text(quarter, "all", rate) if rate in fig.registry else ""
    if fig.suppressed(quarter, "all", count) or not share or fig.suppressed(quarter, "all", rate):
        return shown
    if fig.value(quarter, "all", rate) is None:
        return shown
    return f"{shown} ({share})"


def _numerator_and_rate(fig: Figures, quarter: Quarter, rate: str) -> str:
    """'16 (46%)': a shown rate with its numerator; the rate's own text when withheld."""
    row = fig.row(quarter, "all", rate)
    shown = fig.text(quarter, "all", rate)
    if (
        row is None
        or fig.suppressed(quarter, "all", rate)
        or fig.value(quarter, "all", rate) is None
    ):
        return shown
    numerator = _num(row["numerator"])
    return shown if math.isnan(numerator) else f"{present.count(numerator)} ({shown})"


def trend_table(results: Results, fig: Figures, num: Numberer) -> list[Block]:
    """The figures behind the trend, one row per quarter, for all children: the counts, and
    the rates the trend chart draws beside the counts they are worked out from."""
    face = results.config.headline_target_metric == "rhi_target_met_rate"
    hours = f"{float(results.config.timeliness_hours):g}"
    timely = "rhi_target_met_rate" if face else "rhi_timely_rate"
    counts = ["episodes", "children", "rhi_due"]
    shares = [("rhi_offered", "rhi_offered_rate"), ("rhi_completed", "rhi_completed_rate")]
    headers = [
        "Quarter",
        *[fig.registry[m].label for m in counts],
        "Offered (share of returns due)",
        f"{_completed_word(results).capitalize()} (share of returns due)",
        f"{'Face to face within' if face else 'Within'} {hours} hours (share of interviews "
        "that count)",
    ]
    # A non-breaking space keeps "Q1 2025-26" on one line in a narrow first column.
    rows = [
        [
            q.short_label.replace(" ", "\u00a0"),
            *[fig.text(q, "all", m) for m in counts],
            *[_count_and_share(fig, q, c, r) for c, r in shares],
            _numerator_and_rate(fig, q, timely) if fig.recorded(timely) else "not recorded",
        ]
        for q in results.quarters
    ]
    note = (
        "Interviews that count towards the timescale are those held with no agreed exception "
        "to it (Appendix A)."
    )
    return [num.table(DataTable("Quarterly figures, all children", headers, rows, note))]


def timeliness_text(results: Results, fig: Figures) -> str:
    """The timeliness section's opening (the headline target first)."""
    hours = f"{float(results.config.timeliness_hours):g}"
    face = results.config.headline_target_metric == "rhi_target_met_rate"
    return _timeliness_text(fig, results.quarter, hours, face)


def still_open(results: Results, fig: Figures) -> str:
    """The missing section's sentence on episodes still open ("" when none or withheld)."""
    return _still_open(fig, results.quarter).strip()


def staff_privacy_text(results: Results, fig: Figures) -> str:
    """The public workload section: the total only, never per person (a team of two
    dedicated workers would be identified)."""
    held = fig.text(results.quarter, "all", "rhi_completed")
    total = (
        f" In total, {held} return home interviews were {_completed_word(results)} this quarter."
        if held not in ("[c]", "[x]", "not available", "")
        else ""
    )
    return (
        "Workload per practitioner is not published: in a small team it would identify "
        "members of staff. The internal edition of this paper gives it." + total
    )


# The charts and tables a section template can ask for by name (`c.chart(name)`).
NAMED: dict[str, Callable[[Results, Figures, Numberer], list[Block]]] = {
    "episodes_by_cohort": episodes_by_cohort_chart,
    "funnel": funnel_chart,
    "timely_by_cohort": timely_by_cohort_chart,
    "hours_by_step": hours_by_step_chart,
    "out_of_county": out_of_county_chart,
    "trend_rates": trend_rates_chart,
    "trend_table": trend_table,
}


def _months_ending(quarter: Quarter, count: int) -> list[str]:
    """The `count` months (YYYY-MM) ending with the quarter's last month."""
    year, month = (int(x) for x in quarter.months[-1].split("-"))
    out = []
    for _ in range(count):
        out.append(f"{year}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(out))


# The registry metric of each monthly series (for its target).
_SPC_METRIC = {
    "episodes": "episodes",
    "rhi_offered_rate": "rhi_offered_rate",
    "rhi_timely_rate": "rhi_timely_rate",
    "rhi_target_met_rate": "rhi_target_met_rate",
}


def _monthly_mask(results: Results) -> pd.DataFrame | None:
    """Which monthly values the audience may not see (None when the series is not available)."""
    monthly = getattr(results, "monthly", None)
    if not isinstance(monthly, pd.DataFrame):
        return None
    return results.disclosure.monthly_mask(monthly).reset_index(drop=True)


def spc_blocks(results: Results, num: Numberer) -> list[Block]:
    """Control charts for the monthly series, each with its plain-English reading (none when
    the analysis has no control charts)."""
    spc = getattr(results.analysis, "spc", None) or {}
    blocks: list[Block] = []
    if not spc:
        return blocks
    mask = _monthly_mask(results)
    for key, title_base, percent in SPC_SERIES:
        result = results.disclosure.spc_result(key, spc.get(key))
        if result is None:
            continue
        values = [float(v) for v in result.values]
        months = list(getattr(results.analysis, "months", []) or [])
        if len(months) != len(values):
            months = _months_ending(results.quarter, len(values))
        xs = [month_label(m, short=True) for m in months]
        months_full = [month_label(m) for m in months]
        if mask is not None and key in mask.columns and len(mask) == len(values):
            hidden = [bool(x) for x in mask[key].tolist()]
        else:
            # Without the monthly counts no point can be checked, so none is published.
            hidden = [results.audience == "public"] * len(values)
        fmt: Callable[[float], str] = (
            (lambda v: present.percent(v, 1.0)) if percent else (lambda v: present.count(v))
        )
        labels = [
            SUPPRESSED if h else ("no cases" if percent else "no data") if math.isnan(v) else fmt(v)
            for v, h in zip(values, hidden, strict=True)
        ]
        special = [bool(x) for x in result.special]
        shown_special = [s and not h for s, h in zip(special, hidden, strict=True)]
        text = getattr(result, "text", {}) or {}
        metric = _SPC_METRIC.get(key, key)
        goal = results.config.targets.get(metric)
        target = float(goal.target) if goal is not None else None
        summary = " ".join(
            x
            for x in (
                _spc_reading(result, fmt(target) if target is not None else ""),
                spc_past_signal(result, hidden),
                str(text.get("limits") or ""),
            )
            if x
        )
        if any(hidden) and not results.disclosure.spc_withheld(key):
            # The SPC reading was worked out on every month, withheld ones included.
            withheld = (
                "Months shown as [c] are withheld because their numbers are small; they are "
                "not drawn, but the limits and signals were worked out from every month."
            )
            summary = f"{withheld} {summary}".strip()
        message = spc_title(result, title_base, shown_special, hidden)

        limit_texts = [
            ["" if math.isnan(float(v)) else fmt(float(v)) for v in (m, lo, hi)]
            for m, lo, hi in zip(result.mean, result.lower, result.upper, strict=True)
        ]
        last = len(values) - 1
        lower_last = float(result.lower[last])
        limit_labels = (
            [
                f"Upper {fmt(float(result.upper[last]))}",
                f"Mean {fmt(float(result.mean[last]))}",
                f"Lower {fmt(lower_last)}" + (" (below 0)" if lower_last < 0 else ""),
            ]
            if not math.isnan(float(result.upper[last]))
            else []
        )
        target_label = f"Target {fmt(target)}" if target is not None else ""
        if 2 * sum(hidden) > len(values):
            # A line through a few scattered months tells the reader nothing: give the
            # months that can be published as a table, with the same reading.
            blocks.append(Block("h3", text=title_base))
            reading = summary.replace("; they are not drawn, but the limits", "; the limits")
            published = len(values) - sum(hidden)
            if 3 * published < len(values):
                # A few scattered months are not a series: a table of them would mostly be
                # [c], and a lone month invites reading it as typical.
                blocks.append(
                    Block(
                        "text",
                        text=(
                            f"Only {published} of the {len(values)} months' figures can be "
                            "published, too few to chart or to read as a series; the quarter's "
                            "figures are in the tables above."
                        ),
                    )
                )
                if reading:
                    # There is no chart here to speak of: the series is.
                    reading = reading.replace("for this chart", "for this series")
                    blocks.append(Block("text", text=reading))
                continue
            blocks.append(
                Block(
                    "text",
                    text=(
                        "Most months' figures are too small to publish, so no chart is drawn; "
                        "the table gives the months that can be published."
                    ),
                )
            )
            # With the limits withheld no month's signal is published either: a column of
            # nothing but [c] would say nothing, so it is left out.
            signals = not results.disclosure.spc_withheld(key)
            rows = [
                [
                    months_full[i],
                    labels[i],
                    *(
                        [SUPPRESSED if hidden[i] else ("Yes" if special[i] else "No")]
                        if signals
                        else []
                    ),
                ]
                for i in range(len(values))
            ]
            headers = ["Month", "Value", *(["Special cause"] if signals else [])]
            blocks.append(num.table(DataTable(title_base, headers, rows)))
            if reading:
                blocks.append(Block("text", text=reading))
            continue
        chart = spc_chart(
            f"fig-spc-{_slug(key)}",
            message,
            xs,
            values,
            [float(v) for v in result.mean],
            [float(v) for v in result.lower],
            [float(v) for v in result.upper],
            special,
            labels,
            percent=percent,
            summary=summary,
            limit_labels=limit_labels,
            suppressed=hidden,
            limit_texts=limit_texts,
            target=target,
            target_label=target_label,
            kinds=[str(k) for k in getattr(result, "point_type", ()) or ()],
        )
        blocks.append(num.chart(chart))
        if summary:
            blocks.append(Block("text", text=summary))
    return blocks


# --------------------------------------------------------------------------------------------
# Not recorded ([x]): measures whose data the extracts do not hold (pipeline.metrics.held)

NOT_RECORDED_NOTE = (
    "[x] means a figure is not recorded: the extracts this paper was made from do not hold "
    "the data it needs (see the data-quality appendix), so it is not counted, never shown as 0, "
    "and no chart, trend or target rating is given for it."
)

# The sections that stand on one measure: when the run does not record it (for the cohort),
# the section is one sentence saying so in its place. (metric, cohort) and what is not held.
NOT_HELD_GATES: dict[str, tuple[str, str]] = {
    "interviews": ("rhi_offered_rate", "all"),
    "timeliness": ("rhi_timely_rate", "all"),
    "timeliness_detail": ("rhi_timely_rate", "all"),
    "out_of_county": ("rhi_offered_rate", OUT),
}
_NOT_HELD_WHY = {
    "interviews": "the return home interview record (an interviews extract, or RHI flags on the "
    "episode rows)",
    "timeliness": "the time each interview was held",
    "timeliness_detail": "the time each interview was held",
    "out_of_county": "where each looked-after child was placed (in or out of county), or the "
    "return home interview record",
}


def not_recorded_text(fig: Figures, sid: str) -> str | None:
    """The sentence that stands in for section `sid` when its key measure is not recorded in
    this run (no figure, chart or table), or None when the section can be reported."""
    if sid not in NOT_HELD_GATES:
        return None
    metric, cohort = NOT_HELD_GATES[sid]
    if fig.recorded(metric, cohort):
        return None
    return (
        f"Not recorded [x]: the extracts for this paper do not hold {_NOT_HELD_WHY[sid]}, "
        "so this section's measures cannot be reported."
    )
