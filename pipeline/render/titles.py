"""Titles that state a chart's message, and the plain-English reading of a control chart."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pipeline.analysis.spc import describe_signal
from pipeline.periods import month_label
from pipeline.render.charts import Series


def breakdown_title(breakdown: Any, labels: list[str], series: list[Series]) -> str:
    """A title stating the message: the most common category, naming the cohort if compared."""
    names = [s.name for s in series]
    compared = [n for n in ("Out of county", "In county") if n in names]
    for name in compared:
        s = series[names.index(name)]
        top = _top(labels, s)
        if top is not None:
            return (
                f"{breakdown.title}: for children placed {name.lower()}, the largest group was "
                f"{_lower_first(labels[top])} ({s.labels[top]})"
            )
    main = series[0]
    top = _top(labels, main)
    if top is None:
        return f"{breakdown.title}: numbers too small to show"
    if "practitioner" in str(getattr(breakdown, "id", "")):
        # Practitioners are numbered by their count, so name the count, not "practitioner 1".
        return f"{breakdown.title}: the most by one practitioner was {main.labels[top]}"
    if "month" in str(getattr(breakdown, "dimension", "")).lower():
        return f"{breakdown.title}: the most were in {labels[top]} ({main.labels[top]})"
    return (
        f"{breakdown.title}: the largest group was {_lower_first(labels[top])} ({main.labels[top]})"
    )


def _lower_first(text: str) -> str:
    # Keep acronyms such as CSE or CCE as written.
    if len(text) > 1 and text[:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def _top(labels: list[str], series: Series) -> int | None:
    shown = [
        (float(series.values[i]), -i)
        for i in range(len(labels))
        if not series.hidden(i) and float(series.values[i]) > 0
    ]
    if not shown:
        return None
    return -max(shown)[1]


def _lowest(series: Series, few: Sequence[bool] = ()) -> int | None:
    """The lowest shown point, leaving out those marked in `few` (rates on too few cases)."""
    shown = [
        (float(series.values[i]), i)
        for i in range(len(series.values))
        if not series.hidden(i) and not (i < len(few) and few[i])
    ]
    return min(shown)[1] if shown else None


def _spc_reading(result: Any, target: str) -> str:
    """What the chart says, in plain English: the latest month, then the target."""
    variation = getattr(result, "variation", None)
    better = {"up": " (higher is better)", "down": " (lower is better)"}.get(
        str(getattr(result, "improvement", None)), ""
    )
    latest = {
        None: "",
        "common_cause": (
            "The latest month is within the range the months charted lead us to expect."
        ),
        # The latest month may be one point of a run or trend, not a one-month event, so
        # the sentence says it is part of the signal the title describes.
        "improvement": f"The latest month is part of a signal of improvement{better}.",
        "concern": f"The latest month is part of a signal of deterioration{better}.",
        "neutral_high": "The latest month is unusually high.",
        "neutral_low": "The latest month is unusually low.",
    }.get(variation, "")
    goal = f"the target of {target}" if target else "the target"
    assurance = {
        "consistently_meets": f"On these limits {goal} will keep being met.",
        "consistently_fails": (
            f"On these limits {goal} will keep being missed unless the process changes."
        ),
        "hit_and_miss": (
            f"On these limits {goal} will be met in some months and missed in others, by "
            "chance alone."
        ),
    }.get(str(getattr(result, "assurance", None)), "")
    return " ".join(x for x in (latest, assurance) if x)


def spc_title(
    result: Any, title_base: str, shown_special: Sequence[bool], hidden: Sequence[bool]
) -> str:
    """An SPC chart's title: what its latest signal is, over the months it spans.

    A run or trend is described as a shift over its months ("a run of 7 months above the
    mean since December 2025"), not as one month. A signal that spans a withheld month is
    named by its last month only, so the title says nothing about the withheld one.
    """
    flagged = [i for i, s in enumerate(shown_special) if s]
    past = _past_single_month(result, hidden)
    if past is not None:
        # An old one-month signal is not the chart's news: every month since is ordinary.
        last, high, since = past
        side = "high" if high else "low"
        months = "month" if since == 1 else f"{since} months"
        return (
            f"{title_base}: within the expected range in the {months} since an unusually "
            f"{side} {_point_month(result, last)}"
        )
    if not flagged:
        if any(hidden):
            return f"{title_base}: no special cause in the months shown"
        return f"{title_base}: only ordinary variation"
    signal = result.signal_at(flagged[-1]) if hasattr(result, "signal_at") else None
    if signal is None or any(hidden[signal.start : signal.end + 1]):
        return f"{title_base}: special cause in {_point_month(result, flagged[-1])}"
    return f"{title_base}: {describe_signal(result, signal)}"


def _point_month(result: Any, index: int) -> str:
    """The month of point `index` of an SPC result, e.g. `June 2026`."""
    labels = getattr(result, "labels", ()) or ()
    return month_label(labels[index]) if index < len(labels) else f"point {index + 1}"


def _past_single_month(result: Any, hidden: Sequence[bool]) -> tuple[int, bool, int] | None:
    """(index, whether high, months since) of a single unusual month in the past outside the
    process limits, when every month since it is ordinary and it is published; else None."""
    special = [bool(s) for s in getattr(result, "special", ())]
    flagged = [i for i, s in enumerate(special) if s]
    if not flagged or not hasattr(result, "signal_at"):
        return None
    last = flagged[-1]
    signal = result.signal_at(last)
    latest = getattr(result, "latest", None)
    if signal is None or signal.rule != "outside" or latest is None or last >= latest:
        return None
    if hidden[last] or (len(flagged) > 1 and flagged[-2] == last - 1):
        return None
    return last, bool(signal.high), latest - last


def spc_past_signal(result: Any, hidden: Sequence[bool]) -> str:
    """A sentence on a single unusual month in the past, when every month since it is
    ordinary: "August 2025 (88) was a single unusual month, above the upper process limit;
    the 10 months since have all been within the range expected." Empty otherwise, or
    when that month is withheld."""
    past = _past_single_month(result, hidden)
    if past is None:
        return ""
    last, high, since = past
    side = "above the upper" if high else "below the lower"
    return (
        f"{_point_month(result, last)} was a single unusual month, {side} process limit; "
        f"the {since} {'month' if since == 1 else 'months'} since "
        f"{'has' if since == 1 else 'have all'} been within the range expected. One month "
        "outside the limits is a prompt to ask what happened then, not a lasting change."
    )
