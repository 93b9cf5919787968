"""The metric catalogue: definitions, the registry, the metrics table, breakdowns and how
figures are presented (metrics.md)."""

from pipeline.metrics.registry import COHORTS, REGISTRY, MetricSpec, configured_registry
from pipeline.metrics.table import metric_table, monthly_series

__all__ = [
    "COHORTS",
    "REGISTRY",
    "MetricSpec",
    "configured_registry",
    "metric_table",
    "monthly_series",
]
