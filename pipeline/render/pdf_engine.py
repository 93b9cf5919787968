"""The PDF engine: a process forked when a run starts, which readies WeasyPrint while the
extracts are read and then lays out and paints the paper while the charts are drawn.

The work is split so that the slowest step, WeasyPrint's layout of each report, starts as
early as it can:

1. `rhi-report run` calls `start_pdf_engine()` as the command starts, before pandas is
   imported. The engine imports WeasyPrint, loads the fonts and parses the stylesheet
   (`pdf_writer.prepare`), and renders a warm-up page if the paper is not waiting yet, on the
   second core, while the main process reads, checks and computes.
2. A run of several reports says so as soon as it has read their profiles (`reserve`): the
   engine forks one more engine per further report once WeasyPrint is ready, so each report
   is laid out in a process of its own and WeasyPrint is imported and prepared once.
3. The main process sends each filled PDF template (`PdfJob.submit`) as soon as the report's
   words and tables are known, then draws the charts one by one and sends each
   (`PdfJob.send_chart`).
4. Each engine lays out its text meanwhile; a chart is waited for only when its page is laid
   out (`pdf_writer.DeferredChart`). The bytes are the same as rendering in-process.

No engine outlives the main process: the first ends when the main process closes it, when
its pipe reaches end-of-file, or (on Linux) when the main process dies, however that happens;
the engines it forked end with it (it stops them when it is stopped, and Linux ends them if it
dies) and each also ends at the end-of-file of its own pipe. Only the standard library is
imported here, so forking costs nothing before the first import.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# How far a shorter PDF's engine lowers its priority for the longest (`favour_the_longest`):
# Linux then gives it about a third of the processor time the longest gets when they share one.
_YIELD_NICENESS = 5


class PdfJob:
    """One PDF to be made by an engine process, seen from the main process: its own pipe."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn
        self._busy = False
        self._size = 0

    def submit(self, html: str, chart_ids: Sequence[str], path: Path) -> None:
        """Start rendering `html` to the PDF file `path`; its charts follow by `send_chart`.
        If the engine has already stopped, `wait` reports it."""
        self._busy = True
        self._size = len(html)
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


class PdfEngine(PdfJob):
    """The engine process, seen from the main process: the first PDF's job itself (`submit`,
    `send_chart`), and the jobs of the engines it forks for further PDFs (`reserve`, `job`).
    Use `start_pdf_engine()`; always `close()`."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        conn, child_conn = context.Pipe()
        super().__init__(conn)
        self._process = context.Process(target=_engine_main, args=(child_conn, conn), daemon=True)
        # A Ctrl-C between the fork and the engine's ignoring SIGINT would make the engine
        # print a traceback of its own: it is born with SIGINT blocked and unblocks it then.
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            self._process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        child_conn.close()
        self._jobs: list[PdfJob] = [self]

    def reserve(self, count: int) -> None:
        """Make room for `count` PDFs at once: the engine forks one more engine for each PDF
        after the first, as soon as WeasyPrint is ready in it. Call it before the first
        `submit` (the engine reads nothing else once it has a PDF to make); later, or asking
        for no more than there are, it does nothing, and `job` has no engine for the rest."""
        extra = count - len(self._jobs)
        if extra <= 0 or self._busy:
            return
        pairs = [multiprocessing.get_context("fork").Pipe() for _ in range(extra)]
        try:
            self._conn.send(("engines", extra))
            # The engines' ends of their pipes go to the engine, which forks one per end.
            with socket.fromfd(self._conn.fileno(), socket.AF_UNIX, socket.SOCK_STREAM) as s:
                socket.send_fds(s, [b"e"], [theirs.fileno() for _, theirs in pairs])
        except OSError:
            pass  # the engine has stopped: each job's `wait` will say so
        for ours, theirs in pairs:
            theirs.close()
            self._jobs.append(PdfJob(ours))

    def job(self, number: int) -> PdfJob | None:
        """The job that makes PDF number `number` (0 is the engine's own), or None if no
        engine was reserved for it (the caller then renders that PDF itself)."""
        return self._jobs[number] if 0 <= number < len(self._jobs) else None

    def favour_the_longest(self) -> None:
        """Once every PDF is submitted: ask the engines of all but the longest document to
        yield the processor to it (they lower their own priority, `os.nice`). The run ends
        when the longest PDF does; with more engines than cores, the shorter ones, given an
        equal share, would slow it down and then finish early (on two cores the director's
        report, 2.6 s of layout, against the board paper's 1.2 s and the main process's
        charts). The shorter ones still get every processor the longest does not use."""
        busy = [job for job in self._jobs if job._busy]
        if len(busy) < 2:
            return
        longest = max(busy, key=lambda job: job._size)
        for job in busy:
            if job is not longest:
                with contextlib.suppress(OSError):
                    job._conn.send(("yield", _YIELD_NICENESS))

    def wait(self) -> None:
        """Wait for every submitted PDF; raise RenderError or RuntimeError if one failed."""
        for job in self._jobs:
            PdfJob.wait(job)

    def close(self) -> None:
        """Stop the engines: they have either finished (after `wait`) or are no longer
        needed. The first stops the engines it forked before it ends."""
        for job in self._jobs:
            job._conn.close()
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
            elif message[0] == "yield":  # another engine's document is longer
                with contextlib.suppress(OSError):
                    os.nice(message[1])
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
    """The engine process: prepare WeasyPrint, fork the engines reserved for further PDFs,
    then render one PDF when asked.

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

    engines: list[int] = []
    fds: list[int] = []
    job = None
    try:
        # Any failure here shows again, with its message, on the real render.
        with contextlib.suppress(Exception):
            pdf_writer.prepare()
        while job is None and conn.poll():
            job = _take(conn, fds)
        # The warm-up page saves the paper a little, but costs more than it saves if the
        # paper is already waiting.
        if job is None:
            with contextlib.suppress(Exception):
                pdf_writer.warm_up()
        # Further engines asked for meanwhile are forked now, ready (and warmed up) to lay
        # out at once.
        _fork_engines(conn, fds, engines)
        # One paper, then the process ends: the cycle collector's passes over WeasyPrint's
        # many small objects would cost about a tenth of the layout, for a few megabytes
        # saved. (Forked by the `rhi-report` command, the engine has had it off from the
        # start; forked by a caller that has it on, it switches it off here, after its
        # set-up.)
        gc.freeze()
        gc.disable()
        while job is None:
            job = _take(conn, fds)
            _fork_engines(conn, fds, engines)
    except (EOFError, OSError):
        # The main process has gone or closed the engine: nothing to render for, here or in
        # the engines forked here, which are stopped before this one ends.
        _stop_engines(engines, end=False)
        return
    _render(conn, job)
    # The engines forked here end with this process (Linux ends them): each is let finish.
    for pid in engines:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


def _take(conn: Any, fds: list[int]) -> Any:
    """Read one message from the main process: a PDF to make is returned; a request for
    further engines adds the ends of their pipes to `fds` (to be forked), returning None."""
    message = conn.recv()
    if message[0] != "engines":
        return message
    with socket.fromfd(conn.fileno(), socket.AF_UNIX, socket.SOCK_STREAM) as s:
        fds += socket.recv_fds(s, 1, message[1])[1]
    return None


def _fork_engines(conn: Any, fds: list[int], engines: list[int]) -> None:
    """Fork one engine for each pipe end in `fds` (emptied), adding their pids to `engines`."""
    if fds and not engines:
        # Stopped (by `close()`, or by the main process's end), this engine first stops the
        # ones it forked and waits for them: when the main process has seen it end, none of
        # them can still be writing into the staging folder it then removes.
        signal.signal(signal.SIGTERM, lambda signum, frame: _stop_engines(engines))
    while fds:
        fd = fds.pop(0)
        # SIGTERM waits until the new engine's pid is known here, so it is always stopped.
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
        try:
            parent = os.getpid()
            pid = os.fork()
            if pid == 0:
                _forked_engine_main(fd, conn, fds, parent, previous)
            engines.append(pid)
        except OSError:
            pass  # no process to be had: that PDF's job reads end-of-file, and the run says so
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        os.close(fd)


def _stop_engines(engines: list[int], end: bool = True) -> None:
    """End the engines this one forked, wait for them, and (its SIGTERM) end this one."""
    for pid in engines:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    for pid in engines:
        with contextlib.suppress(OSError):
            os.waitpid(pid, 0)
    if end:
        os._exit(128 + signal.SIGTERM)


def _forked_engine_main(
    fd: int, first_conn: Any, other_fds: list[int], parent: int, mask: Any
) -> None:
    """A further engine, forked from the first (`parent`) with WeasyPrint ready: render one
    PDF from the pipe `fd`, then end the process (never return into the first engine's
    code). `first_conn` and `other_fds` are the other engines' pipes, not this one's."""
    from multiprocessing.connection import Connection

    status = 0
    try:
        # Held here too, the main process would not see end-of-file on another engine's
        # pipe if that engine died.
        first_conn.close()
        for other in other_fds:
            os.close(other)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        _stop_with_parent()
        if os.getppid() != parent:  # the first engine ended before it could say so
            os._exit(0)
        # As in the first engine: one paper, then the process ends.
        gc.freeze()
        gc.disable()
        conn = Connection(fd)
        try:
            job = conn.recv()
        except (EOFError, OSError):  # the main process has gone or did not need it
            os._exit(0)
        _render(conn, job)
    except BaseException:
        status = 1
    finally:
        os._exit(status)


def _render(conn: Any, job: Any) -> None:
    """Render the PDF `job` asks for, receiving its charts on `conn`, and report how it went
    on `conn` (then closed)."""
    from pipeline.render import pdf_writer

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


__all__ = ["PdfEngine", "PdfJob", "start_pdf_engine"]
