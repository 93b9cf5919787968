"""The appendices: methodology, data quality and provenance."""

from __future__ import annotations

from datetime import date
from typing import Any

from pipeline.metrics import present
from pipeline.results import Results


def methodology_rows(results: Results) -> list[dict[str, str]]:
    """The metric definitions, as the code computes them."""
    from pipeline.metrics import methodology as meth

    rows = []
    for entry in meth.methodology(*_method_args(results)):
        get = entry.get if isinstance(entry, dict) else lambda k, e=entry: getattr(e, k, "")
        rows.append(
            {
                "label": str(get("label") or ""),
                "definition": str(get("definition") or ""),
                "numerator": str(get("numerator") or ""),
                "denominator": str(get("denominator") or ""),
                "unit": str(get("unit") or ""),
            }
        )
    return rows


def _method_args(results: Results) -> tuple[Any, ...]:
    cfg = results.config
    return (cfg.timeliness_hours, cfg.repeat_threshold, cfg.independent_roles)


def quality_view(results: Results) -> dict[str, Any]:
    """Data-quality findings, summarised by rule; full messages only for the internal audience.

    Messages name the offending value, which may be a child's ID or date of birth, so the public
    paper shows only how many rows each rule affected.
    """
    from pipeline.quality.rules import RULES

    findings = list(results.findings)
    headers = _source_headers(results)
    counts: dict[tuple[str, str, str, str], int] = {}
    for f in findings:
        key = (f.severity, f.file, f.rule, f.column or "")
        counts[key] = counts.get(key, 0) + 1
    # A run that finishes has warnings only (a fatal finding stops it), so the table says
    # what each check found and what the run did about it rather than a severity.
    summary = [
        [
            RULES[rule].description if rule in RULES else rule.replace("_", " ").capitalize(),
            RULES[rule].treatment if rule in RULES else "",
            f"{file}, {headers.get((file, column), column) if column else 'whole file'}",
            present.count(float(n)),
        ]
        for (_severity, file, rule, column), n in sorted(counts.items())
    ]
    detail = _detail_examples(findings) if results.audience == "internal" else []
    return {"count": len(findings), "summary": summary, "detail": detail}


# How many findings of one rule in one file and column the internal appendix prints in full;
# the rest are counted, so a column full of one mistake is a few lines, not hundreds of pages
# (data-quality.csv keeps every finding).
EXAMPLES = 3


def _detail_examples(findings: list[Any]) -> list[list[str]]:
    """The first few findings of each rule, file and column in full, then how many more."""
    groups: dict[tuple[str, str, str], list[Any]] = {}
    for f in findings:
        groups.setdefault((f.file, f.rule, f.column or ""), []).append(f)
    rows: list[list[str]] = []
    for (file, _rule, column), group in groups.items():
        rows += [
            [f.file, "" if f.row is None else str(f.row), f.column or "", f.message]
            for f in group[:EXAMPLES]
        ]
        rest = len(group) - EXAMPLES
        if rest > 0:
            rows.append(
                [
                    file,
                    "",
                    column,
                    f"And {present.count(float(rest))} more "
                    f"{'row' if rest == 1 else 'rows'} with the same problem; data-quality.csv "
                    "lists every one.",
                ]
            )
    return rows


def _source_headers(results: Results) -> dict[tuple[str, str], str]:
    """(file, canonical column) -> the header the council's extract uses, where the
    configuration maps one, so Appendix B names columns as the reader's own files do."""
    from pathlib import Path

    out: dict[tuple[str, str], str] = {}
    files = {f.file for f in results.findings}
    for extract in ("episodes", "interviews"):
        spec = getattr(results.config, extract, None)
        if spec is None:
            continue
        path = getattr(spec, "path", None)
        name = Path(path).name if path else ""
        mine = [f for f in files if f == name or (not name and extract in f.lower())]
        for header, canonical in spec.columns.items():
            for file in mine:
                out.setdefault((file, canonical), header)
    return out


def provenance_rows(results: Results) -> list[tuple[str, str]]:
    """Where the figures came from: input files (name and rows) and the settings.

    The files' SHA-256 fingerprints are for analysts and auditors: they are in
    manifest.json, not on the paper's pages.
    """
    rows = [
        (f"{i.name.capitalize()} extract", f"{present.count(float(i.rows))} rows")
        for i in results.inputs
    ]
    rows.append(("Reporting quarter", results.quarter.label))
    rows.append(("Data as at", _long_date(results.as_at)))
    edition = (
        "public (small numbers withheld)"
        if results.audience == "public"
        else "internal (every figure shown; not for publication)"
    )
    rows.append(("Edition", edition))
    try:
        from importlib.metadata import version

        rows.append(("Produced by", f"rhi-report {version('rhi-report')}"))
    except Exception:  # not installed as a package: say nothing rather than guess
        pass
    return rows


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _rules(results: Results) -> list[str]:
    from pipeline.metrics import methodology as meth

    return list(meth.rules(results.config.timeliness_hours))


def target_rows(results: Results, registry: dict[str, Any]) -> list[tuple[str, str]]:
    """The council's targets as the methodology lists them: (measure, "100%; a figure short
    of it by no more than 10 percentage points is rated amber"), the headline target first,
    then in the configuration's order."""
    headline = results.config.headline_target_metric
    items = sorted(results.config.targets.items(), key=lambda item: item[0] != headline)
    rows = []
    for metric, target in items:
        spec = registry.get(metric)
        if spec is None:
            continue
        rate = spec.kind == "ratio" and (getattr(spec, "shown_as", "") or "percent") == "percent"
        goal = present.rate_percent(target.target) if rate else f"{target.target:g}"
        within = (
            f"{present.round_half_away(target.amber_within * 100)} percentage points"
            if rate
            else f"{target.amber_within:g}"
        )
        words = f"{goal}; a figure short of it by no more than {within} is rated amber"
        if metric == headline:
            words += " (the council's headline target)"
        rows.append((spec.label, words))
    return rows


def _cohort_definition(cohort: str) -> str:
    from pipeline.metrics import registry

    return getattr(registry, "COHORT_DEFINITIONS", {}).get(cohort, "")
