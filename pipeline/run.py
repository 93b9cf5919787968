"""The pipeline from extract to files: load, validate, compute, analyse, disclose, render.

Outputs are written to a staging folder inside the out folder and replace the earlier set only
when every file has been written (`pipeline.outdir`), so a failed or killed run leaves the
earlier outputs untouched; no output ever overwrites an input.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.config import Config
from pipeline.digest import sha256_file
from pipeline.errors import UsageError
from pipeline.files import check_regular_file
from pipeline.outdir import pause_point
from pipeline.periods import Quarter, quarter_ids, quarters_back

if TYPE_CHECKING:
    from pipeline.render.pdf_engine import PdfEngine


def _extract_path(config: Config, name: str, flag: Path | None) -> Path:
    """The extract's path: the flag if given, else the config's (relative to the config)."""
    if flag is not None:
        return flag
    spec = getattr(config, name)
    path = config.resolve(spec.path)
    if path is None:
        where = f"{config.source_file}: " if config.source_file is not None else ""
        raise UsageError(
            f"{where}No {name} extract was given: set {name}.path in the config or pass "
            f"--{name} FILE."
        )
    return path


def _interviews(config: Config, raw_episodes, flag: Path | None):
    """The interviews extract: the file given; else the RHI flags on the episode rows when the
    config names them; else none (an episode-only run, whose RHI measures are not recorded)."""
    from pipeline.load import interviews_from_flags, load_extract, no_interviews

    given = flag if flag is not None else config.resolve(config.interviews.path)
    if config.episodes.rhi_flags is not None:
        if given is not None:
            raise UsageError(
                "The config reads the RHI record from the episode rows (episodes: rhi_flags:) "
                "and an interviews extract was given too; use one or the other."
            )
        return interviews_from_flags(raw_episodes, config.episodes)
    if given is None:
        return no_interviews(raw_episodes)
    return load_extract("interviews", given, config.interviews)


def load_and_validate(
    config: Config,
    *,
    episodes: Path | None = None,
    interviews: Path | None = None,
    as_at: date | None = None,
):
    """Load both extracts and validate them; returns (Dataset, [RawExtract, RawExtract])."""
    from pipeline.load import load_extract
    from pipeline.quality.validate import validate

    raw_episodes = load_extract(
        "episodes", _extract_path(config, "episodes", episodes), config.episodes
    )
    raw_interviews = _interviews(config, raw_episodes, interviews)
    dataset = validate(raw_episodes, raw_interviews, config=config, as_at=as_at)
    return dataset, [raw_episodes, raw_interviews]


def validate_only(
    config: Config,
    *,
    episodes: Path | None = None,
    interviews: Path | None = None,
    as_at: date | None = None,
) -> int:
    """`rhi-report validate`: print the findings table and each warning's detail; 1 if any
    finding is fatal."""
    from pipeline.errors import DataError
    from pipeline.quality.summary import summarise, summary_table

    try:
        dataset, raws = load_and_validate(
            config, episodes=episodes, interviews=interviews, as_at=as_at
        )
    except DataError as err:
        for message in err.messages:
            print(message, file=sys.stderr)
        findings = getattr(err, "findings", None)
        if findings:
            print(summary_table(findings))
        print("Validation failed: fix the problems above and run again.", file=sys.stderr)
        return 1
    print(summary_table(dataset.findings))
    if dataset.findings:
        print("\nWarnings (the run goes on; each is treated as docs/data-quality.md says):")
        for line in summarise(dataset.findings):
            print(f"- {line}")
    rows = ", ".join(f"{r.file}: {len(r.frame):,} rows" for r in _input_files(raws))
    print(f"Validation passed ({rows}; {len(dataset.findings)} warnings).")
    return 0


def default_quarter(starts, as_at: date) -> Quarter:
    """The latest quarter that has episodes and has ended by the as-at date."""
    present = [Quarter.parse(q) for q in quarter_ids(starts).dropna().unique()]
    ended = [q for q in present if q.last_day <= as_at]
    if not ended:
        raise UsageError(
            f"No quarter with episodes has ended by the as-at date {as_at:%d %B %Y}. "
            "Give the quarter with --quarter, or a later --as-at date."
        )
    return max(ended)


def trend_quarters(starts, quarter: Quarter, count: int) -> list[Quarter]:
    """Up to `count` quarters ending with `quarter`, starting no earlier than the data."""
    first = Quarter.containing(starts.min())
    return [q for q in quarters_back(quarter, count) if q >= first]


@dataclass(frozen=True)
class RunSummary:
    """What a run produced, for the command line to report."""

    out_dir: Path
    quarter: Quarter
    files: tuple[str, ...]
    warnings: int


def run_pipeline(
    config: Config,
    *,
    episodes: Path | None = None,
    interviews: Path | None = None,
    quarter: str | None = None,
    as_at: date | None = None,
    audience: str | None = None,
    out: Path | None = None,
    config_path: Path | None = None,
    engine: PdfEngine | None = None,
    compare_with: Path | None = None,
    reports: list[str] | None = None,
) -> RunSummary:
    """Run every stage and write the outputs atomically; raise UserError on a user problem.

    `engine` is a PDF engine the caller started (and closes) earlier still, as the command
    line does before anything heavy is imported; without one, one is started here, so
    WeasyPrint gets ready while the extracts are read.
    """
    from pipeline.render.pdf_engine import start_pdf_engine

    own = engine is None
    if own:
        engine = start_pdf_engine()
    try:
        return _run(
            config,
            engine,
            episodes=episodes,
            interviews=interviews,
            quarter=quarter,
            as_at=as_at,
            audience=audience,
            out=out,
            config_path=config_path,
            compare_with=compare_with,
            reports=reports,
        )
    finally:
        if own and engine is not None:
            engine.close()


def _run(
    config: Config,
    engine,
    *,
    episodes: Path | None,
    interviews: Path | None,
    quarter: str | None,
    as_at: date | None,
    audience: str | None,
    out: Path | None,
    config_path: Path | None,
    compare_with: Path | None = None,
    reports: list[str] | None = None,
) -> RunSummary:
    """The stages of `run_pipeline`, with its PDF engine (or None)."""
    from pipeline.render.profiles import load_profiles

    audience = audience or config.audience
    commentary = config.resolve(config.commentary)
    if commentary is not None:
        # Before anything is read: a FIFO here would make the run wait for ever later on.
        check_regular_file(commentary, "commentary file")
    # Every report's profile is checked before any extract is read: a typo fails at once.
    profiles = load_profiles(list(reports or config.reports), config)
    if engine is not None:
        # One engine per report's PDF, forked from the first once WeasyPrint is ready there.
        engine.reserve(len(profiles))
    dataset, raws = load_and_validate(config, episodes=episodes, interviews=interviews, as_at=as_at)
    pause_point("validated")
    starts = dataset.episodes["start"]
    if quarter is None:
        reported = default_quarter(starts, dataset.as_at)
    else:
        try:
            reported = Quarter.parse(quarter)
        except ValueError:
            raise UsageError(
                f"--quarter '{quarter}' is not a financial quarter; write it like 2026-27-Q1."
            ) from None
        if not (quarter_ids(starts) == reported.id).any():
            raise UsageError(
                f"No episodes start in {reported.label}. Choose a quarter that is in the "
                "episodes extract."
            )
        if reported.last_day > dataset.as_at:
            raise UsageError(
                f"{reported.label} ends on {reported.last_day:%d %B %Y}, after the as-at date "
                f"{dataset.as_at:%d %B %Y}, so its figures would be incomplete. Choose a "
                "quarter that has ended, or give the date the extract was taken with --as-at."
            )
    quarters = trend_quarters(starts, reported, config.trend_quarters)

    from pipeline.analysis import analyse, write_narrative
    from pipeline.disclosure import disclose
    from pipeline.metrics import held
    from pipeline.metrics.breakdowns import breakdowns
    from pipeline.metrics.table import metric_table, monthly_series
    from pipeline.results import InputFile, Results

    episodes_table = dataset.episodes
    # Not held is not zero: figures whose data the extracts do not hold are not recorded.
    metrics = held.mark_not_recorded(
        metric_table(
            episodes_table,
            quarters,
            timeliness_hours=config.timeliness_hours,
            repeat_threshold=config.repeat_threshold,
            independent_roles=config.independent_roles,
        ),
        dataset.held,
    )
    months = [m for q in quarters for m in q.months]
    monthly = held.mark_monthly(
        monthly_series(episodes_table, months, timeliness_hours=config.timeliness_hours),
        dataset.held,
    )
    parts = held.held_breakdowns(
        breakdowns(
            episodes_table,
            reported,
            labels=config.labels,
            repeat_threshold=config.repeat_threshold,
        ),
        dataset.held,
    )
    analysis = analyse(metrics, monthly, quarter=reported, quarters=quarters, config=config)
    # No control chart (and so no "no sign of change") for a series that is not recorded.
    analysis.spc = {k: v for k, v in analysis.spc.items() if held.monthly_recorded(k, dataset.held)}
    from pipeline.analysis.capacity import replay_quarter

    # The replay is set beside the recorded interviews (times, mode, role, area): with any of
    # them not held, its comparison would state figures the data cannot give.
    capacity = (
        replay_quarter(episodes_table, reported, config)
        if held.capacity_recorded(dataset.held)
        else None
    )
    # The disclosure stage: one decision per published quantity, read by every renderer.
    decisions = disclose(
        metrics,
        parts,
        monthly,
        quarter=reported.id,
        audience=audience,
        threshold=config.suppress_below,
        capacity=capacity,
        repeat_threshold=config.repeat_threshold,
        independent_roles=config.independent_roles,
        headline_target=config.headline_target_metric,
    )
    disclosed = decisions.flags(metrics)
    published_spc = {name: decisions.spc_result(name, r) for name, r in analysis.spc.items()}
    analysis = write_narrative(analysis, disclosed, config, published_spc=published_spc)

    config_file = config_path if config_path is not None else config.base_dir / "config.yaml"
    results = Results(
        config=config,
        quarter=reported,
        quarters=quarters,
        as_at=dataset.as_at,
        audience=audience,
        findings=dataset.findings,
        episodes=episodes_table,
        metrics=disclosed,
        breakdowns=parts,
        analysis=analysis,
        inputs=[
            InputFile(
                name=raw.name,
                path=_display_path(raw.path, config.base_dir),
                sha256=raw.sha256,
                rows=len(raw.frame),
            )
            for raw in _input_files(raws)
        ],
        config_sha256=sha256_file(config_file) if config_file.exists() else "",
        monthly=monthly,
        disclosure=decisions,
        capacity=capacity,
    )
    from pipeline.analysis.narrative import board_asks

    results.board_asks = board_asks(
        disclosed, reported, history=analysis.history, rag=analysis.rag, config=config
    )
    # As outputs.md says: reports/<quarter>/ in the current folder, like --config's default.
    out_dir = out if out is not None else Path("reports") / reported.id
    files = write_outputs(
        results,
        out_dir,
        engine,
        protected=input_paths(config, raws, config_file),
        # Built once the earlier run's figures are read (each edition carries the revisions).
        editions=lambda done: _editions(done, profiles, metrics, parts, monthly),
        compare_with=compare_with,
    )
    summary = RunSummary(out_dir, reported, tuple(files), dataset.warnings)
    print(
        f"Wrote {len(files)} files for {reported.label} ({audience} audience) to {out_dir}"
        + (
            f"; {summary.warnings} data-quality warnings, see data-quality.csv."
            if summary.warnings
            else "."
        ),
        file=sys.stderr,
    )
    if any(name.startswith("internal/") for name in files):
        print(
            f"The internal reports are in {out_dir / 'internal'} (OFFICIAL-SENSITIVE, with "
            "case IDs): never publish that folder.",
            file=sys.stderr,
        )
    for notice in analysis.notices:
        print(notice, file=sys.stderr)
    return summary


def input_paths(config: Config, raws, config_file: Path) -> list[Path]:
    """Every file the run reads, which no output may overwrite: extracts, config, commentary."""
    paths = [raw.path for raw in _input_files(raws)] + [config_file]
    commentary = config.resolve(config.commentary)
    if commentary is not None:
        paths.append(commentary)
    return paths


def _input_files(raws):
    """The extracts read from files, each file once (RHI flags are read from the episodes
    file; an episode-only run has no interviews file)."""
    seen: set = set()
    out = []
    for raw in raws:
        if raw.provided and raw.path not in seen:
            seen.add(raw.path)
            out.append(raw)
    return out


def _display_path(path: Path, base: Path) -> str:
    """A path as the manifest shows it: relative to the config folder when inside it."""
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.name


def _editions(results, profiles, metrics, parts, monthly) -> Iterator[tuple[Any, Any]]:
    """Each report's profile, in order, with a function giving the results it is written
    from: the run's, or for an internal report in a public run the same figures decided again
    for the internal audience (the disclosure stage decides; no figure is computed twice) with
    its own key messages and board asks written from them, and with the child-level worklists
    only an internal report may show. The internal edition is worked out when first asked
    for (once, however many internal reports), so a report's PDF can go to its engine before
    the other reports' figures are decided."""
    from dataclasses import replace

    from pipeline.disclosure import disclose

    internal: list[Any] = []

    def internal_edition() -> Any:
        if not internal:
            decisions = disclose(
                metrics,
                parts,
                monthly,
                quarter=results.quarter.id,
                audience="internal",
                threshold=results.config.suppress_below,
                capacity=results.capacity,
                repeat_threshold=results.config.repeat_threshold,
                independent_roles=results.config.independent_roles,
                headline_target=results.config.headline_target_metric,
            )
            edition = replace(
                results,
                audience="internal",
                metrics=metrics,
                disclosure=decisions,
                ratings=None,
                worklists=_worklists(results),
            )
            _narrate_internal(edition, decisions.flags(metrics))
            internal.append(edition)
        return internal[0]

    for profile in profiles:
        audience = profile.audience_for(results.audience)
        if audience == results.audience and audience != "internal":
            yield profile, lambda: results
        else:
            yield profile, internal_edition


def _narrate_internal(internal, disclosed: Any) -> None:
    """Write an internal edition's own key messages, commentary figures and board asks from
    its figures as decided for the internal audience: a public run's sentences say a figure
    is too small to publish where the internal report shows it."""
    from dataclasses import replace

    from pipeline.analysis import write_narrative
    from pipeline.analysis.narrative import board_asks

    decisions = internal.disclosure
    spc = {name: decisions.spc_result(name, r) for name, r in internal.analysis.spc.items()}
    # A copy: the run's own analysis keeps the public sentences for the public report.
    analysis = write_narrative(
        replace(internal.analysis), disclosed, internal.config, published_spc=spc
    )
    internal.analysis = analysis
    internal.board_asks = board_asks(
        disclosed,
        internal.quarter,
        history=analysis.history,
        rag=analysis.rag,
        config=internal.config,
    )


def _worklists(results) -> Any:
    """The child-level worklists of the reported quarter (internal reports only)."""
    from pipeline.analysis.worklists import worklists

    return worklists(
        results.episodes, results.findings, results.quarter, results.as_at, results.config
    )


def write_outputs(
    results,
    out_dir: Path,
    engine=None,
    protected: Sequence[Path] = (),
    editions: Callable[[Any], Iterable[tuple[Any, Any]]] | None = None,
    compare_with: Path | None = None,
) -> list[str]:
    """Render every file into a staging folder inside `out_dir`, then replace the earlier
    outputs with them as a set (`pipeline.outdir.OutFolder`).

    First, with the out folder locked (and a commit a killed run left half done finished),
    the earlier run's figures are read into `results.revisions`: from `compare_with` when
    given (it must hold a run), else from `out_dir` itself. Read under the lock, they are
    the outputs this run replaces, never those of a run that finished meanwhile.

    With a PDF `engine` (pipeline.render.pdf_engine.PdfEngine) the paper's PDF is laid out in
    that process while this one writes the HTML and the analyst's tables. `protected` are the
    run's input files (extracts, config, commentary): an output that would overwrite one is
    refused before anything is replaced. `editions` gives the reports to write from the
    results with their revisions, each a (profile, function giving its results) pair (the board
    paper alone when None): each report's PDF goes to an engine reserved for it
    (`PdfEngine.reserve`), the first sent to the engine itself; a report without one is laid
    out here.
    """
    from pipeline.outdir import OutFolder, storage_problem
    from pipeline.render.csvs import write_data_quality_csv, write_metrics_csv
    from pipeline.render.manifest import write_manifest
    from pipeline.render.workbook import write_workbook
    from pipeline.revisions import find_revisions

    try:
        with OutFolder(out_dir) as folder:
            staging = folder.staging
            assert staging is not None
            try:
                results.revisions = find_revisions(
                    results, compare_with or out_dir, required=compare_with is not None
                )
                chosen = editions(results) if editions is not None else None
                names, reports = _render_reports(results, staging, engine, chosen)
                pause_point("rendered")
                names.append(write_metrics_csv(results, staging))
                names.append(write_workbook(results, staging))
                names.append(write_data_quality_csv(results, staging))
                if engine is not None:
                    engine.wait()
                names.append(write_manifest(results, staging, names, reports))
            except BaseException:
                # Stop the engine before the staging folder goes: it may be writing the PDF.
                if engine is not None:
                    engine.close()
                raise
            folder.commit(names, protected, _earlier_outputs(out_dir))
            return names
    except OSError as exc:
        problem = storage_problem(out_dir, exc)
        if problem is None:
            raise
        raise problem from None


def _earlier_outputs(out_dir: Path) -> list[str]:
    """The outputs the earlier run's manifest.json lists (none if it is missing or not a
    manifest): those this run does not write are removed when its set is committed."""
    import json

    try:
        data = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
        return [str(item["name"]) for item in data["outputs"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def _render_reports(results, staging: Path, engine, editions) -> tuple[list[str], Any]:
    """Write each report's HTML and PDF (and an internal report's workbook) into `staging`;
    the file names, and each report's profile, audience and files for the manifest.

    Every report's PDF is handed to its engine first (the longest report first), then their
    charts are drawn and sent, and only then are the HTML pages and workbooks written: the
    engines, which take longest, start as early as they can.

    In a public run an internal report (the director's) goes into the `internal/` subfolder,
    so that the files directly in the out folder can all be published."""
    from pipeline.outdir import INTERNAL_DIR
    from pipeline.render.report import PendingReport, render
    from pipeline.render.workbook import WORKBOOK, write_workbook
    from pipeline.render.worklists import worklist_sheets

    if editions is None:
        return render(results, staging, engine), None
    chosen = list(editions)
    # The run ends when the longest PDF does, so the report with the most sections is worked
    # out and sent first (and its charts drawn first): the board paper, shorter, can wait
    # for the director's report's figures and template, not the other way round.
    by_length = sorted(range(len(chosen)), key=lambda i: -len(chosen[i][0].sections))
    pending: dict[int, tuple[Any, Any, str, Path, str, PendingReport]] = {}
    for number, index in enumerate(by_length):
        profile, make_edition = chosen[index]
        edition = make_edition()
        book = f"{profile.file}.xlsx" if profile.worklist_workbook else WORKBOOK
        job = engine.job(number) if engine is not None else None
        apart = edition.audience == "internal" and results.audience != "internal"
        folder = staging / INTERNAL_DIR if apart else staging
        prefix = f"{INTERNAL_DIR}/" if apart else ""
        pending[index] = (
            profile,
            edition,
            book,
            folder,
            prefix,
            PendingReport(edition, folder, job, profile, book),
        )
    if engine is not None:
        engine.favour_the_longest()
    for index in by_length:
        pending[index][5].send_charts()
    names: list[str] = []
    reports = []
    # Written and listed in the profiles' order, as the manifest gives them.
    for index in range(len(chosen)):
        profile, edition, book, folder, prefix, report = pending[index]
        files = report.finish()
        if profile.worklist_workbook:
            files.append(write_workbook(edition, folder, book, worklist_sheets(edition.worklists)))
        files = [prefix + name for name in files]
        names += files
        entry = {"audience": edition.audience, "files": sorted(files), "profile": profile.id}
        if prefix:
            entry["folder"] = INTERNAL_DIR  # internal only: never published with the rest
        reports.append(entry)
    return names, reports
