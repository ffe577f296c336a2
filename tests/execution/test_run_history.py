"""A run kept in memory records into one history: the same numbers as a single batch,
whether its chunks run here, on worker processes through shared memory, or (with no room
in shared memory) send their histories back; and no block is left in /dev/shm."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from labelmarket.model.core.record import RECORDS, History
from labelmarket.model.drivers.batched import RunResult, run_batch
from labelmarket.model.execution import replicates, run_history
from labelmarket.model.execution.local import LocalEngine
from labelmarket.model.execution.replicates import run_replicates
from labelmarket.model.execution.seeds import replicate_seeds
from tests.support import compiled

LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /dev/shm")


def _same(a: RunResult, b: RunResult) -> None:
    """Two results agree to the bit, every recorded quantity and defection."""
    assert set(a.history) == set(b.history)
    for key, values in b.history.items():
        assert np.array_equal(a.history[key], values, equal_nan=True), key
    for key, values in b.defections.items():
        assert np.array_equal(a.defections[key], values), key
    assert np.array_equal(a.seeds, b.seeds)


def _blocks() -> set[str]:
    """Shared-memory blocks Python made (their names start with psm_)."""
    return {p.name for p in Path(run_history.SHM_FOLDER).glob("psm_*")}


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[run_history.SharedHistory]:
    """Every block a run makes, as it makes it."""
    made: list[run_history.SharedHistory] = []
    original = run_history.SharedHistory.__init__

    def spy(self: run_history.SharedHistory, layout: run_history.Layout) -> None:
        original(self, layout)
        made.append(self)

    monkeypatch.setattr(run_history.SharedHistory, "__init__", spy)
    return made


@pytest.mark.parametrize("workers", [1, 2])
def test_a_run_recorded_in_one_history_is_one_batch(workers: int) -> None:
    world = compiled("historical.yaml")
    seeds = replicate_seeds(3, 40)  # several chunks on either engine
    _same(run_replicates(world, seeds, LocalEngine(workers)), run_batch(world, seeds))


@LINUX
def test_workers_record_through_shared_memory_and_leave_no_block(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = compiled("historical.yaml")
    seeds = replicate_seeds(4, 24)
    made = _spy(monkeypatch)
    result = run_replicates(world, seeds, LocalEngine(2))
    assert len(made) == 1, "the workers did not record into shared memory"
    assert not Path(made[0].path).exists()
    _same(result, run_batch(world, seeds))
    assert float(result.history["revenue"].sum()) > 0  # the mapping outlives the block's name


@LINUX
def test_a_process_forked_later_does_not_share_the_history(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The run's history is this process's own: a child forked after it writes its copy."""
    made = _spy(monkeypatch)
    result = run_replicates(compiled("historical.yaml"), replicate_seeds(4, 24), LocalEngine(2))
    assert len(made) == 1
    cash = result.history["cash"]
    kept = float(cash[5, 3, 0])
    child = os.fork()
    if child == 0:  # pragma: no cover - the child
        cash[5, 3, 0] = -1.0
        os._exit(0)
    os.waitpid(child, 0)
    assert float(cash[5, 3, 0]) == kept


@LINUX
def test_a_failed_run_leaves_no_block(monkeypatch: pytest.MonkeyPatch) -> None:
    world = compiled("historical.yaml")
    made = _spy(monkeypatch)

    def broken(*args: object) -> RunResult:
        raise RuntimeError("a chunk failed")

    monkeypatch.setattr(replicates, "_recorded", broken)
    with pytest.raises(RuntimeError):
        run_replicates(world, replicate_seeds(5, 24), LocalEngine(2))
    assert len(made) == 1 and not Path(made[0].path).exists()


def test_without_room_in_shared_memory_histories_come_back_by_pipe(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(replicates, "has_room", lambda size: False)
    monkeypatch.setattr(run_history, "SharedHistory", None)  # would fail if used
    world = compiled("historical.yaml")
    seeds = replicate_seeds(6, 24)
    _same(run_replicates(world, seeds, LocalEngine(2)), run_batch(world, seeds))


@LINUX
def test_a_block_whose_room_cannot_be_taken_is_dropped_for_the_pipe(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """/dev/shm filling up between the check and the block: its room is taken at once, and
    a full one sends the run back to the pipe, leaving no block."""

    def full(fd: int, offset: int, size: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(run_history.os, "posix_fallocate", full)
    made = _spy(monkeypatch)
    world = compiled("historical.yaml")
    seeds = replicate_seeds(7, 24)
    _same(run_replicates(world, seeds, LocalEngine(2)), run_batch(world, seeds))
    assert len(made) == 1 and not Path(made[0].path).exists()


@pytest.mark.parametrize("record", RECORDS)
def test_the_block_holds_a_history_of_every_record_mode(record: str) -> None:
    layout = run_history.history_layout(5, 7, 3, 2, record)
    empty = History.empty(5, 7, 3, 2, record)
    for name, shape, dtype, offset in layout:
        array = getattr(empty, name)
        assert array.shape == shape and array.dtype == dtype and offset % run_history.ALIGN == 0
    named = {name for name, *_ in layout}
    assert named == {n for n in run_history.ARRAYS if getattr(empty, n) is not None}
    last = layout[-1]
    assert run_history.layout_bytes(layout) == last[3] + empty.__dict__[last[0]].nbytes


@LINUX
def test_a_killed_run_leaves_no_block_and_no_warning(tmp_path: Path) -> None:
    """multiprocessing's resource tracker removes the block of a process killed mid-run,
    quietly (it is expected then)."""
    world = compiled("historical.yaml")
    layout = run_history.history_layout(world.months, 8_000, world.n_clients, world.n_vendors,
                                        "full")  # fmt: skip
    if not run_history.has_room(run_history.layout_bytes(layout)):
        pytest.skip("/dev/shm too small for the run's block: it would go by pipe")
    code = "import labelmarket as lm\nlm.run('historical', replicates=8_000, workers=2)\n"
    before = _blocks()
    proc = subprocess.Popen(
        [sys.executable, "-c", code], cwd=tmp_path, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while not (new := _blocks() - before) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert new, "the run made no block"
    time.sleep(0.2)  # the workers are recording into it
    proc.kill()
    _, err = proc.communicate(timeout=60)
    deadline = time.monotonic() + 10
    while new & _blocks() and time.monotonic() < deadline:  # the tracker sees us gone
        time.sleep(0.1)
    assert not new & _blocks()
    assert "leaked" not in err and "Traceback" not in err, err
