"""Command-line limits (every count has a ceiling), sweep-file limits, and what Ctrl-C
during `calibrate` says and keeps."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from labelmarket.cli.arguments import MAX_REPLICATES, MAX_SEED, MAX_WORKERS
from tests.support import HISTORICAL, SCENARIOS, assert_bad_input, call_main

RUN = ["run", str(HISTORICAL), "--no-charts"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ([*RUN, "--replicates", "99999999999999999999999"], "at most 1,000,000"),
        ([*RUN, "--replicates", str(MAX_REPLICATES + 1)], "at most 1,000,000"),
        ([*RUN, "-n", "1e308"], "at most"),
        ([*RUN, "-n", "1e999"], "expected a whole number"),
        ([*RUN, "-n", "9" * 5000], "expected a whole number from 1 to 1,000,000"),
        ([*RUN, "--seed", str(MAX_SEED + 1)], "at most"),
        ([*RUN, "--workers", str(MAX_WORKERS + 1)], "at most 1,024"),
        ([*RUN, "--replicates=--"], "expected a value, got '--'"),
        ([*RUN, "--set=--"], "expected a value, got '--'"),
        (["compare", "-n", "0", str(HISTORICAL), str(HISTORICAL)], "at least 1"),
        (["compare", "-n", "2000000", str(HISTORICAL), str(HISTORICAL)], "at most"),
        (["sweep", "x.yaml", "--limit", "1e30"], "at most 10,000,000"),
        (["sweep", "x.yaml", "--chunk-size", "0"], "at least 1"),
        (["calibrate", "--budget", "99"], "at least 100"),
        (["calibrate", "--budget", "1e10"], "at most 1,000,000,000"),
    ],
)
def test_counts_have_a_ceiling(
    args: list[str],
    words: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Refused by argparse itself, before any file is read: exit code 2, one line."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as caught:
        call_main(args, capsys)
    err = capsys.readouterr().err
    assert caught.value.code == 2 and words in err and "Traceback" not in err, err
    assert list(tmp_path.iterdir()) == []


def _sweep(folder: Path, **changes: object) -> Path:
    data = {
        "name": "tiny",
        "scenario": os.path.relpath(SCENARIOS / "historical.yaml", folder),
        "design": "lhs",
        "points": 2,
        "parameters": [{"path": "market.founder_exposure", "range": [0, 0.5]}],
        "outcomes": [{"metric": "hhi"}],
        **changes,
    }
    path = folder / "sweep.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"name": ".."}, "'..' is not a usable name"),
        ({"name": "a/b"}, "is not a usable name"),
        ({"seed": 2**63}, "less than or equal to 9223372036854775807"),
        ({"max_runs": 10**8}, "less than or equal to 10000000"),
        ({"points": 10**12}, "less than or equal to 10000000"),
        ({"scenario": str(SCENARIOS / "historical.yaml")}, "is absolute"),
        ({"scenario": "../../../../etc/passwd"}, "not a .yaml or .yml file"),
        ({"baseline": "/etc/x.yaml"}, "baseline: '/etc/x.yaml' is absolute"),
        (
            {"parameters": [{"path": "market.founder_exposure", "range": [0, float("nan")]}]},
            "finite number",
        ),
    ],
)
def test_sweep_file_limits(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    changes: dict,
    words: str,
) -> None:
    """A sweep named `..` with no runs/ folder used to delete runs/ itself; now refused."""
    (tmp_path / "runs").mkdir()
    (tmp_path / "runs" / "keep.txt").write_text("mine")
    monkeypatch.chdir(tmp_path)
    code, _, err = call_main(["sweep", str(_sweep(tmp_path, **changes))], capsys)
    assert_bad_input(code, err, words)
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == ["keep.txt"]


def test_sweep_seed_that_is_no_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _sweep(tmp_path)
    path.write_text(path.read_text() + "seed: 2024-02-30\n", encoding="utf-8")
    code, _, err = call_main(["sweep", str(path)], capsys)
    assert_bad_input(code, err, "'2024-02-30' is not a real date")


def _interrupt_calibration(monkeypatch: pytest.MonkeyPatch, checkpoint: bool) -> None:
    """Make the fit stop as Ctrl-C would, after its first generation or before it."""
    from labelmarket.api import fitting

    def interrupted(job, problem, scenario_out):
        job.out.mkdir(parents=True, exist_ok=True)
        if checkpoint:
            (job.out / "checkpoint.npz").write_bytes(b"generation 0")
        raise KeyboardInterrupt

    monkeypatch.setattr(fitting, "calibrate", interrupted)


def test_ctrl_c_after_a_checkpoint_says_how_to_resume(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _interrupt_calibration(monkeypatch, checkpoint=True)
    out = tmp_path / "cal"
    code, _, err = call_main(["calibrate", "--quick", "--out", str(out)], capsys)
    assert code == 130
    assert f"kept in {out}/checkpoint.npz" in err and "--resume" in err
    assert "nothing was written" not in err
    assert (out / "checkpoint.npz").is_file()


def test_ctrl_c_before_a_checkpoint_keeps_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _interrupt_calibration(monkeypatch, checkpoint=False)
    out = tmp_path / "cal"
    code, _, err = call_main(["calibrate", "--quick", "--out", str(out)], capsys)
    assert code == 130 and "before the first generation finished; nothing was kept" in err
    assert not out.exists()


def test_leave_one_out_killed_before_a_checkpoint_resumes_afresh(tmp_path: Path) -> None:
    """Its output holds only an empty holdout folder: --resume takes it, as sweep would."""
    from labelmarket.api.fitting import claim, interrupted

    out = tmp_path / "loo"
    (out / "holdout-scale_founded_year").mkdir(parents=True)
    claim(out, resume=True, force=False)  # no error: an interrupted leave-one-out of ours
    message = interrupted(out, "labelmarket calibrate --leave-one-out", existed=False)
    assert message.endswith("nothing was kept") and not out.exists()
