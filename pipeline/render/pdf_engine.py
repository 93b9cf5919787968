"""The PDF engine: a process forked when a run starts, which readies WeasyPrint while the
extracts are read and then lays out and paints the paper while the charts are drawn.

The work is split so that the slowest step, WeasyPrint's layout of the paper, starts as early
as it can:

1. `rhi-report run` calls `start_pdf_engine()` as the command starts, before pandas is
   imported. The engine imports WeasyPrint, loads the fonts and parses the stylesheet
   (`pdf_writer.prepare`), and renders a warm-up page if the paper is not waiting yet, on the
   second core, while the main process reads, checks and computes.
2. The main process sends the filled PDF template (`submit`) as soon as the paper's words and
   tables are known, then draws the charts one by one and sends each (`send_chart`).
3. The engine lays out the text meanwhile; each chart is waited for only when its page is
   laid out (`pdf_writer.DeferredChart`). The bytes are the same as rendering in-process.

The engine never outlives the main process: it ends when the main process closes it, when the
pipe reaches end-of-file, or (on Linux) when the main process dies, however that happens.
Only the standard library is imported here, so forking costs nothing before the first import.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any


class PdfEngine:
    """The engine process, seen from the main process. Use `start_pdf_engine()`; always
    `close()`."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        self._conn, child_conn = context.Pipe()
        self._process = context.Process(
            target=_engine_main, args=(child_conn, self._conn), daemon=True
        )
        # A Ctrl-C between the fork and the engine's ignoring SIGINT would make the engine
        # print a traceback of its own: it is born with SIGINT blocked and unblocks it then.
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            self._process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        child_conn.close()
        self._busy = False

    def submit(self, html: str, chart_ids: Sequence[str], path: Path) -> None:
        """Start rendering `html` to the PDF file `path`; its charts follow by `send_chart`.
        If the engine has already stopped, `wait` reports it."""
        self._busy = True
        with contextlib.suppress(OSError):
            self._conn.send(("job", html, list(chart_ids), str(path)))

    def send_chart(self, chart_id: str, svg: str) -> None:
        """Hand over one chart's SVG. If the engine has already stopped (it failed early),
        this does nothing: `wait` reports why."""
        with contextlib.suppress(OSError):
            self._conn.send(("chart", chart_id, svg))

    def wait(self) -> None:
        """Wait for the submitted PDF; raise RenderError or RuntimeError if it failed."""
        from pipeline.render.pdf_writer import RenderError

        if not self._busy:
            return
        self._busy = False
        try:
            status, message = self._conn.recv()
        except (EOFError, OSError):
            status, message = "error", "the PDF process stopped unexpectedly"
        if status == "render":
            raise RenderError(message)
        if status == "os":
            raise OSError(*message)
        if status != "ok":
            raise RuntimeError(f"Rendering the PDF failed: {message}")

    def close(self) -> None:
        """Stop the engine: it has either finished (after `wait`) or is no longer needed."""
        self._conn.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


class _Charts:
    """The engine's side of the charts: each one's SVG, waited for on the pipe when asked."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn
        self._received: dict[str, str] = {}

    def get(self, chart_id: str) -> str:
        """The SVG of `chart_id`, receiving (and keeping) other charts until it arrives."""
        while chart_id not in self._received:
            message = self._conn.recv()
            if message[0] == "chart":
                self._received[message[1]] = message[2]
        return self._received[chart_id]

    def source(self, chart_id: str) -> Any:
        """A function returning the SVG of `chart_id` when first called."""
        return lambda: self.get(chart_id)


def _stop_with_parent() -> None:
    """Ask Linux to end this process when the process that forked it ends, however it ends."""
    with contextlib.suppress(Exception):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _engine_main(conn: Any, parent_end: Any) -> None:
    """The engine process: prepare WeasyPrint, then render one PDF when asked.

    `parent_end` is the main process's end of the pipe, inherited by the fork: closed at once,
    so that if the main process dies the engine reads end-of-file instead of waiting forever.
    """
    parent_end.close()
    _stop_with_parent()
    # Ctrl-C is the main process's to handle: it stops the engine with `close()`, and the
    # engine must not print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    # `close()` ends the engine with SIGTERM, whatever handler the main process had set.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from pipeline.render import pdf_writer

    # Any failure here shows again, with its message, on the real render.
    with contextlib.suppress(Exception):
        pdf_writer.prepare()
        # The warm-up page saves the paper a little, but costs more than it saves if the
        # paper is already waiting.
        if not conn.poll():
            pdf_writer.warm_up()
    # One paper, then the process ends: the cycle collector's passes over WeasyPrint's many
    # small objects would cost about a tenth of the layout, for a few megabytes saved. (Forked
    # by the `rhi-report` command, the engine has had it off from the start; forked by a
    # caller that has it on, it switches it off here, after its set-up.)
    gc.freeze()
    gc.disable()
    try:
        job = conn.recv()
    except (EOFError, OSError):  # the main process has gone: nothing to render for
        return
    _, html, chart_ids, path = job
    charts = _Charts(conn)
    try:
        pdf = pdf_writer.write_pdf(html, {name: charts.source(name) for name in chart_ids})
        Path(path).write_bytes(pdf)
        outcome = ("ok", "")
    except pdf_writer.RenderError as exc:
        outcome = ("render", str(exc))
    except OSError as exc:  # e.g. a full disk: raised again as itself, so the run says so
        outcome = ("os", (exc.errno, exc.strerror, exc.filename))
    except BaseException as exc:  # reported to the main process, which raises it there
        outcome = ("error", f"{type(exc).__name__}: {exc}")
    try:
        conn.send(outcome)
    except OSError:  # the main process has stopped and raised its own error
        pass
    finally:
        conn.close()


def start_pdf_engine() -> PdfEngine | None:
    """A pre-started PDF engine where processes can be forked (Linux), else None."""
    if sys.platform != "linux":
        return None
    return PdfEngine()


__all__ = ["PdfEngine", "start_pdf_engine"]
