"""The single catalogue of metrics and cohorts: IDs, labels, units, numerators, denominators,
which way is better, and the definition taken from the function that computes each metric.

metrics.csv, the report and the methodology appendix all read this, so they cannot drift apart.
`REGISTRY` is filled in with the default configuration; `configured_registry()` fills in the
run's own window, repeat threshold and independent roles.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from pipeline.metrics import definitions as d

Kind = Literal["count", "ratio", "median_hours"]
Direction = Literal["up", "down"]
ShownAs = Literal["count", "percent", "number", "hours"]

DEFAULT_TIMELINESS_HOURS: float = 72
DEFAULT_REPEAT_THRESHOLD: int = 3
DEFAULT_INDEPENDENT_ROLES: tuple[str, ...] = (
    "independent_practitioner",
    "host_authority_practitioner",
)

# Cohort id -> label, in the order of metrics.md.
COHORTS: dict[str, str] = {
    "all": "All children",
    "looked_after": "Looked after",
    "looked_after_in_area": "Looked after, placed in county",
    "looked_after_out_of_area": "Looked after, placed out of county",
    "not_looked_after": "Not looked after",
}

# Plain-English membership of each cohort, for the methodology appendix.
COHORT_DEFINITIONS: dict[str, str] = {
    "all": "Every episode.",
    "looked_after": "Episodes of children looked after by the council when the episode started.",
    "looked_after_in_area": "Episodes of looked-after children placed within the council's area.",
    "looked_after_out_of_area": (
        "Episodes of looked-after children placed outside the council's area (out of county)."
    ),
    "not_looked_after": "Episodes of children not looked after by the council.",
}


@dataclass(frozen=True)
class MetricSpec:
    """One metric of the catalogue.

    `numerator` and `denominator` are metric IDs, or a short description where the quantity is
    not itself a catalogue metric; both are None for counts. `direction` says which way is
    better (None: neither, e.g. the number of episodes). `definition` is the computing
    function's docstring with the configuration filled in; `template` is the docstring as
    written. `shown_as` says how the report formats the value.
    """

    id: str
    label: str
    kind: Kind
    unit: str
    numerator: str | None
    denominator: str | None
    direction: Direction | None
    definition: str
    shown_as: ShownAs
    function: Callable[[d.Grouped], d.Figure]
    template: str
    label_template: str


def _fill(text: str, params: dict[str, str]) -> str:
    """Substitute the configuration words in a label or definition."""
    return text.format(**params)


def _params(
    timeliness_hours: float,
    repeat_threshold: int,
    independent_roles: Sequence[str],
    completed_word: str = "completed",
) -> dict[str, str]:
    """The words that stand for configuration in labels and definitions."""
    roles = [r.replace("_", " ") for r in independent_roles]
    if not roles:
        role_text = "none (no role is configured as independent)"
    elif len(roles) == 1:
        role_text = roles[0]
    else:
        role_text = ", ".join(roles[:-1]) + " or " + roles[-1]
    return {
        "timeliness_hours": f"{float(timeliness_hours):g}",
        "repeat_threshold": str(int(repeat_threshold)),
        "independent_roles": role_text,
        "completed": completed_word,
    }


def _docstring(function: Callable[..., object]) -> str:
    """A function's docstring as one paragraph."""
    return " ".join((inspect.getdoc(function) or "").split())


def _spec(
    function: Callable[[d.Grouped], d.Figure],
    label: str,
    kind: Kind,
    unit: str,
    direction: Direction | None,
    numerator: str | None = None,
    denominator: str | None = None,
    shown_as: ShownAs | None = None,
) -> MetricSpec:
    template = _docstring(function)
    default = {"count": "count", "ratio": "percent", "median_hours": "hours"}[kind]
    return MetricSpec(
        id=function.__name__,
        label=label,
        kind=kind,
        unit=unit,
        numerator=numerator,
        denominator=denominator,
        direction=direction,
        definition=template,
        shown_as=shown_as or default,
        function=function,
        template=template,
        label_template=label,
    )


_T = "Interviews held with no agreed exception to the timescale, no earlier than the return"
_N = "Interview records with both times recorded, the later not before the earlier"

_CATALOGUE: tuple[MetricSpec, ...] = (
    _spec(d.episodes, "Missing and away episodes", "count", "episodes", None),
    _spec(d.children, "Children with an episode", "count", "children", None),
    _spec(
        d.children_repeat,
        "Children with {repeat_threshold} or more episodes",
        "count",
        "children",
        None,
    ),
    _spec(d.episodes_ongoing, "Episodes still open", "count", "episodes", None),
    _spec(d.rhi_due, "Episodes due a return home interview", "count", "episodes", None),
    _spec(d.rhi_offered, "Return home interviews offered", "count", "episodes", None),
    _spec(d.rhi_declined, "Return home interviews declined", "count", "episodes", None),
    _spec(d.rhi_completed, "Return home interviews {completed}", "count", "episodes", None),
    _spec(d.rhi_pending, "Return home interviews pending", "count", "episodes", None),
    _spec(d.rhi_not_offered, "Return home interviews not offered", "count", "episodes", None),
    _spec(
        d.episodes_per_child,
        "Episodes per child",
        "ratio",
        "episodes per child",
        "down",
        "episodes",
        "children",
        shown_as="number",
    ),
    _spec(
        d.children_repeat_rate,
        "Children with {repeat_threshold} or more episodes (% of children)",
        "ratio",
        "proportion",
        "down",
        "children_repeat",
        "children",
    ),
    _spec(
        d.rhi_offered_rate,
        "Return home interviews offered (% of episodes due one)",
        "ratio",
        "proportion",
        "up",
        "rhi_offered",
        "rhi_due",
    ),
    _spec(
        d.rhi_decline_rate,
        "Return home interviews declined (% of those offered)",
        "ratio",
        "proportion",
        "down",
        "rhi_declined",
        "rhi_offered",
    ),
    _spec(
        d.rhi_completed_rate,
        "Return home interviews {completed} (% of episodes due one)",
        "ratio",
        "proportion",
        "up",
        "rhi_completed",
        "rhi_due",
    ),
    _spec(
        d.rhi_timely_rate,
        "Return home interviews completed within {timeliness_hours} hours",
        "ratio",
        "proportion",
        "up",
        "Interviews held with no agreed exception to the timescale, no earlier than the "
        "return and within {timeliness_hours} hours of it",
        _T,
    ),
    _spec(
        d.rhi_target_met_rate,
        "Return home interviews completed face to face within {timeliness_hours} hours",
        "ratio",
        "proportion",
        "up",
        "Interviews held face to face with no agreed exception to the timescale, no earlier "
        "than the return and within {timeliness_hours} hours of it",
        _T,
    ),
    _spec(
        d.rhi_face_to_face_rate,
        "Completed return home interviews held face to face",
        "ratio",
        "proportion",
        "up",
        "Completed interviews held face to face",
        "rhi_completed",
    ),
    _spec(
        d.rhi_independent_rate,
        "Completed return home interviews carried out independently",
        "ratio",
        "proportion",
        "up",
        "Completed interviews held by an independent interviewer",
        "rhi_completed",
    ),
    _spec(
        d.median_hours_return_to_notification,
        "Median time from return to police notification",
        "median_hours",
        "hours",
        "down",
        None,
        _N,
    ),
    _spec(
        d.median_hours_notification_to_assignment,
        "Median time from notification to assignment",
        "median_hours",
        "hours",
        "down",
        None,
        _N,
    ),
    _spec(
        d.median_hours_assignment_to_completion,
        "Median time from assignment to interview",
        "median_hours",
        "hours",
        "down",
        None,
        _N,
    ),
    _spec(
        d.median_hours_return_to_completion,
        "Median time from return to interview",
        "median_hours",
        "hours",
        "down",
        None,
        _N,
    ),
)


def configured_registry(
    timeliness_hours: float = DEFAULT_TIMELINESS_HOURS,
    repeat_threshold: int = DEFAULT_REPEAT_THRESHOLD,
    independent_roles: Sequence[str] = DEFAULT_INDEPENDENT_ROLES,
    completed_word: str = "completed",
) -> dict[str, MetricSpec]:
    """The catalogue, in order, with labels and definitions worded for this configuration.

    `completed_word` is "accepted" when the RHI record is offered/accepted flags, which say
    an interview was accepted but not that it was held (Config.completed_word)."""
    params = _params(timeliness_hours, repeat_threshold, independent_roles, completed_word)
    out: dict[str, MetricSpec] = {}
    for spec in _CATALOGUE:
        out[spec.id] = replace(
            spec,
            label=_fill(spec.label_template, params),
            definition=_fill(spec.template, params),
            numerator=_fill(spec.numerator, params) if spec.numerator else None,
            denominator=_fill(spec.denominator, params) if spec.denominator else None,
        )
    return out


# The catalogue with the default configuration, in catalogue order.
REGISTRY: dict[str, MetricSpec] = configured_registry()

__all__ = [
    "COHORTS",
    "COHORT_DEFINITIONS",
    "REGISTRY",
    "MetricSpec",
    "configured_registry",
]
