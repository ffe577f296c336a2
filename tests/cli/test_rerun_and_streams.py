"""A command can be run again, and says only its results on stdout.

The default folder under `runs/` is replaced by the next run (it holds an earlier
labelmarket output); a folder named with `--out` is kept unless `--force`; everything
that is not a result (the time taken, what was written) goes to stderr.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import assert_bad_input, call_main

RUN = ["run", "no_deal", "-n", "2", "-w", "1", "--no-charts"]


def test_the_default_folder_is_replaced_an_explicit_one_needs_force(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for _ in range(2):
        code, _, err = call_main(RUN, capsys)
        assert code == 0, err
    assert (tmp_path / "runs" / "no_deal" / "manifest.json").is_file()
    assert call_main([*RUN, "--out", "mine"], capsys)[0] == 0
    code, _, err = call_main([*RUN, "--out", "mine"], capsys)
    assert_bad_input(code, err, "mine: folder is not empty", "--force")
    assert call_main([*RUN, "--out", "mine", "--force"], capsys)[0] == 0
    (tmp_path / "runs" / "no_deal" / "manifest.json").unlink()  # not ours any more
    code, _, err = call_main(RUN, capsys)
    assert_bad_input(code, err, "runs/no_deal: folder is not empty")


def test_stdout_holds_the_results_stderr_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = call_main(RUN, capsys)
    assert code == 0, err
    assert "Scale AI" in out and "revenue" in out  # the summary table
    assert "time:" not in out and "wrote" not in out
    assert "time:" in err and "wrote runs/no_deal/" in err
    code, out, err = call_main(["-q", *RUN], capsys)
    assert code == 0 and "Scale AI" in out and err == ""


def test_help_says_which_folder_is_replaced(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        call_main(["run", "--help"], capsys)
    text = " ".join(capsys.readouterr().out.split())
    assert "runs/<scenario name>, replaced by each new run" in text
    assert "replace an earlier labelmarket output in an explicit --out" in text
