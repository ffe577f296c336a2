"""A Dask scheduler killed while runs are out: a bounded wait, one message, exit code 1.

The client cancels every future when its connection drops, and `as_completed` then
waited forever; Ctrl-C failed in the cleanup with ClosedClientError and a flood of
tornado tracebacks. The scheduler here is an in-process one whose listener and comms
are cut, which is what its clients see of a `kill -9`.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from labelmarket.api import run as run_api  # the job the command calls starts its engine
from labelmarket.model.execution.cluster import DaskEngine
from labelmarket.model.results.stream import RunWriter
from tests.faults.sabotage import KillScheduler, killable_cluster
from tests.support import HISTORICAL, assert_nothing_written, call_main


class SchedulerKillingEngine(DaskEngine):
    """The cluster engine, whose task `index` kills the scheduler."""

    index = 1

    def map(self, fn: Any, context: Any, tasks: Any) -> Any:
        """The ordinary map over (index, task) items, the sabotage wrapped around `fn`."""
        wrapped = KillScheduler(fn, self.index, self.address)
        return super().map(wrapped, context, list(enumerate(tasks)))


def test_ctrl_c_then_a_killed_scheduler_end_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["run", str(HISTORICAL), "-n", "8", "--no-charts", "--scheduler"]
    with killable_cluster() as address:
        add = RunWriter.add

        def interrupt(self: RunWriter, part: Any) -> None:
            add(self, part)
            raise KeyboardInterrupt  # Ctrl-C while chunks are still out on the cluster

        monkeypatch.setattr(RunWriter, "add", interrupt)
        code, _, err = call_main([*args, address, "--out", str(tmp_path / "a")], capsys)
        assert code == 130 and "interrupted; nothing was written" in err, err
        assert "Traceback" not in err and "ClosedClientError" not in err, err
        assert_nothing_written(tmp_path / "a")
        monkeypatch.undo()

        monkeypatch.setattr(run_api, "make_engine", lambda w, s: SchedulerKillingEngine(s))
        started = time.monotonic()
        code, _, err = call_main([*args, address, "--out", str(tmp_path / "b")], capsys)
        waited = time.monotonic() - started
    assert code == 1, err
    assert "Traceback" not in err and "CommClosedError" not in err, err
    [message] = [line for line in err.splitlines() if line.startswith("labelmarket:")]
    assert f"lost the Dask scheduler at {address}" in message
    assert message.endswith(f"nothing was written to {tmp_path / 'b'}")
    assert waited < 30, f"took {waited:.1f} s"
    assert_nothing_written(tmp_path / "b")
