"""Where chunks of runs execute: local worker processes or a Dask distributed cluster.

Both engines call the same chunk function, `fn(context, task)`: the context (the compiled
world, the parameters, the outcomes) goes to each worker once, and each task is a small
description of a chunk (run ids, parameter rows, seeds). Every number depends only on the
task, so an engine changes how fast results arrive, never what they are. Results come back
in completion order, tagged with the task's position.
"""

from __future__ import annotations

import multiprocessing as mp
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

import numpy as np
from labelmarket.model.core.world import World
from labelmarket.model.drivers.batched import RunResult, run_batch
from labelmarket.model.execution.local import default_workers

CONNECT_TIMEOUT = 5.0  # seconds to reach a scheduler and find a worker, well under 10

_CONTEXT: Any = None
_FN: Callable[[Any, Any], Any] | None = None


class EngineError(Exception):
    """An engine that cannot start (an unreachable scheduler, a cluster without workers)."""


class Engine(Protocol):
    """Runs `fn(context, task)` for every task and yields (task index, result) as they finish."""

    name: str
    workers: int

    def map(self, fn: Callable[[Any, Any], Any], context: Any, tasks: Sequence[Any]) -> Iterator:
        """Yield (index, fn(context, tasks[index])) in completion order."""
        ...

    def close(self) -> None:
        """Release workers or the cluster connection."""
        ...


def _init_worker(fn: Callable[[Any, Any], Any] | None = None, context: Any = None) -> None:
    """Set up a worker: Ctrl-C is the parent's to handle; spawn passes fn and context once."""
    global _FN, _CONTEXT
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if fn is not None:
        _FN, _CONTEXT = fn, context


def _call(item: tuple[int, Any]) -> tuple[int, Any]:
    """Run one task in a worker against the context it holds."""
    index, task = item
    assert _FN is not None
    return index, _FN(_CONTEXT, task)


class LocalEngine:
    """Long-lived local worker processes: forked (context inherited, never pickled) if possible."""

    name = "local"

    def __init__(self, workers: int | None = None):
        self.workers = max(1, workers or default_workers())

    def map(self, fn: Callable[[Any, Any], Any], context: Any, tasks: Sequence[Any]) -> Iterator:
        """Run inline for one worker or one task, else in a pool that lives for this call."""
        global _FN, _CONTEXT
        if self.workers == 1 or len(tasks) <= 1:
            for index, task in enumerate(tasks):
                yield index, fn(context, task)
            return
        size = min(self.workers, len(tasks))
        if "fork" in mp.get_all_start_methods():
            _FN, _CONTEXT = fn, context  # inherited by the forked workers
            pool = mp.get_context("fork").Pool(size, _init_worker)
        else:  # pragma: no cover - spawn-only platforms
            pool = mp.get_context("spawn").Pool(size, _init_worker, (fn, context))
        try:
            yield from pool.imap_unordered(_call, list(enumerate(tasks)))
            pool.close()
        finally:
            pool.terminate()
            pool.join()
            _FN, _CONTEXT = None, None

    def close(self) -> None:
        """Nothing to release: pools end with each map."""


def _check_reachable(address: str, timeout: float) -> None:
    """Fail fast unless a Dask scheduler answers the handshake at `address`.

    A plain `Client` retries until its timeout and, once it has failed, blocks interpreter
    exit for another 10 s while it closes; a one-off connection avoids creating one at all.
    """
    import asyncio
    import socket

    from distributed.comm import connect
    from distributed.comm.addressing import parse_address, parse_host_port

    hint = "is `dask scheduler` running there, and is the address tcp://HOST:PORT?"
    try:
        scheme, location = parse_address(address)
        host, port = parse_host_port(location, 8786) if scheme == "tcp" else (None, None)
    except (ValueError, TypeError) as exc:
        raise EngineError(f"bad scheduler address {address!r} ({exc}); {hint}") from None
    if host is not None:  # a refused port answers at once; Dask's own connect would retry
        try:
            socket.create_connection((host, int(port)), timeout=timeout).close()
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise EngineError(
                f"cannot reach the scheduler at {address} ({reason}); {hint}"
            ) from None

    try:
        asyncio.get_running_loop()
        return  # inside an event loop (a notebook): let the Client do the checking
    except RuntimeError:
        pass

    async def probe() -> None:
        comm = await connect(address, timeout=timeout)
        await comm.close()

    try:
        asyncio.run(asyncio.wait_for(probe(), timeout + 1))
    except Exception as exc:  # refused, timed out, or not a Dask scheduler at all
        reason = str(exc).splitlines()[0][:160] or type(exc).__name__
        raise EngineError(f"no Dask scheduler answers at {address} ({reason}); {hint}") from None


class DaskEngine:
    """A Dask distributed cluster: the context is scattered to every worker once."""

    name = "dask"

    def __init__(self, address: str, timeout: float = CONNECT_TIMEOUT):
        try:
            from distributed import Client
        except ImportError:  # pragma: no cover - a declared dependency
            raise EngineError("--scheduler needs the `distributed` package") from None
        self.address = address
        _check_reachable(address, timeout)
        try:
            self.client = Client(address, timeout=timeout, set_as_default=False)
        except Exception as exc:  # the probe passed, so this is rare: say what happened
            raise EngineError(
                f"cannot reach the Dask scheduler at {address} within {timeout:g} s ({exc}); "
                "is `dask scheduler` running there and the address tcp://HOST:PORT?"
            ) from None
        try:
            self.client.wait_for_workers(1, timeout=timeout)
        except (OSError, TimeoutError) as exc:
            self.client.close()
            raise EngineError(
                f"the Dask scheduler at {address} has no workers ({type(exc).__name__}); "
                f"start some with `dask worker {address}`"
            ) from None
        self.workers = max(1, sum(self.client.nthreads().values()))

    def __repr__(self) -> str:
        """How reports and manifests name this engine."""
        return f"dask cluster at {self.address} ({self.workers} threads)"

    def map(self, fn: Callable[[Any, Any], Any], context: Any, tasks: Sequence[Any]) -> Iterator:
        """Submit every task against the scattered context; yield results as they complete."""
        from distributed import as_completed

        shared = self.client.scatter(context, broadcast=True, hash=False)
        futures = [self.client.submit(fn, shared, t, pure=False) for t in tasks]
        index = {f.key: i for i, f in enumerate(futures)}
        try:
            completed = as_completed(futures, with_results=True, loop=self.client.loop)
            for future, result in completed:
                yield index[future.key], result
        finally:
            self.client.cancel([*futures, shared])

    def close(self) -> None:
        """Disconnect from the cluster (the cluster itself keeps running)."""
        self.client.close()


def make_engine(workers: int | None = None, scheduler: str | None = None) -> Engine:
    """The local engine, or a Dask engine when a scheduler address is given."""
    return DaskEngine(scheduler) if scheduler else LocalEngine(workers)


def _replicate_chunk(world: World, task: tuple[int, np.ndarray]) -> RunResult:
    """Run replicates start..start+len(seeds) of a (possibly batched) world."""
    start, seeds = task
    return run_batch(world.rows(start, start + len(seeds)), seeds)


def run_replicates_on(
    engine: Engine,
    world: World,
    seeds: np.ndarray,
    on_chunk: Callable[[int], None] | None = None,
) -> RunResult:
    """`model.runner.run_replicates` on any engine: same chunks, same seeds, same numbers."""
    from labelmarket.model.execution.local import chunk

    chunks = chunk(np.asarray(seeds, dtype=np.uint64), engine.workers)
    starts = np.cumsum([0] + [len(c) for c in chunks[:-1]]).tolist()
    parts: dict[int, RunResult] = {}
    for index, part in engine.map(_replicate_chunk, world, list(zip(starts, chunks, strict=True))):
        parts[index] = part
        if on_chunk:
            on_chunk(part.replicates)
    return RunResult.concat([parts[i] for i in range(len(chunks))])
