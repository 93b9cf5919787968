"""The registry is the single catalogue: every metric of metrics.md, in order, with its
definition taken from the function that computes it."""

from __future__ import annotations

import inspect

import pytest

from pipeline.metrics import definitions
from pipeline.metrics.registry import COHORTS, REGISTRY, MetricSpec, configured_registry

# Copied by hand from ../shared/spec/metrics.md, in its order.
METRICS_MD = [
    "episodes",
    "children",
    "children_repeat",
    "episodes_ongoing",
    "rhi_due",
    "rhi_offered",
    "rhi_declined",
    "rhi_completed",
    "rhi_pending",
    "rhi_not_offered",
    "episodes_per_child",
    "children_repeat_rate",
    "rhi_offered_rate",
    "rhi_decline_rate",
    "rhi_completed_rate",
    "rhi_timely_rate",
    "rhi_target_met_rate",
    "rhi_face_to_face_rate",
    "rhi_independent_rate",
    "median_hours_return_to_notification",
    "median_hours_notification_to_assignment",
    "median_hours_assignment_to_completion",
    "median_hours_return_to_completion",
]


def test_every_metric_of_metrics_md_in_order() -> None:
    assert list(REGISTRY) == METRICS_MD


def test_cohorts_in_order() -> None:
    assert list(COHORTS) == [
        "all",
        "looked_after",
        "looked_after_in_area",
        "looked_after_out_of_area",
        "not_looked_after",
    ]
    assert COHORTS["looked_after_out_of_area"] == "Looked after, placed out of county"


@pytest.mark.parametrize("metric", METRICS_MD)
def test_spec_is_consistent(metric: str) -> None:
    spec = REGISTRY[metric]
    assert isinstance(spec, MetricSpec)
    assert spec.id == metric == spec.function.__name__
    assert spec.function is getattr(definitions, metric)
    assert spec.label and spec.unit
    if spec.kind == "count":
        assert spec.numerator is None and spec.denominator is None
        assert spec.shown_as == "count"
    elif spec.kind == "ratio":
        assert spec.numerator and spec.denominator
        assert spec.direction in ("up", "down")
    else:
        assert spec.kind == "median_hours"
        assert spec.numerator is None and spec.denominator
        assert spec.direction == "down" and spec.shown_as == "hours"


def test_definition_is_the_functions_docstring() -> None:
    spec = REGISTRY["rhi_offered_rate"]
    doc = " ".join(inspect.getdoc(definitions.rhi_offered_rate).split())  # type: ignore[union-attr]
    assert spec.definition == doc


def test_ratio_parts_are_catalogue_metrics_where_metrics_md_says_so() -> None:
    # metrics.md: offered rate = rhi_offered / rhi_due, decline rate = declined / offered, ...
    assert (REGISTRY["rhi_offered_rate"].numerator, REGISTRY["rhi_offered_rate"].denominator) == (
        "rhi_offered",
        "rhi_due",
    )
    assert REGISTRY["rhi_decline_rate"].denominator == "rhi_offered"
    assert REGISTRY["rhi_completed_rate"].denominator == "rhi_due"
    assert REGISTRY["episodes_per_child"].denominator == "children"
    assert REGISTRY["rhi_face_to_face_rate"].denominator == "rhi_completed"


def test_directions() -> None:
    assert REGISTRY["episodes"].direction is None
    assert REGISTRY["rhi_decline_rate"].direction == "down"
    assert REGISTRY["rhi_timely_rate"].direction == "up"


def test_defaults_filled_in_and_configuration_rewords() -> None:
    assert "72 hours" in REGISTRY["rhi_timely_rate"].definition
    assert "72 hours" in REGISTRY["rhi_timely_rate"].label
    assert "3 or more" in REGISTRY["children_repeat"].definition
    assert "{" not in "".join(s.definition + s.label for s in REGISTRY.values())
    custom = configured_registry(48, 4, ["social_worker"])
    assert "48 hours" in custom["rhi_timely_rate"].definition
    assert "72" not in custom["rhi_timely_rate"].definition
    assert "4 or more" in custom["children_repeat_rate"].definition
    assert "social worker" in custom["rhi_independent_rate"].definition
    assert list(custom) == METRICS_MD


def test_registry_is_frozen() -> None:
    with pytest.raises(AttributeError):
        REGISTRY["episodes"].label = "x"  # type: ignore[misc]
