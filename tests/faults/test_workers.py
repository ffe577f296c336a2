"""A local worker killed as the out-of-memory killer would: retried once, then one message.

`multiprocessing.Pool` waited forever for a task lost with its process; now a lost task
is run again on a fresh worker (the results equal a clean run's), and a task lost twice
ends the command with exit code 1, naming the worker, its signal and the likely cause,
and leaving nothing behind.
"""

from __future__ import annotations

import logging
import signal
from pathlib import Path

import numpy as np
import pytest

from labelmarket.api import run as run_api  # the job the command calls starts its engine
from labelmarket.model.execution.faults import WorkerLost
from labelmarket.model.execution.local import LocalEngine
from labelmarket.model.execution.replicates import run_replicates
from labelmarket.model.execution.seeds import replicate_seeds
from tests.faults.sabotage import SabotagedEngine
from tests.support import HISTORICAL, assert_nothing_written, call_main, compiled


def test_a_worker_killed_once_is_replaced_and_the_results_equal_a_clean_run(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    world = compiled("historical.yaml")
    seeds = replicate_seeds(3, 8)  # 8 chunks of one replicate on two workers
    clean = run_replicates(world, seeds, LocalEngine(1))
    sabotaged = SabotagedEngine(2, index=5, once=tmp_path / "killed")
    with caplog.at_level(logging.WARNING, logger="labelmarket"):
        survived = run_replicates(world, seeds, sabotaged)
    assert (tmp_path / "killed").exists(), "the sabotage never fired"
    [warning] = [r.getMessage() for r in caplog.records]
    assert "killed by SIGKILL (likely out of memory) while running chunk 6 of 8" in warning
    assert "retrying that chunk on a fresh worker" in warning
    for key, values in clean.history.items():
        np.testing.assert_array_equal(survived.history[key], values, err_msg=key)


def test_a_task_that_kills_every_worker_it_meets_is_reported_not_waited_for() -> None:
    world = compiled("historical.yaml")
    with pytest.raises(WorkerLost) as lost:
        run_replicates(world, replicate_seeds(3, 4), SabotagedEngine(2, index=2))
    message = str(lost.value)
    assert "chunk 3 of 4" in message and "of 2 (pid " in message
    assert "killed by SIGKILL (likely out of memory)" in message
    assert "retried once on a fresh worker" in message and "fewer `workers=`" in message
    # another signal names itself, without the out-of-memory hint
    with pytest.raises(WorkerLost, match="killed by SIGTERM") as lost:
        run_replicates(world, replicate_seeds(3, 4), SabotagedEngine(2, 1, signum=signal.SIGTERM))
    assert "out of memory" not in str(lost.value)


def test_run_with_a_worker_lost_twice_exits_1_with_one_message_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run_api, "make_engine", lambda *a: SabotagedEngine(2, index=1))
    out = tmp_path / "r"
    args = ["run", str(HISTORICAL), "-n", "4", "--no-charts", "--out", str(out)]
    code, _, err = call_main(args, capsys)
    assert code == 1, err
    assert "Traceback" not in err
    [message] = [line for line in err.splitlines() if line.startswith("labelmarket:")]
    assert "worker" in message and "SIGKILL (likely out of memory)" in message
    assert message.endswith(f"nothing was written to {out}")
    assert_nothing_written(out)
