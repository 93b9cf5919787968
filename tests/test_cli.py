"""The command line's usage errors: one plain sentence, exit status 2, no traceback."""

from pathlib import Path

import pytest

from pipeline.cli import main


def _err(capsys) -> str:
    return capsys.readouterr().err


def test_unknown_subcommand_is_exit_2(capsys):
    assert main(["publish"]) == 2
    err = _err(capsys)
    assert "Traceback" not in err
    assert "rhi-report" in err


def test_bad_as_at_date_is_exit_2(capsys, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("{}\n")
    assert main(["run", "--config", str(config), "--as-at", "14/07/2026"]) == 2
    assert "--as-at '14/07/2026' is not a date in the form YYYY-MM-DD" in _err(capsys)


def test_bad_audience_is_exit_2(capsys):
    assert main(["run", "--audience", "everyone"]) == 2
    assert "invalid choice" in _err(capsys)


def test_typo_in_config_is_exit_2(capsys, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("supress_below: 10\n")
    assert main(["validate", "--config", str(config)]) == 2
    err = _err(capsys)
    assert "unknown key 'supress_below'. Did you mean 'suppress_below'?" in err
    assert "Traceback" not in err


def test_missing_config_is_exit_2(capsys, tmp_path):
    assert main(["validate", "--config", str(tmp_path / "absent.yaml")]) == 2
    assert "config file not found" in _err(capsys)


def test_empty_config_without_extract_paths_says_what_to_give(capsys, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("{}\n")
    assert main(["validate", "--config", str(config)]) == 2
    assert f"{config}: No episodes extract was given" in _err(capsys)


def test_missing_extract_is_exit_2(capsys, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("{}\n")
    code = main(
        [
            "validate",
            "--config",
            str(config),
            "--episodes",
            str(tmp_path / "e.csv"),
            "--interviews",
            str(tmp_path / "i.csv"),
        ]
    )
    assert code == 2
    assert "file not found" in _err(capsys)


def test_help_exits_0(capsys):
    assert main(["run", "--help"]) == 0
    assert "--quarter" in capsys.readouterr().out


@pytest.mark.parametrize("module", ["pipeline"])
def test_python_dash_m_is_the_same_program(module):
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", module, "--help"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
    )
    assert done.returncode == 0
    assert "validate" in done.stdout


def test_the_program_flushes_its_output_and_keeps_the_exit_status(tmp_path):
    # `program` ends the process at once (no interpreter teardown): whatever main printed
    # must still arrive whole through a pipe, with main's exit status.
    import subprocess
    import sys

    root = Path(__file__).parent.parent
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "validate"], capture_output=True, text=True, cwd=root
    )
    assert done.returncode == 0
    assert done.stdout.rstrip().splitlines()[-1].startswith("Validation passed")
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "run",
            "--quarter",
            "2030-31-Q9",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=root,
    )
    assert bad.returncode == 2
    assert bad.stderr == (
        "--quarter '2030-31-Q9' is not a financial quarter; write it like 2026-27-Q1.\n"
    )


def test_the_program_keeps_its_status_when_its_output_has_nowhere_to_go():
    # Standard output closed (`rhi-report validate >&-`): nothing to flush, status kept.
    import os
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "validate"],
        capture_output=False,
        stderr=subprocess.PIPE,
        cwd=Path(__file__).parent.parent,
        preexec_fn=lambda: os.close(1),
    )
    assert done.returncode == 0
    assert b"Traceback" not in done.stderr


def _canonical_extracts(tmp_path: Path, rhi_id: str) -> list[str]:
    """A config and two small canonical extracts; the flags that name them."""
    (tmp_path / "config.yaml").write_text("{}\n")
    (tmp_path / "e.csv").write_text(
        "episode_id,child_id,start,end,looked_after\nE1,C1,03/04/2026 10:00,04/04/2026 10:00,no\n",
        encoding="utf-8",
    )
    (tmp_path / "i.csv").write_text(
        f"episode_id,outcome\nE1,declined\n{rhi_id},declined\n", encoding="utf-8"
    )
    return [
        "--config",
        str(tmp_path / "config.yaml"),
        "--episodes",
        str(tmp_path / "e.csv"),
        "--interviews",
        str(tmp_path / "i.csv"),
    ]


def test_messages_print_on_a_terminal_that_is_not_utf8(tmp_path):
    # A warning naming the episode 'Élan-1' on an ASCII terminal: once a traceback
    # (UnicodeEncodeError); now the letter is escaped and the run's status stands.
    import os
    import subprocess
    import sys

    flags = _canonical_extracts(tmp_path, "Élan-1")
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "LC_ALL": "C"}
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "validate", *flags],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).parent.parent,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "episode '\\xc9lan-1' is not in e.csv" in done.stdout


def test_a_fifo_as_the_commentary_is_one_sentence(tmp_path, capsys):
    import os

    flags = _canonical_extracts(tmp_path, "E1")
    os.mkfifo(tmp_path / "commentary.md")
    (tmp_path / "config.yaml").write_text("commentary: commentary.md\n")
    assert main(["run", *flags, "--out", str(tmp_path / "out")]) == 2
    assert "the commentary file is a named pipe (FIFO)" in _err(capsys)
    assert not (tmp_path / "out").exists()
