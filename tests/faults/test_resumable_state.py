"""Damaged resumable state: reported, set aside, recomputed to a clean run's results.

A calibration checkpoint truncated, emptied or with bytes overwritten, and sweep parts
truncated or overwritten in the middle, used to stop `--resume` with a traceback
(BadZipFile, EOFError, Bad CRC-32; ArrowInvalid, "Couldn't deserialize thrift").
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from labelmarket.calibration.abc_smc import Abc, AbcState
from labelmarket.calibration.facts import load_ledger
from labelmarket.calibration.pipeline import prepare_checkpoint
from labelmarket.calibration.priors import FitSpec, load_fit_spec
from labelmarket.calibration.simulate import Simulator
from labelmarket.calibration.targets import load_targets
from labelmarket.model.execution.local import LocalEngine
from labelmarket.model.scenario.loading import load_scenario
from tests.support import HISTORICAL, ROOT, call_main, compiled


def truncate(path: Path) -> None:
    """Cut the file in half, as a full disk or a killed copy would."""
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def empty(path: Path) -> None:
    """Leave the file with nothing in it."""
    path.write_bytes(b"")


def overwrite_middle(path: Path) -> None:
    """Overwrite bytes in the middle of the file, as a bad sector or a stray write would."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = b"\xa5" * 64
    path.write_bytes(bytes(data))


@pytest.fixture(scope="module")
def fit() -> tuple[Abc, AbcState]:
    """A tiny two-parameter fit and its clean, uninterrupted result (two generations)."""
    scenario = load_scenario(HISTORICAL)
    world = compiled("historical.yaml")
    ledger = load_ledger(ROOT / "seeds")
    targets = [  # those measured in this one world (consequence targets need a second)
        t
        for t in load_targets(ROOT / "calibration" / "targets.yaml", ledger, scenario)
        if getattr(t, "fitted", True) and not getattr(t.spec, "counterfactual", False)
    ]
    declared = load_fit_spec(ROOT / "calibration" / "parameters.yaml", scenario, world)
    sub = FitSpec(declared.parameters[:2], declared.abc.model_copy(update={"population": 20}))
    settings = sub.abc.for_run(False, 300)
    abc = Abc(Simulator(world, sub, targets, LocalEngine(1)), settings, 7)
    return abc, abc.run(AbcState(config="tiny"))


@pytest.mark.parametrize("damage", [truncate, empty, overwrite_middle])
def test_a_damaged_checkpoint_is_set_aside_and_the_fit_redone_to_the_same_posterior(
    fit: tuple[Abc, AbcState], damage, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    abc, clean = fit
    abc.checkpoint = tmp_path / "checkpoint.npz"
    Abc.run(abc, AbcState(config="tiny"))  # writes the checkpoint of the finished fit
    abc.checkpoint = None
    damage(tmp_path / "checkpoint.npz")
    with caplog.at_level(logging.WARNING, logger="labelmarket"):
        state = prepare_checkpoint(tmp_path, "tiny", resume=True)
    assert state.populations == [] and state.runs == 0  # from generation 0
    assert not (tmp_path / "checkpoint.npz").exists()
    assert (tmp_path / "checkpoint.npz.damaged").is_file()
    [warning] = [r.getMessage() for r in caplog.records]
    assert f"{tmp_path / 'checkpoint.npz'} is damaged (" in warning
    assert "starts again from generation 0" in warning
    if damage is truncate:  # one full redo is enough to show it lands where a clean fit does
        redone = abc.run(state)
        assert redone.runs == clean.runs and redone.stop_reason == clean.stop_reason
        for a, b in zip(clean.populations, redone.populations, strict=True):
            np.testing.assert_array_equal(a.theta, b.theta)
            np.testing.assert_array_equal(a.weights, b.weights)


def test_damaged_sweep_parts_are_set_aside_and_their_runs_run_again(
    clean_sweep: tuple[Path, pd.DataFrame], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, expected = clean_sweep
    out = tmp_path / "s"
    args = ["sweep", str(path), "--out", str(out), "-w", "1", "--no-charts", "--chunk-size", "1"]
    code, _, err = call_main([*args, "--limit", "3"], capsys)
    assert code == 0, err
    parts = sorted((out / "parts").glob("part-*.parquet"))
    assert len(parts) == 3
    truncate(parts[0])
    overwrite_middle(parts[2])
    code, _, err = call_main([*args, "--resume"], capsys)
    assert code == 0, err
    assert "Traceback" not in err
    damaged = [line for line in err.splitlines() if "is damaged" in line]
    assert len(damaged) == 2 and all("its runs will be run again" in d for d in damaged)
    assert sorted(p.name for p in (out / "parts").glob("*.damaged")) == [
        parts[0].name + ".damaged",
        parts[2].name + ".damaged",
    ]
    results = pd.read_parquet(out / "results.parquet")
    pd.testing.assert_frame_equal(results, expected, check_exact=True)
    shutil.rmtree(out)
