"""What the command says on stderr: -v/-q anywhere, progress as log lines off a terminal,
and each warning once, as one line."""

from __future__ import annotations

import io
import logging
import warnings
from pathlib import Path

import numpy as np
import pytest

from labelmarket.api import progress
from labelmarket.cli import logs
from tests.support import call_main, run_cli


@pytest.mark.parametrize(
    ("argv", "expected"),
    [([], logging.INFO), (["-v"], logging.DEBUG), (["-q"], logging.WARNING), (["-qq"], 40)],
)
def test_verbosity_before_or_after_the_command(
    argv: list[str], expected: int, capsys: pytest.CaptureFixture[str]
) -> None:
    for args in ([*argv, "validate", "historical"], ["validate", "historical", *argv]):
        code, out, _ = call_main(args, capsys)
        assert code == 0 and "OK: 'historical'" in out
        assert logging.getLogger("labelmarket").level == expected


def test_progress_is_logged_when_stderr_is_not_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "LOG_EVERY", 0.0)
    argv = ["run", "historical", "-n", "30", "-w", "1", "--no-charts", "-o"]
    code, _, err = call_main([*argv, str(tmp_path / "a")], capsys)
    assert code == 0
    lines = [line for line in err.splitlines() if "INFO simulating and writing:" in line]
    assert lines and lines[-1].endswith(tuple(f"{n} s" for n in range(100)))
    assert "30/30 replicate (100%)" in lines[-1]
    assert "\r" not in err  # no terminal bar written into a log
    code, _, err = call_main([*argv, str(tmp_path / "b"), "-q"], capsys)
    assert code == 0 and err == ""


def test_a_warning_becomes_one_line_naming_its_library() -> None:
    stream = io.StringIO()
    with warnings.catch_warnings():
        logs.configure(logging.INFO, stream)
        logs._SEEN.clear()
        for _ in range(3):
            np.mean(np.array([]))  # two numpy warnings, three times each
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2, lines
    assert "invalid value encountered" in lines[1]
    assert "WARNING numpy RuntimeWarning: Mean of empty slice" in lines[0]


def test_the_command_line_stays_quiet_on_a_normal_run(tmp_path: Path) -> None:
    proc = run_cli(["run", "no_deal", "-n", "4", "-w", "2", "-o", "out"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Warning" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
