"""What it would take: the capacity replay in words, one table, one chart and a workbook sheet.

The internal paper gets the full section (options table, chart, the calibration row set
beside what actually happened, and the gap); the public board paper gets a short summary.
The assumptions (config values) go in the methodology appendix of both.

The replay's counts rest on real children's returns, so each share is shown or withheld as
the disclosure stage decided (`pipeline.disclosure.capacity_withheld`): `[c]` for the public
when a small number is under it.
"""

from __future__ import annotations

import math
from typing import Any

from pipeline.disclosure import capacity_key
from pipeline.metrics import present
from pipeline.render.blocks import Block, Numberer, Section
from pipeline.render.charts import DataTable, Series, bar_chart

SECTION_ID = "capacity"
TITLE = "What it would take"
CHART_ID = "fig-capacity"
SHEET = "Capacity"
# "In county" in the replay holds every child not placed out of county, so it includes
# children not looked after, living at home.
PLACES = (
    ("in_county", "In county or at home"),
    ("out_of_county", "Out of county"),
    ("all", "All"),
)
DAY_NAMES = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
ACTUAL_LABEL = "What actually happened"


def _row_id(result: Any) -> str:
    """The disclosure row of an option's result, or "actual" for what happened."""
    option = getattr(result, "option", None)
    return option.id if option is not None else "actual"


def _hidden(results: Any, result: Any, place: str) -> bool:
    """True when the disclosure stage withheld this share (a small number under it)."""
    return results.disclosure.withholds(capacity_key(_row_id(result), place))


def _option_words(option: Any, current_workers: int) -> str:
    """An option as a clause that cannot be read as extra workers when it has today's
    number: "If the same 2 workers also visited children placed out of county"."""
    same = option.workers == current_workers
    who = f"the same {option.workers}" if same else f"{option.workers}"
    noun = "worker" if option.workers == 1 else "workers"
    if getattr(option, "host_share", 0) > 0:
        return (
            f"With {who} {noun} and interviews out of county commissioned from the host authorities"
        )
    if option.out_of_county_visits:
        if same:
            return f"If {who} {noun} also visited children placed out of county"
        return f"With {who} {noun} who also visit children placed out of county"
    return f"With {who} {noun}, in county only"


def share_text(results: Any, result: Any, place: str) -> str:
    """A replayed or actual share as the paper shows it: "92%", "no cases" or "[c]"."""
    return present.percent(
        result.timely[place], result.wanted[place], _hidden(results, result, place)
    )


def _share_value(results: Any, result: Any, place: str) -> float | None:
    if _hidden(results, result, place) or not result.wanted[place]:
        return None
    return result.timely[place] / result.wanted[place]


def _rate_text(results: Any, name: str, rate: float) -> str:
    return present.rate_percent(rate, results.disclosure.withholds(capacity_key(name, "all")))


def _count(results: Any, name: str, value: int) -> str:
    return results.disclosure.count(capacity_key(name, "all"), value)


def _hours_of_day(hours: float) -> str:
    whole = round(hours * 60)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def _duration(hours: float) -> str:
    minutes = round(hours * 60)
    if minutes < 60:
        return f"{minutes} minutes"
    h, m = divmod(minutes, 60)
    text = "1 hour" if h == 1 else f"{h} hours"
    return text + (f" {m} minutes" if m else "")


def _days(days: list[str]) -> str:
    names = [DAY_NAMES[d] for d in days]
    week = ["mon", "tue", "wed", "thu", "fri"]
    if days == week:
        return "Monday to Friday"
    return ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1]


def _points(gap: float) -> str:
    """A gap in percentage points, in words."""
    whole = present.round_half_away(gap * 100)
    if whole == 0:
        return "no gap"
    return f"{abs(whole)} percentage point{'s' if abs(whole) != 1 else ''}"


def option_rows(results: Any) -> list[list[str]]:
    """One row per option (the current workforce marked), then what actually happened."""
    capacity = results.capacity
    rows = []
    for result in capacity.options:
        rows.append(
            [
                result.option.label,
                *[share_text(results, result, p) for p, _ in PLACES],
                present.rate_percent(result.utilisation),
                present.count(result.backlog_peak),
            ]
        )
    actual = capacity.actual
    rows.append(
        [
            ACTUAL_LABEL,
            *[share_text(results, actual, p) for p, _ in PLACES],
            "",
            "",
        ]
    )
    return rows


HEADERS = [
    "Workforce",
    "In county or at home",
    "Out of county",
    "All",
    "Worker time used",
    "Most returns waiting at once",
]


def _best(results: Any) -> Any:
    """The option holding the most interviews in time (ties: the first configured)."""
    return max(results.capacity.options, key=lambda r: (r.timely["all"], -r.option.workers))


def _gap_text(results: Any) -> str:
    """The calibration gap and how to read it ('' when either share is withheld)."""
    capacity = results.capacity
    current, actual = capacity.current, capacity.actual
    gap = capacity.gap("all")
    if _hidden(results, current, "all") or _hidden(results, actual, "all") or math.isnan(gap):
        return ""
    if gap > 0:
        return (
            f"The replay of today's workforce does {_points(gap)} better than the service "
            "did. It leaves out time to assign, children and families not being available, "
            "follow-up work, leave and sickness, so read each option's figure as an upper "
            "bound."
        )
    return (
        f"The replay of today's workforce does no better than the service did "
        f"({_points(gap)} {'below' if gap < 0 else ''}), so its options are not flattered by "
        "what it leaves out."
    ).replace(" )", ")")


def _calibration_text(results: Any) -> str:
    capacity = results.capacity
    current, actual = capacity.current, capacity.actual
    replayed = share_text(results, current, "all")
    happened = share_text(results, actual, "all")
    text = (
        f"Calibration: replayed, today's workforce could have held {replayed} of the wanted "
        f"interviews face to face, by an independent worker, within "
        f"{_hours(capacity.timeliness_hours)}; this quarter {happened} of the completed "
        "interviews that count towards the timescale were actually held that way."
    )
    gap = _gap_text(results)
    return f"{text} {gap}" if gap else text


def _smallest_close_to_best(results: Any, within: float = 0.05) -> Any:
    """The option with the fewest workers (then the least commissioning) whose share is
    within `within` of the best option's."""
    best = _best(results)
    close = [
        r
        for r in results.capacity.options
        if r.wanted["all"] and r.share("all") >= best.share("all") - within - 1e-12
    ]
    return min(close, key=lambda r: (r.option.workers, r.option.host_share))


def _hours(hours: float) -> str:
    return f"{hours:g} hours"


def _due(results: Any) -> str:
    """The quarter's returns owed an interview: the metrics table's rhi_due for all children."""
    q = results.quarter.id
    withheld = results.disclosure.metric_withheld(q, "all", "rhi_due")
    return present.count(results.capacity.returns.due, withheld)


def _intro(results: Any) -> str:
    capacity = results.capacity
    wanted = capacity.current.wanted["all"]
    return (
        f"What would it take to hold every return home interview face to face, by an "
        f"independent worker, within {_hours(capacity.timeliness_hours)}? This quarter's "
        f"{_due(results)} returns were replayed, "
        "each as recorded (when the child came back, in county or out, and when the police "
        "notification arrived), against each workforce below. Children decline and do not "
        "engage at this quarter's own rates, leaving "
        f"{_count(results, 'wanted', wanted)} interviews wanted. The figures "
        "are the share of those that could have been held face to face, by an independent "
        "worker, within the timescale; "
        "the assumptions are in the methodology appendix."
    )


def capacity_chart(results: Any) -> Any:
    """The options as grouped bars: in county and out of county."""
    capacity = results.capacity
    categories = [r.option.label for r in capacity.options]
    series = []
    for place, name in PLACES[:2]:
        values = [_share_value(results, r, place) for r in capacity.options]
        labels = [share_text(results, r, place) for r in capacity.options]
        hidden = [_hidden(results, r, place) for r in capacity.options]
        series.append(Series(name, values, labels, hidden))
    best = _best(results)
    title = (
        f"Of these options, {best.option.label.lower()} would hold the most interviews face "
        f"to face by an independent worker within {_hours(capacity.timeliness_hours)} "
        f"({share_text(results, best, 'all')} of those wanted)"
    )
    return bar_chart(CHART_ID, title, categories, series, percent=True, first_header="Workforce")


def capacity_section(results: Any, num: Numberer) -> Section | None:
    """The full "What it would take" section (None without a replay)."""
    if getattr(results, "capacity", None) is None:
        return None
    section = Section(SECTION_ID, TITLE, [Block("text", text=_intro(results))])
    section.blocks.append(
        num.table(
            DataTable(
                "Interviews that could be held face to face by an independent worker within "
                "the timescale, by workforce",
                HEADERS,
                option_rows(results),
                note=(
                    "Worker time used: the share of the dedicated workers' working hours spent "
                    "on offers, visits and write-ups. The last row is what the service "
                    "actually achieved this quarter (completed interviews in the timeliness "
                    "measure held face to face by an independent worker in time)."
                ),
            )
        )
    )
    section.blocks.append(num.chart(capacity_chart(results)))
    section.blocks.append(Block("text", text=_calibration_text(results)))
    return section


def capacity_summary(results: Any, num: Numberer | None = None) -> Section | None:
    """The short summary for the board paper, one paragraph (None without a replay).

    Short on purpose: the paper's length is the full run's time (docs/performance.md)."""
    if getattr(results, "capacity", None) is None:
        return None
    capacity = results.capacity
    current, actual, best = capacity.current, capacity.actual, _best(results)

    def share(r: Any, place: str) -> str:
        return share_text(results, r, place)

    # Short sentences, each with one figure and what it is of: the replay's share is of the
    # interviews wanted, the service's of the completed interviews in the timeliness measure,
    # and the two bases are said to differ.
    workers = current.option.workers
    text = (
        "A model that replays this quarter's returns suggests today's "
        f"{workers} dedicated {'worker' if workers == 1 else 'workers'} could have "
        "held face to face, by an independent worker and within "
        f"{_hours(capacity.timeliness_hours)}, {share(current, 'all')} of the interviews "
        "wanted (returns whose offer was not declined): "
        f"{share(current, 'in_county')} for children in county or living at home, "
        f"{share(current, 'out_of_county')} for children placed out of county. What actually "
        "happened is measured on a different base: "
        f"{share(actual, 'all')} of this quarter's completed interviews that count towards the "
        "timescale were held that way"
    )
    # The fewest workers that come close to the best, not only the best: a board choosing
    # between options should see the cheapest that does nearly as well.
    close = _smallest_close_to_best(results)
    if close.option.id != current.option.id:
        text += f". {_option_words(close.option, workers)}, the model gives {share(close, 'all')}"
        if close.option.id != best.option.id:
            text += f"; no option gives more than {share(best, 'all')}"
    elif best.option.id != current.option.id:
        text += (
            f". No option does much better: the most is {share(best, 'all')}, "
            f"{_option_words(best.option, workers).lower()}"
        )
    # The replay leaves out much of the work whatever the service's own figure, so the
    # caveat stands even when that figure is withheld.
    text += (
        ". The replay leaves out much of the work, so read these as upper bounds. The options "
        "are on the Capacity sheet of tables.xlsx, and the model's assumptions on its "
        "Capacity assumptions sheet."
    )
    return Section(SECTION_ID, TITLE, [Block("text", text=text)])


def assumptions(results: Any) -> list[str]:
    """The replay's assumptions, from the config and the quarter's rates, in words."""
    capacity = getattr(results, "capacity", None)
    if capacity is None:
        return []
    s, returns = capacity.settings, capacity.returns
    travel = ", ".join(
        f"{'in county' if area == 'in_area' else 'out of county'} {_duration(hours)}"
        for area, hours in sorted(s.travel_hours.items())
    )
    return [
        f"Dedicated workers work {_days(list(s.working_days))}, {_hours_of_day(s.day_start)} "
        f"to {_hours_of_day(s.day_end)}; a visit starts only if it ends by then. Bank "
        "holidays, leave, sickness and other duties are not modelled.",
        f"Each return costs {_duration(s.offer_hours)} to offer, including those where the "
        f"child declines or does not engage; an interview takes {_duration(s.interview_hours)} "
        f"and its write-up {_duration(s.recording_hours)}.",
        f"Travel, one way: {travel}; children not looked after (at home) "
        f"{_duration(s.default_travel_hours)}.",
        "Each return goes, when it is notified, to the worker free soonest. Notifications are "
        "as recorded; where none is recorded, the quarter's median delay "
        f"({present.hours(returns.median_notification_hours)}).",
        "Declines and non-engagement at this quarter's rates: "
        f"{_rate_text(results, 'decline', returns.decline_rate)} of offers declined, "
        f"{_rate_text(results, 'non_engagement', returns.non_engagement_rate)} of returns not "
        "offered because the child could not be contacted or went missing again; which "
        f"returns, by a seeded choice (seed {s.seed}), the same for every option.",
        "Returns with an agreed exception leave the replay, as they leave the timeliness "
        + (
            f"measure ({_count(results, 'exceptions', returns.exceptions)} this quarter)."
            if results.audience == "internal"
            else "measure."
        ),
        "Out-of-county children are visited only where an option says so; otherwise they get "
        "today's telephone or social-worker interview, which does not count. Commissioned "
        f"from the host authority, an interview is held {_duration(s.host_authority_hours)} "
        "after notification.",
    ]


def workbook_table(results: Any) -> Any:
    """The options and the calibration row as a workbook table (None without a replay)."""
    from pipeline.render.workbook import NOT_APPLICABLE, SUPPRESSED, Table

    capacity = getattr(results, "capacity", None)
    if capacity is None:
        return None

    def cells(result: Any) -> list[Any]:
        out: list[Any] = []
        for place, _ in PLACES:
            value = _share_value(results, result, place)
            hidden = _hidden(results, result, place)
            out.append(SUPPRESSED if hidden else NOT_APPLICABLE if value is None else value)
        return out

    rows: list[list[Any]] = [
        [
            r.option.label,
            r.option.workers,
            "yes" if r.option.out_of_county_visits else "no",
            r.option.host_share,
            *cells(r),
            r.utilisation,
            r.backlog_peak,
        ]
        for r in capacity.options
    ]
    blank = NOT_APPLICABLE
    actual = cells(capacity.actual)
    rows.append([ACTUAL_LABEL, blank, blank, blank, *actual, blank, blank])
    return Table(
        SHEET,
        f"What it would take: workforce options replayed, {results.quarter.label}",
        "Share of wanted interviews that could be held face to face by an independent worker "
        "within the timescale; "
        "[z] not applicable (no cases, or a workforce setting for what actually happened). "
        "The assumptions are on the sheet 'Capacity assumptions'.",
        [
            "Workforce",
            "Dedicated workers",
            "Visits out of county",
            "Share commissioned from host authorities",
            "In county or at home",
            "Out of county",
            "All",
            "Worker time used",
            "Most returns waiting at once",
        ],
        rows,
        ["text", "count", "text", "percent", "percent", "percent", "percent", "percent", "count"],
    )


def assumptions_table(results: Any) -> Any:
    """The replay's assumptions as a workbook table, one per row (None without a replay)."""
    from pipeline.render.workbook import Table

    lines = assumptions(results)
    if not lines:
        return None
    return Table(
        "Capacity assumptions",
        f"What it would take: the replay's assumptions, {results.quarter.label}",
        "The settings of the replay (the config's capacity block), and this quarter's rates.",
        ["Number", "Assumption"],
        [[i, line] for i, line in enumerate(lines, start=1)],
        ["count", "text"],
    )


__all__ = [
    "CHART_ID",
    "SECTION_ID",
    "SHEET",
    "assumptions",
    "assumptions_table",
    "capacity_chart",
    "capacity_section",
    "capacity_summary",
    "option_rows",
    "share_text",
    "workbook_table",
]
