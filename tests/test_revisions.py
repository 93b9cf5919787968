"""Revisions on a rerun: exactly the figures that changed, and never a withheld one."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from test_canonical_run import EPISODES, INTERVIEWS

from pipeline.cli import main
from pipeline.revisions import Previous, changed_inputs, compare, read_previous

# E6 (child C5, not looked after) is the only episode of 2025-26 Q4: returned 16 March 09:00,
# interviewed face to face by an independent practitioner 24 hours later.
CHANGED = INTERVIEWS.replace(
    "E6,completed,2026-03-17 09:00,face_to_face,", "E6,completed,2026-03-17 09:00,telephone,"
)


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    (tmp_path / "config.yaml").write_text("{}\n", encoding="utf-8")
    (tmp_path / "episodes.csv").write_text(EPISODES, encoding="utf-8")
    (tmp_path / "interviews.csv").write_text(INTERVIEWS, encoding="utf-8")
    return tmp_path


def _run(folder: Path, out: Path, *extra: str) -> None:
    args = ["run", "--config", str(folder / "config.yaml")]
    args += ["--episodes", str(folder / "episodes.csv")]
    args += ["--interviews", str(folder / "interviews.csv")]
    args += ["--out", str(out), "--as-at", "2026-07-01", *extra]
    assert main(args) == 0


def _revisions_sheet(out: Path) -> list[tuple]:
    book = load_workbook(out / "tables.xlsx", read_only=True)
    if "Revisions" not in book.sheetnames:
        return []
    rows = list(book["Revisions"].iter_rows(min_row=4, values_only=True))
    return [r for r in rows if any(c is not None for c in r)]


def _hashes(out: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir())}


def test_a_rerun_with_one_changed_row_lists_exactly_the_changed_figures(folder):
    out = folder / "out"
    _run(folder, out, "--audience", "internal")
    (folder / "interviews.csv").write_text(CHANGED, encoding="utf-8")
    _run(folder, out, "--audience", "internal")
    # E6 now by telephone. In 2025-26 Q4 it is in the cohorts `all` and `not_looked_after`
    # (E6 alone in each). Face to face: 1 of 1 -> 0 of 1. Target met (within 72 h AND face to
    # face): 1 of 1 -> 0 of 1. Still independent, still within 72 h, still completed: every
    # other figure is unchanged; the looked-after cohorts have no Q4 episodes at all.
    rows = _revisions_sheet(out)
    got = {(r[0], r[3], r[1]) for r in rows}
    assert got == {
        ("Q4 2025-26", metric, cohort)
        for metric in ("rhi_face_to_face_rate", "rhi_target_met_rate")
        for cohort in ("All children", "Not looked after")
    }
    for r in rows:
        # previous/new numerator, denominator, value; then what changed
        assert r[4:10] == (1, 0, 1, 1, 1, 0)
        assert r[10] == "interviews extract"
    html = (out / "board-report.html").read_text(encoding="utf-8")
    assert "Figures for earlier quarters were revised: 4 figures (Q4 2025-26)" in html
    assert "Appendix D: Revisions since the previous run" in html


def test_an_unchanged_rerun_writes_the_same_bytes(folder):
    out = folder / "out"
    _run(folder, out, "--audience", "internal")
    first = _hashes(out)
    _run(folder, out, "--audience", "internal")
    assert _hashes(out) == first
    assert _revisions_sheet(out) == []


def test_compare_with_names_the_earlier_folder(folder):
    _run(folder, folder / "before", "--audience", "internal")
    (folder / "interviews.csv").write_text(CHANGED, encoding="utf-8")
    _run(
        folder, folder / "after", "--audience", "internal", "--compare-with", str(folder / "before")
    )
    assert len(_revisions_sheet(folder / "after")) == 4


def test_compare_with_a_folder_without_a_run_is_a_usage_error(folder, capsys):
    args = ["run", "--config", str(folder / "config.yaml")]
    args += ["--episodes", str(folder / "episodes.csv")]
    args += ["--interviews", str(folder / "interviews.csv"), "--as-at", "2026-07-01"]
    args += ["--out", str(folder / "out"), "--compare-with", str(folder / "nothing")]
    assert main(args) == 2
    assert "has no earlier run's metrics.csv and manifest.json" in capsys.readouterr().err
    assert not (folder / "out").exists()


def test_public_paper_never_compares_a_withheld_figure(folder):
    # Public, default suppress_below 5: E6's figures are counts of 1, withheld as [c] in both
    # runs, so nothing published changed: no note, no Revisions sheet, and the same bytes as
    # a first run.
    out = folder / "out"
    _run(folder, out)
    (folder / "interviews.csv").write_text(CHANGED, encoding="utf-8")
    _run(folder, out)
    first = folder / "first"
    _run(folder, first)
    assert _revisions_sheet(out) == []
    html = (out / "board-report.html").read_text(encoding="utf-8")
    assert "were revised" not in html
    assert _hashes(out) == _hashes(first)


# --------------------------------------------------------------------------------------------
# compare, on hand-made cells


def _cells(rows: list[tuple[str, str, str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["quarter", "cohort", "metric", "numerator", "denominator", "value"]
    )


OLD = Previous(
    Path("."),
    {
        ("q", "all", "a"): ("", "", "10"),
        ("q", "all", "b"): ("[c]", "[c]", "[c]"),
        ("q", "all", "c"): ("3", "10", "0.300000"),
        ("q", "all", "d"): ("", "", "7"),
        ("old", "all", "a"): ("", "", "1"),  # a quarter the new run no longer shows
    },
    {"as_at": "2026-07-01", "audience": "public", "inputs": [{"name": "episodes", "sha256": "x"}]},
)
NEW = _cells(
    [
        ("q", "all", "a", "", "", "11"),  # published, changed
        ("q", "all", "b", "", "", "4"),  # withheld before: never compared in public
        ("q", "all", "c", "[c]", "[c]", "[c]"),  # withheld now: never compared in public
        ("q", "all", "d", "", "", "7"),  # unchanged
        ("new", "all", "a", "", "", "5"),  # not in the earlier run
    ]
)


def test_compare_lists_only_published_changes_for_the_public():
    public = compare(OLD, NEW, {"as_at": "2026-07-01"}, audience="public")
    assert public is not None
    assert [(r.quarter, r.metric) for r in public.rows] == [("q", "a")]
    assert public.published == 1


def test_a_public_run_is_never_compared_with_an_internal_one():
    # the internal edition's values include figures the public may not see
    internal_before = Previous(OLD.folder, OLD.cells, {**OLD.manifest, "audience": "internal"})
    assert compare(internal_before, NEW, {}, audience="public") is None
    assert compare(internal_before, NEW, {}, audience="internal") is not None


def test_compare_lists_every_change_for_the_internal_paper():
    internal = compare(OLD, NEW, {"as_at": "2026-07-01"}, audience="internal")
    assert internal is not None
    assert [r.metric for r in internal.rows] == ["a", "b", "c"]
    assert internal.published == 1  # only a was published in both


def test_nothing_changed_is_no_revisions():
    same = _cells([("q", "all", "a", "", "", "10"), ("q", "all", "d", "", "", "7")])
    assert compare(OLD, same, {}, audience="internal") is None


def test_changed_inputs_names_each_extract_config_date_and_version():
    old = {
        "inputs": [{"name": "episodes", "sha256": "a"}, {"name": "interviews", "sha256": "b"}],
        "config_sha256": "c",
        "as_at": "2026-07-01",
        "package": {"version": "1"},
    }
    new = {
        **old,
        "inputs": [{"name": "episodes", "sha256": "a"}, {"name": "interviews", "sha256": "B"}],
    }
    assert changed_inputs(old, new) == ["interviews extract"]
    assert changed_inputs(old, {**new, "config_sha256": "C", "as_at": "2026-07-02"}) == [
        "interviews extract",
        "config",
        "as-at date",
    ]


def test_an_unreadable_earlier_run_is_skipped_with_a_warning(tmp_path, capsys):
    (tmp_path / "metrics.csv").write_text("not,a,metrics,file\n", encoding="utf-8")
    (tmp_path / "manifest.json").write_text(json.dumps({}), encoding="utf-8")
    assert read_previous(tmp_path) is None
    assert "could not be read" in capsys.readouterr().err


def test_a_commit_a_killed_run_left_half_done_is_the_earlier_run(tmp_path):
    # The killed run had moved manifest.json into place but not yet metrics.csv: the set in
    # .rhi-report-commit is the complete one (pipeline.outdir finishes the move next run).
    (tmp_path / "metrics.csv").write_text(
        "quarter,cohort,metric,numerator,denominator,value\nq,all,a,,,1\n", encoding="utf-8"
    )
    (tmp_path / "manifest.json").write_text(json.dumps({"as_at": "2026-07-02"}), encoding="utf-8")
    pending = tmp_path / ".rhi-report-commit"
    pending.mkdir()
    (pending / "metrics.csv").write_text(
        "quarter,cohort,metric,numerator,denominator,value\nq,all,a,,,2\n", encoding="utf-8"
    )
    previous = read_previous(tmp_path)
    assert previous is not None
    assert previous.cells[("q", "all", "a")] == ("", "", "2")
    assert previous.manifest == {"as_at": "2026-07-02"}


def test_the_earlier_run_is_read_with_the_out_folder_locked(folder, monkeypatch):
    # The earlier outputs must be read under the out folder's lock: read before it, a run
    # that finished on the folder in between would have its figures replaced unlisted. While
    # this run holds the lock, another exclusive flock on the folder is refused.
    import errno
    import fcntl
    import os

    import pipeline.revisions as revisions

    out = folder / "out"
    _run(folder, out, "--audience", "internal")
    seen: list[bool] = []
    real = revisions.read_previous

    def reading(where: Path, **kwargs):
        fd = os.open(where, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            seen.append(False)  # nobody held it
        except OSError as exc:
            assert exc.errno in {errno.EWOULDBLOCK, errno.EAGAIN}
            seen.append(True)
        finally:
            os.close(fd)
        return real(where, **kwargs)

    monkeypatch.setattr(revisions, "read_previous", reading)
    (folder / "interviews.csv").write_text(CHANGED, encoding="utf-8")
    _run(folder, out, "--audience", "internal")
    assert seen == [True]
    assert len(_revisions_sheet(out)) == 4  # and the revisions are still found
