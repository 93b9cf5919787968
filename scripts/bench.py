"""The performance benchmark (`make bench`): every figure against its budget.

Each measurement runs in a fresh Python process, repeated, and the median is reported, so
import costs are counted as an analyst would feel them. Peak memory is the child process's
maximum resident set size. Results are printed and written to docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DATA = ROOT / "bench" / "data"
SIZES = (10_000, 100_000, 1_000_000)

# A fresh process that imports the three heavy libraries and writes a one-page tagged PDF:
# the floor any run of the pipeline stands on.
BASELINE = textwrap.dedent(
    """
    import sys, pandas, matplotlib, weasyprint
    html = ('<html lang="en-GB"><head><title>Baseline</title></head>'
            '<body><h1>Baseline</h1></body></html>')
    weasyprint.HTML(string=html).write_pdf(sys.argv[1], pdf_variant="pdf/ua-1")
    """
)

# Load, validate and compute every metric for every quarter and cohort, timing each stage.
STAGES = textwrap.dedent(
    """
    import json, resource, sys, time
    from pathlib import Path
    t0 = time.perf_counter()
    from pipeline.config import load_config
    from pipeline.load import load_extract
    from pipeline.quality.validate import validate
    from pipeline.metrics.table import metric_table
    from pipeline.periods import Quarter
    config = load_config(Path(sys.argv[1]))
    t1 = time.perf_counter()
    e = load_extract("episodes", config.resolve(config.episodes.path), config.episodes)
    i = load_extract("interviews", config.resolve(config.interviews.path), config.interviews)
    t2 = time.perf_counter()
    dataset = validate(e, i, config=config, as_at=None)
    t3 = time.perf_counter()
    starts = dataset.episodes["start"]
    q, last = Quarter.containing(starts.min()), Quarter.containing(starts.max())
    quarters = [q]
    while quarters[-1] < last:
        quarters.append(quarters[-1].next())
    table = metric_table(dataset.episodes, quarters, timeliness_hours=config.timeliness_hours,
                         repeat_threshold=config.repeat_threshold,
                         independent_roles=config.independent_roles)
    t4 = time.perf_counter()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"imports": t1 - t0, "load": t2 - t1, "validate": t3 - t2,
                      "metrics": t4 - t3, "total": t4 - t1, "rows": len(dataset.episodes),
                      "quarters": len(quarters), "metric_rows": len(table),
                      "peak_mib": peak_kib / 1024}))
    """
)


def _once(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall time (s) and peak memory (MiB) of one fresh process running `cmd`."""
    with tempfile.NamedTemporaryFile() as rusage:
        start = _now()
        subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", rusage.name, *cmd],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=ROOT,
            env=env,
        )
        elapsed = _now() - start
        return elapsed, int(Path(rusage.name).read_text().split()[-1]) / 1024


def timed(cmd: list[str], runs: int, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Median wall time (s) and the largest peak memory (MiB) of `runs` fresh processes."""
    results = [_once(cmd, env) for _ in range(runs)]
    return statistics.median(t for t, _ in results), max(m for _, m in results)


def timed_against(
    cmd: list[str], reference: list[str], runs: int
) -> tuple[tuple[float, float], tuple[float, float], float]:
    """`cmd` and `reference` timed alternately (so a shared machine's drift in speed hits both
    alike): each one's median time and largest peak memory, and the median of the per-round
    ratios of `cmd` to `reference`."""
    ours, theirs = [], []
    for _ in range(runs):
        theirs.append(_once(reference))
        ours.append(_once(cmd))
    ratio = statistics.median(a[0] / b[0] for a, b in zip(ours, theirs, strict=True))

    def summary(results: list[tuple[float, float]]) -> tuple[float, float]:
        return statistics.median(t for t, _ in results), max(m for _, m in results)

    return summary(ours), summary(theirs), ratio


def _now() -> float:
    import time

    return time.perf_counter()


def stage_times(config: Path, runs: int) -> dict[str, float]:
    """Median per-stage timings of load, validate and metrics in fresh processes."""
    results = []
    for _ in range(runs):
        done = subprocess.run(
            [PYTHON, "-c", STAGES, str(config)],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    keys = results[0].keys()
    return {k: statistics.median(r[k] for r in results) for k in keys}


def make_data(size: int) -> Path:
    """Generate (once, cached in bench/data) extracts of `size` episodes and their config."""
    folder = DATA / f"{size}"
    config_path = folder / "config.yaml"
    if not config_path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        councils = max(1, size // 20_000)
        subprocess.run(
            [
                PYTHON,
                "scripts/make_sample.py",
                "--episodes",
                str(size),
                "--councils",
                str(councils),
                "--years",
                "10",
                "--seed",
                "2026",
                "--interviews-format",
                "csv",
                "--out",
                str(folder),
            ],
            check=True,
            cwd=ROOT,
        )
        config = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
        config["episodes"]["path"] = "episodes.csv"
        config["interviews"]["path"] = "interviews.csv"
        config["interviews"].pop("sheet", None)
        config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return config_path


def imports_of_validate() -> list[str]:
    """Heavy modules a `validate` process imports (should be none)."""
    code = (
        "import sys\nfrom pipeline.cli import main\n"
        "main(['validate', '--config', 'config.yaml'])\n"
        "print(sorted(m for m in ('matplotlib', 'weasyprint') if m in sys.modules))"
    )
    done = subprocess.run(
        [PYTHON, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    return json.loads(done.stdout.strip().splitlines()[-1].replace("'", '"'))


def machine() -> str:
    """A one-line description of this machine."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB memory, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="runs per small measurement")
    parser.add_argument("--quick", action="store_true", help="skip the 1 million size")
    parser.add_argument("--no-write", action="store_true", help="don't update the doc")
    args = parser.parse_args()
    rhi = str(Path(PYTHON).parent / "rhi-report")

    rows: list[tuple[str, str, str, bool]] = []

    def record(name: str, value: str, budget: str, ok: bool) -> None:
        rows.append((name, value, budget, ok))
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {value}  (budget: {budget})", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        # The board paper alone, and both reports (the sample config asks for the board paper
        # and the director's quarterly report), each timed in turn with the baseline.
        (one_t, one_m), (base_t, base_m), one_ratio = timed_against(
            [rhi, "run", "--out", f"{tmp}/one", "--report", "board_paper"],
            [PYTHON, "-c", BASELINE, f"{tmp}/baseline.pdf"],
            args.runs,
        )
        (run_t, run_m), (both_base_t, _), ratio = timed_against(
            [rhi, "run", "--out", f"{tmp}/out"],
            [PYTHON, "-c", BASELINE, f"{tmp}/baseline.pdf"],
            args.runs,
        )
        record(
            "baseline process (import + one-page PDF)",
            f"{base_t:.2f} s, {base_m:.0f} MiB",
            "reference",
            True,
        )
        record(
            "board paper alone on the sample (--report board_paper)",
            f"{one_t:.2f} s ({one_ratio:.2f}x baseline, median of paired runs), {one_m:.0f} MiB",
            "<= 1.5x baseline",
            one_ratio <= 1.5,
        )
        record(
            "both reports on the sample (board paper and director's quarterly report)",
            f"{run_t:.2f} s ({ratio:.2f}x baseline {both_base_t:.2f} s, median of paired runs), "
            f"{run_m:.0f} MiB",
            "<= 2.5x baseline",
            ratio <= 2.5,
        )
        val_t, val_m = timed([rhi, "validate"], args.runs)
        record("validate on the sample", f"{val_t:.2f} s, {val_m:.0f} MiB", "< 1 s", val_t < 1)
        heavy = imports_of_validate()
        record(
            "validate imports matplotlib/weasyprint",
            ", ".join(heavy) or "neither",
            "neither",
            not heavy,
        )

    sizes = SIZES[:2] if args.quick else SIZES
    per_size: dict[int, dict[str, float]] = {}
    for size in sizes:
        config = make_data(size)
        stats = stage_times(config, 3)
        per_size[size] = stats
        detail = (
            f"load {stats['load']:.2f} s + validate {stats['validate']:.2f} s + "
            f"metrics {stats['metrics']:.2f} s = {stats['total']:.2f} s, "
            f"{stats['peak_mib']:.0f} MiB peak, {int(stats['quarters'])} quarters"
        )
        if size == 1_000_000:
            record(
                f"{size:,} episodes",
                detail,
                "< 10 s and < 1.5 GB",
                stats["total"] < 10 and stats["peak_mib"] < 1536,
            )
        else:
            record(f"{size:,} episodes", detail, "reported", True)
    if 1_000_000 in per_size and 100_000 in per_size:
        growth = per_size[1_000_000]["total"] / per_size[100_000]["total"]
        record("growth 100k -> 1M", f"{growth:.1f}x", "<= 12x", growth <= 12)

    if not args.no_write:
        write_doc(rows)
    return 0 if all(ok for *_, ok in rows) else 1


def write_doc(rows: list[tuple[str, str, str, bool]]) -> None:
    """Replace the results section of docs/performance.md with this run's figures."""
    doc = ROOT / "docs" / "performance.md"
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Performance\n"
    marker = "## Latest results"
    head, _, rest = text.partition(marker)
    head = head.rstrip() + "\n\n"
    # Sections after the results (e.g. the disclosure stage's costs) are kept as they are.
    after = rest.find("\n## ")
    tail = rest[after:] if after >= 0 else ""
    table = "\n".join(
        f"| {name} | {value} | {budget} | {'pass' if ok else 'FAIL'} |"
        for name, value, budget, ok in rows
    )
    body = (
        f"{marker}\n\nMachine: {machine()}.\n\n"
        "| measurement | result | budget | status |\n|---|---|---|---|\n"
        f"{table}\n"
    )
    doc.write_text(head + body + tail, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
