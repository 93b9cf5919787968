"""The `rhi-report` command line: `run` and `validate` (see docs and outputs.md).

Heavy libraries are imported only by the stages that need them, so `validate` stays fast.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import signal
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import NoReturn

from pipeline.errors import UsageError, UserError


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one plain sentence and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise UsageError(f"rhi-report: {message}. Run 'rhi-report --help' for the options.")


def _as_at(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--as-at '{text}' is not a date in the form YYYY-MM-DD"
        ) from None


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for both subcommands."""
    parser = _Parser(
        prog="rhi-report",
        description="Turn missing-episode and return home interview extracts into the "
        "Corporate Parenting Board's performance paper.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--config",
            type=Path,
            default=Path("config.yaml"),
            help="config file (default: config.yaml in the current folder)",
        )
        p.add_argument("--episodes", type=Path, help="episodes extract (CSV or XLSX)")
        p.add_argument("--interviews", type=Path, help="interviews extract (CSV or XLSX)")

    run = sub.add_parser("run", help="validate the extracts and write the board paper and tables")
    common(run)
    run.add_argument(
        "--quarter",
        help="financial quarter to report, e.g. 2026-27-Q1 "
        "(default: the latest ended quarter with episodes)",
    )
    run.add_argument(
        "--as-at",
        type=_as_at,
        dest="as_at",
        help="date the extracts were taken, YYYY-MM-DD "
        "(default: the latest date in either extract)",
    )
    run.add_argument(
        "--audience",
        choices=["public", "internal"],
        help="public (default; small numbers suppressed) or internal",
    )
    run.add_argument("--out", type=Path, help="output folder (default: reports/<quarter>/)")
    run.add_argument(
        "--compare-with",
        type=Path,
        dest="compare_with",
        metavar="DIR",
        help="list the figures that changed since the earlier run whose outputs are in DIR "
        "(default: the out folder's earlier outputs, if any)",
    )
    run.add_argument(
        "--report",
        action="append",
        dest="reports",
        metavar="NAME",
        help="write only this report profile, e.g. board_paper (repeat for several; "
        "default: `reports` in the config)",
    )

    validate = sub.add_parser("validate", help="check the extracts and list every finding")
    common(validate)
    validate.add_argument(
        "--as-at",
        type=_as_at,
        dest="as_at",
        help="date the extracts were taken, YYYY-MM-DD (default: the latest date in either "
        "extract); dates after it are reported",
    )
    return parser


class Terminated(BaseException):
    """SIGTERM arrived: raised like Ctrl-C, so staging is removed on the way out."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated


def _tolerant_streams() -> list[tuple[object, str]]:
    """Make stdout and stderr replace what the terminal's encoding cannot show (a sentence
    must never become a traceback); returns each stream's previous setting, to restore."""
    previous = []
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        errors = getattr(stream, "errors", None)
        if reconfigure is None or not isinstance(errors, str):
            continue
        with contextlib.suppress(Exception):
            reconfigure(errors="backslashreplace")
            previous.append((stream, errors))
    return previous


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 data failed, 2 usage)."""
    engine = None
    streams = _tolerant_streams()
    handler = None
    try:
        args = build_parser().parse_args(argv)
        if args.command == "run":
            # Fork the PDF engine before anything heavy is imported: it gets WeasyPrint ready
            # on the second core while this process reads the config and the extracts.
            from pipeline.render.pdf_engine import start_pdf_engine

            engine = start_pdf_engine()
            # After the fork, so the engine keeps the default: SIGTERM ends a run like
            # Ctrl-C, removing its staging folder.
            with contextlib.suppress(ValueError):  # not the main thread: leave it
                handler = signal.signal(signal.SIGTERM, _raise_terminated)
        from pipeline.config import load_config

        config = load_config(args.config)
        if args.command == "validate":
            from pipeline.run import validate_only

            return validate_only(
                config, episodes=args.episodes, interviews=args.interviews, as_at=args.as_at
            )
        from pipeline.run import run_pipeline

        run_pipeline(
            config,
            episodes=args.episodes,
            interviews=args.interviews,
            quarter=args.quarter,
            as_at=args.as_at,
            audience=args.audience,
            out=args.out,
            config_path=args.config,
            reports=args.reports,
            engine=engine,
            compare_with=args.compare_with,
        )
        return 0
    except UserError as err:
        for message in err.messages:
            print(message, file=sys.stderr)
        return err.exit_status
    except SystemExit as exc:  # --help, or argparse's own exits
        return int(exc.code or 0) if isinstance(exc.code, int) else 2
    except KeyboardInterrupt:
        print("rhi-report: stopped; no outputs were changed.", file=sys.stderr)
        return 130
    except Terminated:
        print("rhi-report: terminated; no outputs were changed.", file=sys.stderr)
        return 143
    finally:
        if engine is not None:
            engine.close()
        if handler is not None:
            signal.signal(signal.SIGTERM, handler)
        for stream, errors in streams:
            with contextlib.suppress(Exception):
                stream.reconfigure(errors=errors)  # type: ignore[attr-defined]


def program() -> NoReturn:
    """The `rhi-report` command and `python -m pipeline`: `main` on this process's arguments,
    then exit with its status.

    A command is one pass from imports to files, so two costs of a long-lived Python process
    are skipped (together about 0.35 s of a run on the sample):

    - the cycle collector is off: its passes over pandas', matplotlib's and WeasyPrint's
      objects find almost nothing (a run's peak memory at a million episodes is the same);
    - the process ends at once when `main` returns, without the interpreter freeing every
      object one by one: by then every output is written and closed, the PDF engine stopped
      and temporary folders removed, so only the standard streams need flushing.
    """
    gc.disable()
    status = main()
    for stream in (sys.stdout, sys.stderr):
        # A closed stream, or a reader that has gone (`rhi-report validate | head`), has
        # nothing left to give; the command's own status stands.
        if stream is not None:
            with contextlib.suppress(Exception):
                stream.flush()
    os._exit(status)
