"""The PDF engine process: same bytes as rendering in-process (also from the engines it forks
for further reports), charts handed over after the text, errors reported back, no engine
left behind, and nothing heavy imported before it forks."""

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


def _children(pid: int) -> list[int]:
    """The processes forked by `pid` that run its program (not, say, a helper program that
    loading a library runs): the engines it forked."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            same = (stat.parent / "cmdline").read_bytes() == Path(
                f"/proc/{pid}/cmdline"
            ).read_bytes()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(fields[1]) == pid and same:
            out.append(int(stat.parent.name))
    return out


def _forked_engines(engine: PdfEngine, count: int) -> list[int]:
    """The pids of the engines `engine` has forked, once there are `count` of them."""
    import time

    deadline = time.monotonic() + 60
    while len(found := _children(engine._process.pid)) < count:
        assert time.monotonic() < deadline, "the engine never forked its further engines"
        time.sleep(0.01)
    return found


def test_a_reserved_engine_renders_each_report_with_the_same_bytes(tmp_path: Path) -> None:
    # Two different papers (public and internal editions), each rendered in this process
    # and through the engines: the first by the engine, the second by the one it forks.
    for audience in ("public", "internal"):
        render(random_results(audience), tmp_path / f"here-{audience}")
    engine = _engine()
    try:
        engine.reserve(2)
        first, second = engine.job(0), engine.job(1)
        assert first is engine and second is not None and engine.job(2) is None
        render(random_results("public"), tmp_path / "there-public", first)
        render(random_results("internal"), tmp_path / "there-internal", second)
        engine.wait()
    finally:
        engine.close()
    for audience in ("public", "internal"):
        for name in ("board-report.html", "board-report.pdf"):
            there = (tmp_path / f"there-{audience}" / name).read_bytes()
            assert there == (tmp_path / f"here-{audience}" / name).read_bytes(), (audience, name)
    public = (tmp_path / "here-public" / "board-report.pdf").read_bytes()
    assert public != (tmp_path / "here-internal" / "board-report.pdf").read_bytes()


def test_a_forked_engine_reports_its_failure_and_no_engine_is_left(tmp_path: Path) -> None:
    engine = _engine()
    try:
        engine.reserve(2)
        second = engine.job(1)
        assert second is not None
        (forked,) = _forked_engines(engine, 1)
        second.submit("<title>t</title><p>no lang</p>", [], tmp_path / "x.pdf")
        with pytest.raises(RenderError, match="accessibility standard"):
            engine.wait()
    finally:
        engine.close()
    assert not (tmp_path / "x.pdf").exists()
    assert _gone(engine._process.pid) and _gone(forked)


def test_closing_a_busy_engine_stops_the_engines_it_forked(tmp_path: Path) -> None:
    engine = _engine()
    try:
        engine.reserve(3)
        forked = _forked_engines(engine, 2)
        # The second engine waits for a chart that never comes: it is busy when closed.
        second = engine.job(1)
        assert second is not None
        second.submit(
            "<html lang='en'><title>t</title><img src='charts/a.svg' alt='a'></html>",
            ["a"],
            tmp_path / "x.pdf",
        )
    finally:
        engine.close()
    # `close` returns once the first engine has ended, and it ends after the others.
    assert [pid for pid in forked if not _gone(pid)] == [], [
        Path(f"/proc/{pid}/status").read_text()[:400] for pid in forked if not _gone(pid)
    ]
    assert not (tmp_path / "x.pdf").exists()


def test_reserving_after_the_first_paper_is_sent_gives_no_further_engine(tmp_path: Path) -> None:
    engine = _engine()
    try:
        engine.submit("<html lang='en'><title>t</title><p>p</p></html>", [], tmp_path / "x.pdf")
        engine.reserve(2)
        assert engine.job(1) is None
        engine.wait()
    finally:
        engine.close()
    assert (tmp_path / "x.pdf").read_bytes().startswith(b"%PDF")


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


def test_an_engine_asked_to_yield_lowers_its_own_priority_and_keeps_reading(monkeypatch) -> None:
    import pipeline.render.pdf_engine as pdf_engine

    lowered: list[int] = []
    monkeypatch.setattr(pdf_engine.os, "nice", lowered.append)
    pipe = _Pipe([("yield", 5), ("chart", "a", "<svg>a</svg>")])
    assert _Charts(pipe).get("a") == "<svg>a</svg>"
    assert lowered == [5]


class _Sent:
    """Stands in for the main process's end of a pipe: keeps what is sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[object, ...]] = []

    def send(self, message: tuple[object, ...]) -> None:
        self.sent.append(message)


def test_only_the_engines_of_shorter_documents_are_asked_to_yield() -> None:
    from pipeline.render.pdf_engine import PdfJob

    engine = PdfEngine.__new__(PdfEngine)  # its jobs only: no process is started
    short, long, idle = PdfJob(_Sent()), PdfJob(_Sent()), PdfJob(_Sent())
    engine._jobs = [short, long, idle]
    short.submit("<p>short</p>", [], Path("a.pdf"))
    long.submit("<p>" + "long " * 100 + "</p>", [], Path("b.pdf"))
    engine.favour_the_longest()
    assert short._conn.sent[-1] == ("yield", 5)
    assert [m[0] for m in long._conn.sent] == ["job"]
    assert idle._conn.sent == []  # no PDF to make: nothing to yield
    # One PDF alone has nothing to yield to.
    engine._jobs = [short]
    engine.favour_the_longest()
    assert [m[0] for m in short._conn.sent] == ["job", "yield"]


def test_the_engine_module_forks_before_anything_heavy_is_imported() -> None:
    code = (
        "import sys, pipeline.render.pdf_engine; "
        "print(sorted(m for m in ('pandas', 'matplotlib', 'weasyprint', 'pydantic') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("forked", [False, True])
def test_ctrl_c_during_a_run_stops_every_process_with_one_sentence(
    tmp_path: Path, forked: bool
) -> None:
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
    # Or, for the second case, once the engine has forked the director's report's engine.
    engines = [pid for pid in _children(process.pid) if _ignores_ctrl_c(pid)]
    while forked and process.poll() is None and len(engines) < 2:
        assert time.monotonic() < deadline, "the engine never forked the second report's"
        engines = engines[:1] + _children(engines[0])
        time.sleep(0.01)
    if process.poll() is not None:
        pytest.skip("the run finished before it could be interrupted")
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err.decode() == "rhi-report: stopped; no outputs were changed.\n"
    assert list(tmp_path.iterdir()) == []  # no out folder, no staging folder left behind
    assert all(_gone(pid) for pid in engines)


def _engine_ignores_ctrl_c(pid: int) -> bool:
    """True when process `pid` has a child (the PDF engine) that ignores SIGINT."""
    return any(_ignores_ctrl_c(child) for child in _children(pid))


def _ignores_ctrl_c(pid: int) -> bool:
    """True when process `pid` ignores SIGINT."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    ignored = next(line for line in status.splitlines() if line.startswith("SigIgn:"))
    return bool(int(ignored.split()[1], 16) & (1 << (signal.SIGINT - 1)))


def _gone(pid: int) -> bool:
    """True when process `pid` has ended (a zombie waiting to be reaped counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")


@pytest.mark.parametrize("reports", [1, 2])
def test_the_engines_end_when_the_main_process_is_killed(reports: int) -> None:
    import inspect
    import os
    import signal
    import textwrap
    import time

    # A main process that starts an engine (reserving one more for a second report), says
    # the pids of the engines once they exist, and waits to be killed.
    code = textwrap.dedent(
        f"""
        import time
        from pathlib import Path
        from pipeline.render.pdf_engine import start_pdf_engine
        engine = start_pdf_engine()
        engine.reserve({reports})
        pid = engine._process.pid
        while len(_children(pid)) < {reports - 1}:
            time.sleep(0.01)
        print(pid, *_children(pid), flush=True)
        time.sleep(60)
        """
    )
    code = inspect.getsource(_children) + code
    main = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert main.stdout is not None
    engines = [int(pid) for pid in main.stdout.readline().split()]
    assert len(engines) == reports and not any(_gone(pid) for pid in engines)
    os.kill(main.pid, signal.SIGKILL)  # no clean-up of any kind runs
    main.wait()
    deadline = time.monotonic() + 20
    while not all(_gone(pid) for pid in engines) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(_gone(pid) for pid in engines)


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
