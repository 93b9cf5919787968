"""The PDF engine process: same bytes as rendering in-process, charts handed over after the
text, errors reported back, and nothing heavy imported before it forks."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from render_fixtures import random_results

from pipeline.render.pdf_engine import PdfEngine, _Charts, start_pdf_engine
from pipeline.render.report import RenderError, render


def _engine() -> PdfEngine:
    engine = start_pdf_engine()
    if engine is None:
        pytest.skip("processes cannot be forked here")
    return engine


def test_the_engine_renders_the_same_bytes_as_this_process(tmp_path: Path) -> None:
    here, there = tmp_path / "here", tmp_path / "there"
    assert render(random_results("public"), here) == ["board-report.html", "board-report.pdf"]
    engine = _engine()
    try:
        assert render(random_results("public"), there, engine) == [
            "board-report.html",
            "board-report.pdf",
        ]
        engine.wait()
    finally:
        engine.close()
    for name in ("board-report.html", "board-report.pdf"):
        assert (there / name).read_bytes() == (here / name).read_bytes(), name


def test_the_engine_reports_a_paper_that_fails_the_accessibility_standard(
    tmp_path: Path,
) -> None:
    engine = _engine()
    try:
        # No lang and an image without alt: WeasyPrint logs errors, the engine reports them.
        engine.submit("<title>t</title><img src='charts/a.svg'>", ["a"], tmp_path / "x.pdf")
        engine.send_chart("a", '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')
        with pytest.raises(RenderError, match="accessibility standard"):
            engine.wait()
    finally:
        engine.close()
    assert not (tmp_path / "x.pdf").exists()


def test_a_closed_engine_that_was_never_used_stops_quietly() -> None:
    engine = _engine()
    engine.close()
    assert not engine._process.is_alive()


class _Pipe:
    """Stands in for the engine's end of the pipe: hands out queued messages in order."""

    def __init__(self, messages: list[tuple[str, ...]]) -> None:
        self.messages = messages

    def recv(self) -> tuple[str, ...]:
        return self.messages.pop(0)


def test_charts_arriving_in_any_order_are_kept_until_asked_for() -> None:
    pipe = _Pipe([("chart", "b", "<svg>b</svg>"), ("chart", "a", "<svg>a</svg>")])
    charts = _Charts(pipe)
    assert charts.source("a")() == "<svg>a</svg>"  # reads past b, keeping it
    assert pipe.messages == []
    assert charts.get("b") == "<svg>b</svg>"


def test_the_engine_module_forks_before_anything_heavy_is_imported() -> None:
    code = (
        "import sys, pipeline.render.pdf_engine; "
        "print(sorted(m for m in ('pandas', 'matplotlib', 'weasyprint', 'pydantic') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_ctrl_c_during_a_run_stops_both_processes_with_one_sentence(tmp_path: Path) -> None:
    import os
    import time

    root = Path(__file__).resolve().parents[1]
    command = [sys.executable, "-m", "pipeline", "run", "--out", str(tmp_path / "out")]
    # A session of its own, so Ctrl-C reaches the run and its engine as a terminal's would.
    process = subprocess.Popen(
        command, cwd=root, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    # Interrupt once the engine has been forked and ignores SIGINT (both processes then
    # handle Ctrl-C as the run intends), however slow the machine is.
    deadline = time.monotonic() + 60
    while not _engine_ignores_ctrl_c(process.pid) and process.poll() is None:
        assert time.monotonic() < deadline, "the run never started its PDF engine"
        time.sleep(0.01)
    if process.poll() is not None:
        pytest.skip("the run finished before it could be interrupted")
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err.decode() == "rhi-report: stopped; no outputs were changed.\n"
    assert list(tmp_path.iterdir()) == []  # no out folder, no staging folder left behind


def _engine_ignores_ctrl_c(pid: int) -> bool:
    """True when process `pid` has a child (the PDF engine) that ignores SIGINT."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            status = (stat.parent / "status").read_text()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(fields[1]) != pid:  # the parent's pid is the stat line's fourth field
            continue
        ignored = next(line for line in status.splitlines() if line.startswith("SigIgn:"))
        if int(ignored.split()[1], 16) & (1 << (signal.SIGINT - 1)):
            return True
    return False


def _gone(pid: int) -> bool:
    """True when process `pid` has ended (a zombie waiting to be reaped counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")


def test_the_engine_ends_when_the_main_process_is_killed() -> None:
    import os
    import signal
    import time

    # A main process that starts an engine, says its pid, and waits to be killed.
    code = (
        "import sys, time\n"
        "from pipeline.render.pdf_engine import start_pdf_engine\n"
        "engine = start_pdf_engine()\n"
        "print(engine._process.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    main = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert main.stdout is not None
    engine_pid = int(main.stdout.readline())
    assert not _gone(engine_pid)
    os.kill(main.pid, signal.SIGKILL)  # no clean-up of any kind runs
    main.wait()
    deadline = time.monotonic() + 20
    while not _gone(engine_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(engine_pid)


def test_an_engine_that_died_before_its_job_is_reported_by_wait(tmp_path: Path) -> None:
    engine = _engine()
    try:
        engine._process.kill()
        engine._process.join()
        engine.submit("<html lang='en'><title>t</title></html>", [], tmp_path / "x.pdf")
        engine.send_chart("a", "<svg/>")
        with pytest.raises(RuntimeError, match="stopped unexpectedly"):
            engine.wait()
    finally:
        engine.close()
