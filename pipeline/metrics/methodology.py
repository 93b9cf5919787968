"""The methodology appendix, generated from the registry so it says what the code does."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.metrics.registry import (
    COHORT_DEFINITIONS,
    COHORTS,
    DEFAULT_INDEPENDENT_ROLES,
    DEFAULT_REPEAT_THRESHOLD,
    DEFAULT_TIMELINESS_HOURS,
    configured_registry,
)

_UNITS = {
    "count": "number",
    "percent": "percentage (whole numbers, rounded half away from zero)",
    "number": "number to one decimal place",
    "hours": "hours (shown in days past 48 hours)",
}
_DIRECTIONS = {"up": "higher is better", "down": "lower is better", None: "neither"}


def _term(text: str | None, labels: dict[str, str]) -> str:
    """A numerator or denominator in words: a metric ID becomes its label."""
    if text is None:
        return ""
    return labels.get(text, text)


def methodology(
    timeliness_hours: float = DEFAULT_TIMELINESS_HOURS,
    repeat_threshold: int = DEFAULT_REPEAT_THRESHOLD,
    independent_roles: Sequence[str] = DEFAULT_INDEPENDENT_ROLES,
) -> list[dict[str, str]]:
    """One entry per metric, in catalogue order: id, label, definition, numerator,
    denominator, unit and direction, all as plain text for the appendix."""
    registry = configured_registry(timeliness_hours, repeat_threshold, independent_roles)
    labels = {spec.id: spec.label for spec in registry.values()}
    return [
        {
            "id": spec.id,
            "label": spec.label,
            "definition": spec.definition,
            "numerator": _term(spec.numerator, labels),
            "denominator": _term(spec.denominator, labels),
            "unit": _UNITS[spec.shown_as],
            "direction": _DIRECTIONS[spec.direction],
        }
        for spec in registry.values()
    ]


def cohorts() -> list[dict[str, str]]:
    """One entry per cohort, in the order of metrics.md: id, label and who is in it."""
    return [
        {"id": cohort, "label": label, "definition": COHORT_DEFINITIONS[cohort]}
        for cohort, label in COHORTS.items()
    ]


def rules(timeliness_hours: float = DEFAULT_TIMELINESS_HOURS) -> list[str]:
    """The general counting rules that apply to every metric, as sentences."""
    hours = f"{float(timeliness_hours):g}"
    return [
        "Quarters are financial-year quarters: Quarter 1 is April to June.",
        "An episode is counted in the quarter in which it started; its return home interview "
        "is reported with it, even if the child returned or was interviewed in a later "
        "quarter.",
        "Each figure is worked out separately for all children and for each group of "
        "children, so a child can be counted in more than one group.",
        "An episode with no return home interview record counts as not offered.",
        f"The {hours}-hour timescale runs from the recorded return to the recorded interview; "
        f"exactly {hours} hours counts as within it.",
        "Percentages are whole numbers, rounded half away from zero. Where there are no cases "
        "to divide by, the figure is shown as 'no cases'.",
        "Medians of an even number of times are the mean of the middle two.",
    ]


__all__ = ["cohorts", "methodology", "rules"]
