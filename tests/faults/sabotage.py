"""Faults on demand: engines whose workers die, a Dask cluster whose scheduler is killed.

The wrappers are module-level classes so that they pickle into worker processes: each
receives `(index, task)` instead of `task` and breaks where it is told to.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from labelmarket.model.execution.local import LocalEngine

_CLUSTERS: dict[str, Any] = {}  # scheduler address -> its in-process LocalCluster
SERVER_LOGGERS = (
    "distributed.scheduler", "distributed.worker", "distributed.worker.state_machine",
    "distributed.nanny", "distributed.deploy",
)  # fmt: skip


@dataclass(frozen=True)
class KillWorker:
    """Run `fn`, except that the worker running task `index` kills itself with `signum`.

    With a `once` marker file it dies only the first time (the retry succeeds);
    without, every worker that takes the task dies.
    """

    fn: Callable[[Any, Any], Any]
    index: int
    signum: int = signal.SIGKILL
    once: Path | None = None

    def __call__(self, context: Any, item: tuple[int, Any]) -> Any:
        index, task = item
        if index == self.index and self._first():
            os.kill(os.getpid(), self.signum)
            time.sleep(5)  # a signal the worker ignores would let it go on
        return self.fn(context, task)

    def _first(self) -> bool:
        if self.once is None:
            return True
        try:
            os.close(os.open(self.once, os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return False
        return True


class SabotagedEngine(LocalEngine):
    """Local workers of which the one running task `index` is killed (once or always)."""

    def __init__(self, workers: int, index: int, once: Path | None = None, **kill: Any):
        super().__init__(workers)
        self.index, self.once, self.kill = index, once, kill

    def map(self, fn: Callable[[Any, Any], Any], context: Any, tasks: Any) -> Iterator:
        """The ordinary map over (index, task) items, with the sabotage wrapped around `fn`."""
        wrapped = KillWorker(fn, self.index, once=self.once, **self.kill)
        return super().map(wrapped, context, list(enumerate(tasks)))


@dataclass(frozen=True)
class KillScheduler:
    """Run `fn`; the task `index` first kills the scheduler of the in-process cluster."""

    fn: Callable[[Any, Any], Any]
    index: int
    address: str

    def __call__(self, context: Any, item: tuple[int, Any]) -> Any:
        index, task = item
        if index == self.index:
            cluster, killed = _CLUSTERS[self.address], threading.Event()
            cluster.loop.add_callback(_abort_scheduler, cluster.scheduler, killed)
            killed.wait(60)  # this task runs in a worker thread, the abort in the loop's
            time.sleep(0.5)  # the result will have nowhere to go
        return self.fn(context, task)


def _abort_scheduler(scheduler: Any, killed: threading.Event) -> None:
    """What kill -9 does to a scheduler, seen from the network: no listener, every comm cut."""
    try:
        for listener in scheduler.listeners:
            listener.stop()
        for comm in list(scheduler._comms):
            comm.abort()
        for stream in [*scheduler.client_comms.values(), *scheduler.stream_comms.values()]:
            stream.comm.abort()
    finally:
        killed.set()


@contextlib.contextmanager
def killable_cluster() -> Iterator[str]:
    """An in-process Dask cluster whose scheduler `KillScheduler` may kill: its address.

    The scheduler's and worker's own logs are silenced: a real cluster writes them to its
    own processes' stderr, not to the command's. The teardown tolerates a dead scheduler
    (connection attempts time out in 1 s).
    """
    distributed = pytest.importorskip("distributed")  # the cluster extra
    import dask

    server_side = [logging.getLogger(n) for n in SERVER_LOGGERS]
    levels = [log.level for log in server_side]
    for log in server_side:
        log.setLevel(logging.CRITICAL + 1)
    with (
        contextlib.ExitStack() as restore,
        dask.config.set({"distributed.comm.timeouts.connect": "1s"}),
    ):
        restore.callback(lambda: [g.setLevel(v) for g, v in zip(server_side, levels, strict=True)])
        cluster = distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, protocol="tcp",
            host="127.0.0.1", dashboard_address=None,
        )  # fmt: skip
        _CLUSTERS[cluster.scheduler_address] = cluster
        try:
            yield cluster.scheduler_address
        finally:
            _CLUSTERS.pop(cluster.scheduler_address, None)

            async def stop() -> None:
                await cluster.scheduler.close()
                for worker in cluster.workers.values():
                    await worker.close()

            with contextlib.suppress(Exception):
                cluster.sync(stop)
            with contextlib.suppress(Exception):
                cluster.close(timeout=2)
