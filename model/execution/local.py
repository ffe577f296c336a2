"""Local worker processes, started safely (from a single-threaded fork server), never waited on.

Workers come from multiprocessing's fork server (`model.execution.fork_server`), never
from a fork of this process; `spawn` is used where there is no fork server. The
chunk function and its context are pickled once per map and unpickled once per worker
(`model.execution.workers`). With one worker (or one task) chunks run inline in this
process, which is what tests and small runs want.

Each worker has its own pipe and holds one task at a time, so a worker that dies (the
kernel's out-of-memory killer sends SIGKILL) is noticed at once by its process sentinel,
with the task it held: that task is retried once on a fresh worker, and a second loss is
a `WorkerLost` error naming the worker, its signal and the likely cause, never a hang
(`multiprocessing.Pool` waits forever for a task lost with its process). Workers ignore
Ctrl-C and die with their parent, so a killed command leaves neither processes nor
tracebacks behind.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import pickle
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any

from labelmarket.model.execution.faults import Loss, WorkerLost
from labelmarket.model.execution.fork_server import (
    default_workers,
    single_threaded_environment,
    start_fork_server,
    start_method,
    start_resource_tracker,
    without_main_script,
)
from labelmarket.model.execution.workers import serve

STOP_GRACE = 2.0  # seconds a finished worker has to exit before it is killed

log = logging.getLogger("labelmarket")


@dataclass
class _Worker:
    """One worker process, its end of the pipe, and the task it holds (None: idle)."""

    slot: int  # 1..N: which of the engine's workers it is (a replacement keeps the slot)
    process: Any
    conn: Any
    task: int | None = None


class _Crew:
    """The processes of one map: started, handed tasks, replaced when lost, stopped."""

    def __init__(self, size: int, payload: bytes):
        self.method = start_method()
        self.ctx = mp.get_context(self.method)
        self.payload = payload
        self.size = size
        start_resource_tracker()
        self.workers = [self.start(slot) for slot in range(1, size + 1)]

    def start(self, slot: int) -> _Worker:
        """A fresh worker process in `slot` (the fork server is started, or restarted, here)."""

        ours, theirs = self.ctx.Pipe(duplex=True)
        process = self.ctx.Process(target=serve, args=(theirs, self.payload), daemon=True)
        start_fork_server()
        with without_main_script(), single_threaded_environment():
            process.start()
        theirs.close()
        return _Worker(slot, process, ours)

    def replace(self, worker: _Worker) -> _Worker:
        """Start a fresh worker in a lost one's slot."""
        worker.conn.close()
        fresh = self.start(worker.slot)
        self.workers[self.workers.index(worker)] = fresh
        return fresh

    def stop(self, kill: bool) -> None:
        """Ask every worker to exit (or kill them all, after an error or Ctrl-C) and reap them."""
        for w in self.workers:
            if kill:
                w.process.kill()
            else:
                with contextlib.suppress(OSError):
                    w.conn.send(None)
        for w in self.workers:
            w.process.join(None if kill else STOP_GRACE)
            if w.process.is_alive():
                w.process.kill()
                w.process.join()
            w.conn.close()


class LocalEngine:
    """Local worker processes for one map at a time, from a fork server (never a fork)."""

    name = "local"

    def __init__(self, workers: int | None = None):
        self.workers = max(1, workers or default_workers())
        if self.workers > 1:  # its workers will be forked from it: let it get ready now
            with contextlib.suppress(OSError):  # a head start only: a map starts it for real
                start_fork_server()  # (a forked copy of a process that had one cannot reach it)

    def __repr__(self) -> str:
        """How reports and manifests name this engine."""
        return f"{self.workers} local worker process{'es' if self.workers > 1 else ''}"

    def map(self, fn: Callable[[Any, Any], Any], context: Any, tasks: Sequence[Any]) -> Iterator:
        """Run inline for one worker or one task, else on workers that live for this call."""
        if self.workers == 1 or len(tasks) <= 1:
            for index, task in enumerate(tasks):
                yield index, fn(context, task)
            return
        payload = pickle.dumps((fn, context), protocol=pickle.HIGHEST_PROTOCOL)
        crew = _Crew(min(self.workers, len(tasks)), payload)
        finished = False
        try:
            yield from _dispatch(crew, tasks)
            finished = True
        finally:
            crew.stop(kill=not finished)

    def close(self) -> None:
        """Nothing to release: workers end with each map (the fork server stays for the next)."""


def _dispatch(crew: _Crew, tasks: Sequence[Any]) -> Iterator[tuple[int, Any]]:
    """Hand tasks to idle workers; yield each result; retry a lost task once, then raise."""
    queue = deque(range(len(tasks)))
    losses: dict[int, Loss] = {}
    for worker in list(crew.workers):
        _hand(crew, worker, queue, tasks, losses)
    while busy := [w for w in crew.workers if w.task is not None]:
        ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy]))
        for worker in busy:
            if worker.conn not in ready and worker.process.sentinel not in ready:
                continue
            reply = _receive(worker)
            if reply is None:  # it died holding its task
                _lost(crew, worker, tasks, losses)
                continue
            index, ok, value = reply
            worker.task = None
            if not ok:
                raise value
            _hand(crew, worker, queue, tasks, losses)
            yield index, value
            del value, reply


def _hand(
    crew: _Crew, worker: _Worker, queue: deque, tasks: Sequence[Any], losses: dict[int, Loss]
) -> None:
    """Give an idle worker the next task, if any is left."""
    if queue and worker.task is None:
        worker.task = queue.popleft()
        _send(crew, worker, tasks, losses)


def _send(crew: _Crew, worker: _Worker, tasks: Sequence[Any], losses: dict[int, Loss]) -> None:
    """Send a worker its task; one that cannot take it (dead already) loses it."""
    try:
        worker.conn.send((worker.task, tasks[worker.task]))  # type: ignore[index]
    except OSError:
        worker.process.join(STOP_GRACE)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        _lost(crew, worker, tasks, losses)


def _receive(worker: _Worker) -> tuple[int, bool, Any] | None:
    """The worker's reply, or None when it died before sending one."""
    try:
        if worker.conn.poll():
            return worker.conn.recv()
    except (EOFError, OSError):
        pass
    worker.process.join()
    return None


def _lost(crew: _Crew, worker: _Worker, tasks: Sequence[Any], losses: dict[int, Loss]) -> None:
    """A worker died holding its task: give that task to a fresh worker, or raise if lost twice."""
    task = worker.task
    assert task is not None
    loss = Loss(worker.slot, crew.size, worker.process.pid, worker.process.exitcode)
    first = losses.get(task)
    if first is not None:
        raise WorkerLost(task, len(tasks), first, loss)
    losses[task] = loss
    log.warning(
        "%s while running chunk %d of %d; retrying that chunk on a fresh worker",
        loss.describe(), task + 1, len(tasks),
    )  # fmt: skip
    fresh = crew.replace(worker)
    fresh.task = task
    _send(crew, fresh, tasks, losses)
