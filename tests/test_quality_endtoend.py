"""The bundled sample, mangled ten ways, through the real command line.

A baseline run writes the outputs once. Each mangling then runs `rhi-report run` on a fresh copy
of the sample with one thing broken, into the same out folder, and checks the exit status, the
message (one plain sentence, no traceback) and that every earlier output is byte-for-byte
unchanged. Manglings a real export can survive (Windows-1252, no BOM, a blank row in the
workbook) must still work and give the same figures.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[1]
BOM = "\ufeff"


def _copy_sample(folder: Path) -> Path:
    """config.yaml and inputs/ copied into `folder`; returns the config path."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "config.yaml", folder / "config.yaml")
    (folder / "inputs").mkdir()
    for name in ("episodes.csv", "interviews.xlsx", "commentary.md"):
        shutil.copy(ROOT / "inputs" / name, folder / "inputs" / name)
    return folder / "config.yaml"


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """One successful run of the untouched sample: (out folder, digests, input digests)."""
    base = tmp_path_factory.mktemp("baseline")
    config = _copy_sample(base / "sample")
    inputs_before = _digests(base / "sample" / "inputs")
    out = base / "out"
    assert main(["run", "--config", str(config), "--out", str(out)]) == 0
    # The extracts are only ever read.
    assert _digests(base / "sample" / "inputs") == inputs_before
    return out, _digests(out)


def _read_episodes(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def _write_episodes(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def _set_cell(path: Path, row: int, header: str, value: str) -> None:
    """Set one cell of the episodes CSV; `row` is the spreadsheet row (header = 1)."""
    rows = _read_episodes(path)
    rows[row - 1][rows[0].index(header)] = value
    _write_episodes(path, rows)


def _run_failing(tmp_path, baseline, capsys, expected_status: int) -> str:
    """Run into the baseline out folder; check status, no traceback, outputs untouched."""
    out, digests = baseline
    status = main(["run", "--config", str(tmp_path / "config.yaml"), "--out", str(out)])
    captured = capsys.readouterr()
    text = captured.err + captured.out
    assert status == expected_status, text
    assert "Traceback" not in text
    assert _digests(out) == digests
    # No half-written staging folder is left beside the out folder.
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".rhi-report-")]
    return captured.err


def _run_passing(tmp_path, capsys) -> Path:
    out = tmp_path / "out"
    status = main(["run", "--config", str(tmp_path / "config.yaml"), "--out", str(out)])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert "Traceback" not in captured.err + captured.out
    return out


def _same_figures(out: Path, baseline_out: Path) -> None:
    assert (out / "metrics.csv").read_bytes() == (baseline_out / "metrics.csv").read_bytes()


# --- manglings a run survives --------------------------------------------------------------------


def test_windows_1252_with_curly_quotes_still_works(tmp_path, baseline, capsys):
    config = _copy_sample(tmp_path)
    path = config.parent / "inputs" / "episodes.csv"
    rows = _read_episodes(path)
    curly = [[cell.replace("'", "\u2019") for cell in row] for row in rows]
    assert curly != rows  # "Residential Children's Home" now has a curly apostrophe
    _write_episodes(path, curly, encoding="cp1252")
    assert b"\x92" in path.read_bytes()  # the Windows-1252 byte for the curly apostrophe
    _same_figures(_run_passing(tmp_path, capsys), baseline[0])


def test_without_a_bom_still_works(tmp_path, baseline, capsys):
    config = _copy_sample(tmp_path)
    path = config.parent / "inputs" / "episodes.csv"
    raw = path.read_bytes()
    assert raw.startswith(BOM.encode("utf-8"))
    path.write_bytes(raw[len(BOM.encode("utf-8")) :])
    _same_figures(_run_passing(tmp_path, capsys), baseline[0])


def test_xlsx_with_a_blank_row_still_works_and_rows_are_right(tmp_path, baseline, capsys):
    config = _copy_sample(tmp_path)
    path = config.parent / "inputs" / "interviews.xlsx"
    book = load_workbook(path)
    book["RHI"].insert_rows(5)  # a blank spreadsheet row 5; rows 5 onward move down one
    book.save(path)
    out = _run_passing(tmp_path, capsys)
    _same_figures(out, baseline[0])

    # The sample's one unknown-episode RHI row (below row 5) moves down by the blank row.
    def orphan_row(folder: Path) -> int:
        with (folder / "data-quality.csv").open(encoding="utf-8", newline="") as handle:
            [row] = [r for r in csv.DictReader(handle) if r["rule"] == "rhi_unknown_episode"]
        return int(row["row"])

    before = orphan_row(baseline[0])
    assert before > 5
    assert orphan_row(out) == before + 1


# --- manglings that stop the run: exit 1 (the data) ---------------------------------------------


def test_unmapped_local_code(tmp_path, baseline, capsys):
    _copy_sample(tmp_path)
    _set_cell(tmp_path / "inputs" / "episodes.csv", 11, "Missing/Absent", "Absconded")
    err = _run_failing(tmp_path, baseline, capsys, 1)
    assert (
        "episodes.csv row 11, column 'Missing/Absent' (episode_type): 'Absconded' is not a "
        "known episode type; map it in the config under episodes: values: episode_type:"
    ) in err


def test_impossible_date(tmp_path, baseline, capsys):
    _copy_sample(tmp_path)
    _set_cell(tmp_path / "inputs" / "episodes.csv", 5, "Missing Start Date", "31/02/2026 10:00")
    err = _run_failing(tmp_path, baseline, capsys, 1)
    assert (
        "episodes.csv row 5, column 'Missing Start Date' (start): '31/02/2026 10:00' is not a "
        "real date (February 2026 has no day 31)"
    ) in err


def test_month_first_date(tmp_path, baseline, capsys):
    _copy_sample(tmp_path)
    _set_cell(tmp_path / "inputs" / "episodes.csv", 7, "Missing End Date", "13/25/2026 10:00")
    err = _run_failing(tmp_path, baseline, capsys, 1)
    assert (
        "episodes.csv row 7, column 'Missing End Date' (end): '13/25/2026 10:00' is not a real "
        "date (there is no month 25); enter it day first as dd/mm/yyyy hh:mm"
    ) in err


def test_duplicate_episode_id(tmp_path, baseline, capsys):
    _copy_sample(tmp_path)
    path = tmp_path / "inputs" / "episodes.csv"
    rows = _read_episodes(path)
    first_id = rows[2][0]  # spreadsheet row 3
    _set_cell(path, 6, "Episode ID", first_id)
    err = _run_failing(tmp_path, baseline, capsys, 1)
    assert (
        f"episodes.csv row 6, column 'Episode ID' (episode_id): '{first_id}' is also the "
        "episode ID of row 3"
    ) in err


def test_missing_column(tmp_path, baseline, capsys):
    _copy_sample(tmp_path)
    path = tmp_path / "inputs" / "episodes.csv"
    rows = _read_episodes(path)
    drop = rows[0].index("Legal Status")
    _write_episodes(path, [row[:drop] + row[drop + 1 :] for row in rows])
    err = _run_failing(tmp_path, baseline, capsys, 1)
    assert (
        "episodes.csv: has no column 'Legal Status', which the config maps to looked_after" in err
    )


def test_renamed_optional_column_is_not_silently_ignored(tmp_path, baseline, capsys):
    # Exceptions leave the timeliness measure: dropping the column unnoticed would change the
    # 72-hour rate, so a mapped header the file lacks stops the run with the closest header.
    _copy_sample(tmp_path)
    config = tmp_path / "config.yaml"
    text = config.read_text(encoding="utf-8").replace("Exception Agreed:", "Exceptions Agreed:")
    config.write_text(text, encoding="utf-8")
    err = _run_failing(tmp_path, baseline, capsys, 1)
    assert "has no column 'Exceptions Agreed', which the config maps to exception" in err
    assert "(it has 'Exception Agreed': is that it?)" in err


# --- manglings that stop the run: exit 2 (usage: config, files) ----------------------------------


def test_malformed_config_yaml(tmp_path, baseline, capsys):
    config = _copy_sample(tmp_path)
    config.write_text(config.read_text(encoding="utf-8") + "\nepisodes: [unclosed\n", "utf-8")
    err = _run_failing(tmp_path, baseline, capsys, 2)
    assert "config.yaml: the YAML is malformed" in err


def test_missing_file(tmp_path, baseline, capsys):
    _copy_sample(tmp_path)
    (tmp_path / "inputs" / "interviews.xlsx").unlink()
    err = _run_failing(tmp_path, baseline, capsys, 2)
    assert "interviews.xlsx: file not found" in err


# --- rhi-report validate -----------------------------------------------------------------------


def test_validate_prints_the_table_of_the_samples_two_warnings(tmp_path, capsys):
    config = _copy_sample(tmp_path)
    assert main(["validate", "--config", str(config)]) == 0
    lines = capsys.readouterr().out.splitlines()
    # The sample carries exactly two deliberate warnings (inputs/README.md).
    rows = [line.split()[:5] for line in lines if line.startswith("warning")]
    assert rows == [
        ["warning", "rhi_unknown_episode", "interviews.xlsx", "episode_id", "1"],
        ["warning", "end_before_start", "episodes.csv", "end", "1"],
    ]
