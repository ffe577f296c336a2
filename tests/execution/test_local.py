"""Local workers: started from a single-threaded fork server (never a fork of this process),
the same numbers on any number of workers, and no leftovers when the command is killed."""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pytest

from labelmarket.model.execution import local
from labelmarket.model.execution.local import LocalEngine
from labelmarket.model.execution.replicates import run_replicates
from labelmarket.model.execution.seeds import replicate_seeds
from tests.support import compiled

LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def _threads(pid: int) -> int:
    """Threads of a process, as Linux counts them (BLAS pools included)."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("Threads:")[1].split()[0])


@LINUX
def test_workers_come_from_a_single_threaded_fork_server() -> None:
    from multiprocessing import forkserver

    world = compiled("historical.yaml")
    seeds = replicate_seeds(5, 12)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)  # 3.12: "use of fork() may deadlock"
        two = run_replicates(world, seeds, LocalEngine(2))
    assert local.start_method() == "forkserver"
    assert _threads(forkserver._forkserver._forkserver_pid) == 1
    one = run_replicates(world, seeds, LocalEngine(1))
    for key, values in one.history.items():
        assert np.array_equal(values, two.history[key], equal_nan=True), key


def test_a_script_without_a_main_guard_runs_once(tmp_path: Path) -> None:
    script = tmp_path / "script.py"
    script.write_text(
        "import labelmarket as lm\n"
        "print('started')\n"
        "print(lm.run('historical', replicates=8, seed=1, workers=2).summary.shape)\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("started") == 1
    assert "Traceback" not in proc.stderr


@LINUX
def test_killing_the_command_leaves_no_worker_and_no_traceback(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "labelmarket", "run", "historical", "-n", "20000", "-w", "2"]
    proc = subprocess.Popen(
        [*command, "--no-charts"], cwd=tmp_path, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline:  # the fork server's children
        time.sleep(0.2)
        workers = _descendants(proc.pid) - _descendants(proc.pid, depth=1)
    assert workers, "no worker started"
    time.sleep(0.5)  # let them compute
    os.kill(proc.pid, signal.SIGKILL)
    _, err = proc.communicate(timeout=60)  # returns once every process holding stderr is gone
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert "leaked" not in err, err  # the resource tracker cleans up without a warning
    assert not [pid for pid in workers if _alive(pid)]


def _alive(pid: int) -> bool:
    """A process still running (not gone, not a zombie waiting to be reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _descendants(pid: int, depth: int = 99) -> set[int]:
    """Processes below `pid`, down to `depth` generations (the fork server, its workers)."""
    out = subprocess.run(["ps", "-e", "-o", "pid=,ppid="], capture_output=True, text=True)
    parents = {int(c): int(p) for c, p in (line.split() for line in out.stdout.splitlines())}
    found: set[int] = set()
    level = {pid}
    for _ in range(depth):
        level = {c for c, p in parents.items() if p in level}
        if not level:
            break
        found |= level
    return found


def _fails_on_two(context: object, task: int) -> int:
    """A chunk function whose task 2 raises, as a bug in a chunk would."""
    if task == 2:
        raise ValueError(f"task {task} is bad")
    return task


def test_a_chunk_that_raises_in_a_worker_raises_the_same_error_here() -> None:
    """The worker's own exception, with its traceback as the cause; the workers are gone."""
    engine = LocalEngine(2)
    with pytest.raises(ValueError, match="task 2 is bad") as raised:
        list(engine.map(_fails_on_two, None, list(range(6))))
    assert "_fails_on_two" in str(raised.value.__cause__)  # the worker's traceback, as text
    assert sorted(r for _, r in engine.map(_fails_on_two, None, [0, 1, 3, 4])) == [0, 1, 3, 4]


@pytest.mark.parametrize(
    ("argv", "started"),
    [
        (["run", "historical", "-n", "1000"], True),
        (["run", "historical", "-n", "2", "-w", "2"], True),
        (["sweep", "some.yaml"], True),
        (["calibrate"], True),
        (["run", "historical", "-n", "1"], False),
        (["run", "historical", "-n", "1000", "-w", "1"], False),
        (["run", "historical", "--scheduler", "tcp://host:8786"], False),
        (["validate", "historical"], False),
    ],
)
def test_a_command_on_local_workers_starts_their_fork_server_first(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], started: bool
) -> None:
    """The server preloads while the command imports; a command needing no worker starts none."""
    from labelmarket.model.execution import fork_server

    main = importlib.import_module("labelmarket.cli.main")  # the module (`cli.main` is a function)

    calls: list[bool] = []
    monkeypatch.setattr(fork_server, "start_fork_server", lambda: calls.append(True))
    monkeypatch.setattr(fork_server, "default_workers", lambda: 2)
    main._head_start_workers(main.build_parser(argv[0]).parse_args(argv))
    assert bool(calls) == started
