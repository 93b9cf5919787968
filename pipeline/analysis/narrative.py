"""The summary's key messages, written from the numbers in plain English.

Every sentence comes from `templates/narrative.yaml`, a file the council can edit: one
Jinja2 template per key, rendered in a sandbox, in the order of the file. The code supplies
named figures, each already formatted by `pipeline.metrics.present` (so "60%", "1,234" and
"[c]" look the same here as everywhere else), together with the raw number under the same
name plus `_n` for conditions and plurals. No number is ever typed into a sentence by hand.

Suppressed figures: a figure hidden by disclosure control is never written, not even as "a
small number", because secondary suppression can hide figures that are not small. Any
sentence that touches a suppressed (or missing) figure is left out whole. A template can
instead test `{% if x is withheld %}` and say something without the number.

Templates see plain text (no HTML); the renderer escapes sentences like any other text.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from jinja2 import StrictUndefined, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from pipeline.analysis.spc import SpcResult
from pipeline.analysis.targets import Rag
from pipeline.config import Config, read_yaml
from pipeline.errors import UsageError
from pipeline.metrics import present
from pipeline.periods import Quarter, month_label
from pipeline.templating import bytecode_cache, from_string

DEFAULT_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "narrative.yaml"

OOC = "looked_after_out_of_area"

# Count figures: name in the templates -> (metric, cohort).
COUNTS: dict[str, tuple[str, str]] = {
    "episodes": ("episodes", "all"),
    "children": ("children", "all"),
    "repeat": ("children_repeat", "all"),
    "ongoing": ("episodes_ongoing", "all"),
    "due": ("rhi_due", "all"),
    "offered": ("rhi_offered", "all"),
    "declined": ("rhi_declined", "all"),
    "completed": ("rhi_completed", "all"),
    "pending": ("rhi_pending", "all"),
    "not_offered": ("rhi_not_offered", "all"),
    "ooc_episodes": ("episodes", OOC),
    "ooc_due": ("rhi_due", OOC),
    "ooc_offered": ("rhi_offered", OOC),
    "ooc_completed": ("rhi_completed", OOC),
}

# Rate figures: name -> (metric, cohort). Each also gives `<name>_num` and `<name>_den`.
RATES: dict[str, tuple[str, str]] = {
    "offered_rate": ("rhi_offered_rate", "all"),
    "declined_rate": ("rhi_decline_rate", "all"),
    "completed_rate": ("rhi_completed_rate", "all"),
    "timely_rate": ("rhi_timely_rate", "all"),
    "target_met_rate": ("rhi_target_met_rate", "all"),
    "independent_rate": ("rhi_independent_rate", "all"),
    "ooc_offered_rate": ("rhi_offered_rate", OOC),
    "ooc_completed_rate": ("rhi_completed_rate", OOC),
    "ooc_independent_rate": ("rhi_independent_rate", OOC),
    "ooc_timely_rate": ("rhi_timely_rate", OOC),
    "ooc_target_met_rate": ("rhi_target_met_rate", OOC),
}

# Median times: name -> (metric, cohort), shown as present.hours does ("16 hours", "2.2 days").
MEDIANS: dict[str, tuple[str, str]] = {
    "median_return_to_notification": ("median_hours_return_to_notification", "all"),
    "median_notification_to_assignment": ("median_hours_notification_to_assignment", "all"),
    "median_assignment_to_interview": ("median_hours_assignment_to_completion", "all"),
    "median_return_to_interview": ("median_hours_return_to_completion", "all"),
    "ooc_median_assignment_to_interview": ("median_hours_assignment_to_completion", OOC),
    "ooc_median_return_to_interview": ("median_hours_return_to_completion", OOC),
}

# Figures compared with the previous quarter and a year earlier.
CHANGES: tuple[str, ...] = (
    "episodes",
    "children",
    "offered_rate",
    "declined_rate",
    "completed_rate",
    "timely_rate",
)

# Targets mentioned in sentences: name prefix -> metric.
TARGETS: dict[str, str] = {
    "timely": "rhi_timely_rate",
    "offered": "rhi_offered_rate",
    "completed": "rhi_completed_rate",
    "target_met": "rhi_target_met_rate",
    "independent": "rhi_independent_rate",
}

# Keys rendered once per SPC series with a signal, and once when there is none.
SIGNAL_KEY = "spc_signal"
NO_SIGNAL_KEY = "spc_none"
LABELS_KEY = "series_labels"
# The plain names of targets, and the "Board is asked to" items: not key messages.
TARGET_NAMES_KEY = "target_names"
BOARD_KEY = "board_asked"
NOT_MESSAGES = (LABELS_KEY, TARGET_NAMES_KEY, BOARD_KEY)


class WithheldError(Exception):
    """A sentence touched a figure that must not be written (suppressed or missing)."""


class Withheld:
    """Stands in for a figure that may not be written. Any use of it drops the sentence."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def _refuse(self, *args: object) -> Any:
        raise WithheldError(self.reason)

    __str__ = __format__ = __bool__ = __int__ = __float__ = _refuse
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _refuse  # type: ignore[assignment]
    __add__ = __sub__ = __mul__ = __truediv__ = __abs__ = __neg__ = __len__ = _refuse
    __iter__ = _refuse
    __hash__ = None  # type: ignore[assignment]


SUPPRESSED = "suppressed"
MISSING = "missing"


def _is_withheld(value: object) -> bool:
    """Template test `x is withheld`: the figure was suppressed by disclosure control."""
    return isinstance(value, Withheld) and value.reason == SUPPRESSED


def _is_missing(value: object) -> bool:
    """Template test `x is missing`: the figure is not in the table at all."""
    return isinstance(value, Withheld) and value.reason == MISSING


def _is_known(value: object) -> bool:
    """Template test `x is known`: the figure may be written (not suppressed or missing)."""
    return not isinstance(value, Withheld)


def _plural(n: object, singular: str, plural: str) -> str:
    """`plural(n, "child", "children")`: the word that agrees with n."""
    if isinstance(n, Withheld):
        n._refuse()
    return singular if n == 1 else plural


def _finalize(value: object) -> object:
    if isinstance(value, Withheld):
        raise WithheldError(value.reason)
    return value


@dataclass(frozen=True)
class _Figure:
    value: float
    numerator: float
    denominator: float
    suppressed: bool


class _Table:
    """Lookups into the disclosed metrics table by (quarter, cohort, metric)."""

    def __init__(self, metrics: pd.DataFrame) -> None:
        cols = ["quarter", "cohort", "metric", "numerator", "denominator", "value"]
        frame = metrics[cols].copy()
        frame["suppressed"] = (
            metrics["suppressed"].astype(bool) if "suppressed" in metrics else False
        )
        keys = zip(frame["quarter"], frame["cohort"], frame["metric"], strict=True)
        self._rows = dict(
            zip(
                keys,
                zip(
                    frame["value"].astype("float64"),
                    frame["numerator"].astype("float64"),
                    frame["denominator"].astype("float64"),
                    frame["suppressed"],
                    strict=True,
                ),
                strict=True,
            )
        )

    def get(self, quarter: str, metric: str, cohort: str) -> _Figure | None:
        row = self._rows.get((quarter, cohort, metric))
        if row is None:
            return None
        return _Figure(float(row[0]), float(row[1]), float(row[2]), bool(row[3]))


def _count_entries(name: str, figure: _Figure | None) -> dict[str, Any]:
    if figure is None or math.isnan(figure.value):
        return {name: Withheld(MISSING), f"{name}_n": Withheld(MISSING)}
    if figure.suppressed:
        return {name: Withheld(SUPPRESSED), f"{name}_n": Withheld(SUPPRESSED)}
    return {name: present.count(figure.value), f"{name}_n": round(figure.value)}


def _median_entries(name: str, figure: _Figure | None) -> dict[str, Any]:
    """A median time as the tables show it ("2.2 days"), and `_n` its hours."""
    if figure is None or math.isnan(figure.value):
        return {name: Withheld(MISSING), f"{name}_n": Withheld(MISSING)}
    if figure.suppressed:
        return {name: Withheld(SUPPRESSED), f"{name}_n": Withheld(SUPPRESSED)}
    return {name: present.hours(figure.value), f"{name}_n": figure.value}


def _rate_entries(name: str, figure: _Figure | None) -> dict[str, Any]:
    keys = (name, f"{name}_n", f"{name}_num", f"{name}_num_n", f"{name}_den", f"{name}_den_n")
    if figure is None or math.isnan(figure.denominator):
        return dict.fromkeys(keys, Withheld(MISSING))
    if figure.suppressed:
        return dict.fromkeys(keys, Withheld(SUPPRESSED))
    return {
        name: present.percent(figure.numerator, figure.denominator),
        f"{name}_n": None if math.isnan(figure.value) else figure.value,
        f"{name}_num": present.count(figure.numerator),
        f"{name}_num_n": round(figure.numerator),
        f"{name}_den": present.count(figure.denominator),
        f"{name}_den_n": round(figure.denominator),
    }


def _shown(figure: _Figure, is_rate: bool) -> float:
    """The figure as shown: a whole-number percentage for rates, the count otherwise."""
    if is_rate:
        return float(present.round_half_away(figure.value * 100))
    return float(figure.value)


def _movement_lookup(history: pd.DataFrame | None) -> dict[tuple[str, str, str], tuple]:
    if history is None or history.empty:
        return {}
    cols = [
        "quarter",
        "cohort",
        "metric",
        "movement_previous",
        "judgement_previous",
        "movement_year",
        "judgement_year",
    ]
    keys = zip(history["quarter"], history["cohort"], history["metric"], strict=True)
    values = zip(*(history[c] for c in cols[3:]), strict=True)
    return dict(zip(keys, values, strict=True))


def _change_entries(
    name: str,
    metric: str,
    cohort: str,
    quarter: Quarter,
    table: _Table,
    moves: Mapping[tuple[str, str, str], tuple],
    is_rate: bool | None = None,
) -> dict[str, Any]:
    """`<name>_previous`, `_movement`, `_judgement`, `_change`, `_change_n`, and the same
    with `_year` for a year earlier (e.g. `episodes_year_previous`)."""
    is_rate = name in RATES if is_rate is None else is_rate
    now = table.get(quarter.id, metric, cohort)
    out: dict[str, Any] = {}
    move = moves.get((quarter.id, cohort, metric))
    for suffix, then_q, index in (("", quarter.previous(), 0), ("_year", quarter.minus(4), 2)):
        then = table.get(then_q.id, metric, cohort)
        keys = [f"{name}{suffix}_{k}" for k in ("previous", "movement", "judgement", "change")]
        keys.append(f"{name}{suffix}_change_n")
        usable = (
            now is not None
            and then is not None
            and move is not None
            and not math.isnan(now.value)
            and not math.isnan(then.value)
        )
        if not usable:
            out.update(dict.fromkeys(keys, Withheld(MISSING)))
            continue
        assert now is not None and then is not None and move is not None
        if now.suppressed or then.suppressed:
            out.update(dict.fromkeys(keys, Withheld(SUPPRESSED)))
            continue
        diff = abs(_shown(now, is_rate) - _shown(then, is_rate))
        out[keys[0]] = present.rate_percent(then.value) if is_rate else present.count(then.value)
        out[keys[1]], out[keys[2]] = move[index], move[index + 1]
        out[keys[3]] = present.count(diff)
        out[keys[4]] = round(diff)
    return out


def _signal_entries(
    series: str, result: SpcResult, months: Sequence[str], labels: Mapping[str, str]
) -> dict[str, Any] | None:
    """What a sentence needs about the signal behind the latest special-cause point in the
    reported months: its rule, its type, and the months it spans."""
    if not result.labels:
        return None
    in_quarter = [i for i, label in enumerate(result.labels) if label in months]
    signal = result.latest_signal(within=in_quarter)
    if signal is None:
        return None
    end = max(i for i in in_quarter if result.special[i])
    return {
        "series": series,
        "series_label": labels.get(series, series.replace("_", " ")),
        "variation": signal.kind,
        "month": month_label(result.labels[end]),
        "start_month": month_label(result.labels[signal.start]),
        "rule": signal.rule,
        "rules": list(result.rules_at(end)),
        "side": "above" if signal.high else "below",
        "points": signal.points,
        "rising": signal.high,
        "latest": result.latest == end,
        "assurance": result.assurance,
    }


def load_templates(path: Path = DEFAULT_TEMPLATES) -> dict[str, Any]:
    """Read the sentence templates; UsageError with a plain sentence if the file is wrong."""
    try:
        data = read_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path}: the narrative template file was not found.") from None
    except yaml.YAMLError as exc:
        raise UsageError(
            f"{path}: the narrative templates are not valid YAML ({exc}). "
            "Fix the indentation or quoting."
        ) from None
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise UsageError(f"{path}: the narrative templates must be a mapping of key to text.")
    return data


def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        finalize=_finalize,
        # Compiled templates are kept between runs (pipeline.templating).
        bytecode_cache=bytecode_cache("narrative"),
    )
    env.globals["plural"] = _plural
    env.tests["withheld"] = _is_withheld
    env.tests["missing"] = _is_missing
    env.tests["known"] = _is_known
    return env


def _tidy(text: str) -> str:
    """One line, single spaces, no space before punctuation, a capital first letter."""
    text = " ".join(text.split())
    for mark in (".", ",", ":", ";", ")"):
        text = text.replace(f" {mark}", mark)
    text = text.replace("( ", "(")
    return text[:1].upper() + text[1:]


def build_context(
    metrics: pd.DataFrame,
    quarter: Quarter,
    *,
    history: pd.DataFrame | None,
    rag: Mapping[str, Rag],
    config: Config,
) -> dict[str, Any]:
    """Every named figure the templates may use (see templates/narrative.yaml)."""
    table = _Table(metrics)
    ctx: dict[str, Any] = {
        "council": config.council_name,
        "period": quarter.months_label,
        "period_start": month_label(quarter.months[0]).split()[0],
        "period_end": month_label(quarter.months[-1]),
        "year_ago_start": month_label(quarter.minus(4).months[0]).split()[0],
        "year_ago_end": month_label(quarter.minus(4).months[-1]),
        "quarter_label": quarter.label,
        "previous_period": quarter.previous().months_label,
        "year_ago_period": quarter.minus(4).months_label,
        "hours": present.number(config.timeliness_hours, 0),
        # "accepted" when the RHI record is offered/accepted flags (Config.completed_word).
        "completed_word": config.completed_word,
        "repeat_threshold": present.count(config.repeat_threshold),
    }
    for name, (metric, cohort) in COUNTS.items():
        ctx.update(_count_entries(name, table.get(quarter.id, metric, cohort)))
    for name, (metric, cohort) in RATES.items():
        ctx.update(_rate_entries(name, table.get(quarter.id, metric, cohort)))
    for name, (metric, cohort) in MEDIANS.items():
        ctx.update(_median_entries(name, table.get(quarter.id, metric, cohort)))
    moves = _movement_lookup(history)
    for name in CHANGES:
        metric, cohort = (COUNTS | RATES)[name]
        ctx.update(_change_entries(name, metric, cohort, quarter, table, moves))
    # The headline target measure (config headline_target_metric), under its own names.
    headline = config.headline_target_metric
    ctx["headline_metric"] = headline
    ctx.update(_rate_entries("headline_rate", table.get(quarter.id, headline, "all")))
    ctx.update(
        _change_entries("headline_rate", headline, "all", quarter, table, moves, is_rate=True)
    )
    for prefix, metric in (*TARGETS.items(), ("headline", headline)):
        target = config.targets.get(metric)
        rating = rag.get(metric)
        if target is None or rating is None:
            ctx[f"{prefix}_target"] = None
            ctx[f"{prefix}_status"] = None
            continue
        ctx[f"{prefix}_target"] = present.rate_percent(target.target)
        # A rating of a suppressed figure is "no data"; say nothing rather than "no data".
        ctx[f"{prefix}_status"] = (
            Withheld(SUPPRESSED) if rating.status == "no data" else rating.status
        )
    return ctx


def key_messages(
    metrics: pd.DataFrame,
    quarter: Quarter,
    *,
    history: pd.DataFrame | None,
    rag: Mapping[str, Rag],
    spc: Mapping[str, SpcResult],
    config: Config,
    templates_path: Path = DEFAULT_TEMPLATES,
) -> list[str]:
    """The summary's key messages, one sentence per template key, in the file's order.

    `metrics` is the disclosed metrics table (with `suppressed`; without it every figure
    may be written), `history` the KPI history from trends.kpi_history, `rag` the target
    ratings, `spc` the XmR results by series (with month labels). A sentence that is
    empty, or that touches a suppressed or missing figure, is left out.
    """
    templates = load_templates(templates_path)
    labels = templates.get(LABELS_KEY) or {}
    ctx = build_context(metrics, quarter, history=history, rag=rag, config=config)
    names = templates.get(TARGET_NAMES_KEY) or {}
    headline = config.headline_target_metric
    ctx["headline_name"] = names.get(headline, headline.replace("_", " "))
    charts = (
        ("timely", "rhi_timely_rate"),
        ("offered", "rhi_offered_rate"),
        ("headline", config.headline_target_metric),
    )
    for prefix, series in charts:
        chart = spc.get(series)
        ctx[f"{prefix}_assurance"] = chart.assurance if chart else None
    signals = [
        s
        for name, result in spc.items()
        if (s := _signal_entries(name, result, quarter.months, labels)) is not None
    ]
    # A chart with a signal says what its limits mean for the target in the same sentence,
    # so its assurance sentence is not written as well (one message per chart).
    signalled = {s["series"] for s in signals}
    for prefix, series in charts:
        ctx[f"{prefix}_signal"] = series in signalled
    for signal in signals:
        prefix = next((p for p, series in charts if series == signal["series"]), "")
        signal["target"] = ctx.get(f"{prefix}_target") if prefix else None
    ctx["signal_count"] = len(signals)
    ctx["trial_limits"] = any(r.trial_limits for r in spc.values())
    env = _environment()
    out: list[str] = []
    for key, source in templates.items():
        if key in NOT_MESSAGES:
            continue
        out.extend(_render_key(env, key, source, ctx, signals, spc, templates_path))
    return out


def _render_key(
    env: SandboxedEnvironment,
    key: str,
    source: object,
    ctx: Mapping[str, Any],
    signals: Sequence[Mapping[str, Any]],
    spc: Mapping[str, SpcResult],
    templates_path: Path,
) -> list[str]:
    """The sentences one template key gives: none, one, or one per SPC signal."""
    out: list[str] = []
    if not isinstance(source, str):
        raise UsageError(f"{templates_path}: the template for '{key}' must be text.")
    try:
        template = from_string(env, source)
    except TemplateError as exc:
        raise UsageError(
            f"{templates_path}: the template for '{key}' cannot be read ({exc}). "
            "Check its {{ }} and {% %} marks."
        ) from None
    if key == SIGNAL_KEY:
        runs = [{**ctx, **signal} for signal in signals]
    elif key == NO_SIGNAL_KEY:
        # The sentence speaks of every monthly series: not written when one is not charted
        # because its data is not held (pipeline.metrics.held), as "no sign of change" in
        # a measure the run cannot give would be false.
        every = all(name in spc for name in ("episodes", "rhi_offered_rate", "rhi_timely_rate"))
        runs = [ctx] if not signals and spc and every else []
    else:
        runs = [ctx]
    for context in runs:
        try:
            text = _tidy(template.render(context))
        except WithheldError:
            continue
        except UndefinedError as exc:
            raise UsageError(
                f"{templates_path}: the template for '{key}' uses a name the narrative "
                f"does not provide ({exc.message}). Correct the name."
            ) from None
        if text:
            out.append(text)
    return out


def _target_lists(
    rag: Mapping[str, Rag], config: Config, names: Mapping[str, str]
) -> dict[str, Any]:
    """`targets_missed` and `targets_met`: each rated target as "name (59% for all children,
    against 100%)", the headline target first, then in the configuration's order; a target
    whose figure is suppressed is in neither. The group is named because the summary's tiles
    show some figures for one group only (e.g. children placed out of county)."""
    missed: list[str] = []
    met: list[str] = []
    headline = config.headline_target_metric
    ordered = sorted(config.targets.items(), key=lambda item: item[0] != headline)
    for metric, target in ordered:
        rating = rag.get(metric)
        if rating is None or rating.status not in ("green", "amber", "red"):
            continue
        value = rating.value
        figure = (
            "" if value is None else f"{present.rate_percent(value)} for all children, against "
        )
        text = (
            f"{names.get(metric, metric.replace('_', ' '))} "
            f"({figure}{present.rate_percent(target.target)})"
        )
        (met if rating.status == "green" else missed).append(text)
    return {
        "targets_missed": missed,
        "targets_missed_n": len(missed),
        "targets_met": met,
        "targets_met_n": len(met),
    }


def board_asks(
    metrics: pd.DataFrame,
    quarter: Quarter,
    *,
    history: pd.DataFrame | None,
    rag: Mapping[str, Rag],
    config: Config,
    templates_path: Path = DEFAULT_TEMPLATES,
) -> list[str]:
    """What the Board is asked to do, one item per key under `board_asked` in the templates,
    each starting with a lower-case verb ("note ..."), to follow "The Board is asked to".

    The items see every figure the key messages see, plus the lists of targets met and
    missed. An item that touches a suppressed or missing figure is left out.
    """
    templates = load_templates(templates_path)
    items = templates.get(BOARD_KEY) or {}
    if not isinstance(items, dict):
        raise UsageError(f"{templates_path}: '{BOARD_KEY}' must be a mapping of key to text.")
    names = templates.get(TARGET_NAMES_KEY) or {}
    ctx = build_context(metrics, quarter, history=history, rag=rag, config=config)
    ctx.update(_target_lists(rag, config, names))
    env = _environment()
    out: list[str] = []
    for key, source in items.items():
        for text in _render_key(env, f"{BOARD_KEY}.{key}", source, ctx, [], {}, templates_path):
            # Items continue "The Board is asked to", so they start in lower case.
            out.append(text[:1].lower() + text[1:])
    return out


def _commentary_finalize(value: object) -> object:
    """A figure in the commentary: as the tables show it, or [c] when it is withheld."""
    if isinstance(value, Withheld):
        return "[c]" if value.reason == SUPPRESSED else "(no figure)"
    return value


def commentary_context(
    metrics: pd.DataFrame,
    quarter: Quarter,
    *,
    history: pd.DataFrame | None,
    rag: Mapping[str, Rag],
    config: Config,
) -> dict[str, Any]:
    """The names the commentary may quote: the narrative templates' names, and each
    all-children figure under its metric ID too (`rhi_target_met_rate` = `target_met_rate`)."""
    ctx = build_context(metrics, quarter, history=history, rag=rag, config=config)
    for name, (metric, cohort) in (COUNTS | RATES).items():
        if cohort == "all":
            ctx.setdefault(metric, ctx[name])
    return ctx


def fill_commentary(text: str, ctx: Mapping[str, Any], path: Path) -> str:
    """The commentary's Markdown with each `{{ name }}` replaced by this run's figure.

    A figure withheld by disclosure control is written [c], one with no value "(no
    figure)". A name that is not a figure, or a template that will not run, is a
    UsageError naming the file and how to fix it.
    """
    if "{" not in text:
        return text
    env = SandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        finalize=_commentary_finalize,
        bytecode_cache=bytecode_cache("commentary"),
    )
    env.globals["plural"] = _plural
    env.tests["withheld"] = _is_withheld
    env.tests["missing"] = _is_missing
    env.tests["known"] = _is_known
    try:
        return from_string(env, text).render(**ctx)
    except UndefinedError as exc:
        raise UsageError(
            f"{path}: the commentary uses a name that is not a figure ({exc.message}); the "
            "names are listed at the top of templates/narrative.yaml."
        ) from None
    except WithheldError:
        raise UsageError(
            f"{path}: the commentary calculates with a figure that is withheld in this "
            "edition; quote it as {{ name }} instead, or test it with 'is known' first."
        ) from None
    except TemplateError as exc:
        raise UsageError(
            f"{path}: a '{{{{ }}}}' or '{{% %}}' in the commentary could not be read ({exc})."
        ) from None


__all__ = [
    "DEFAULT_TEMPLATES",
    "Withheld",
    "board_asks",
    "build_context",
    "commentary_context",
    "fill_commentary",
    "key_messages",
    "load_templates",
]
