"""The PDF engine process: same bytes as rendering in-process, charts handed over after the
text, errors reported back, and nothing heavy imported before it forks."""

from __future__ import annotations

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
    import signal
    import time

    root = Path(__file__).resolve().parents[1]
    command = [sys.executable, "-m", "pipeline", "run", "--out", str(tmp_path / "out")]
    # A session of its own, so Ctrl-C reaches the run and its engine as a terminal's would.
    process = subprocess.Popen(
        command, cwd=root, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    time.sleep(0.4)  # the engine is starting or rendering; the run takes over a second
    if process.poll() is not None:
        pytest.skip("the run finished before it could be interrupted")
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err.decode() == "rhi-report: stopped; no outputs were changed.\n"
    assert not (tmp_path / "out").exists()
