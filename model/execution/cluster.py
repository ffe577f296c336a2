"""A Dask distributed cluster as an engine: the context is scattered to every worker once.

Needs the `distributed` package, an optional extra (`pip install "labelmarket[cluster]"`):
without it, asking for a cluster is an input error that says how to install it. A
scheduler that does not answer is found within seconds (a plain `Client` would retry
until its timeout and then block interpreter exit), and one lost while the runs are out
ends the command with one message (`SchedulerLost`, exit code 1): `as_completed` alone
waits forever for futures the client cancelled when its connection dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from labelmarket.errors import install_hint
from labelmarket.model.execution.engine import EngineError
from labelmarket.model.execution.faults import SchedulerLost

CONNECT_TIMEOUT = 5.0  # seconds to reach a scheduler and find a worker, well under 10
POLL = 0.05  # seconds between looks at the client while no chunk completes
RESULT_TIMEOUT = 120.0  # seconds to fetch a finished chunk's result from its worker


def require_distributed() -> None:
    """Refuse clearly, before anything runs, when the cluster extra is not installed."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise EngineError(
            "running on a Dask cluster (`scheduler=`) needs the optional 'cluster' extra, "
            f"which is not installed: {install_hint('cluster')}"
        ) from None


def _check_reachable(address: str, timeout: float) -> None:
    """Fail fast unless a Dask scheduler answers the handshake at `address`.

    A plain `Client` retries until its timeout and, once it has failed, blocks interpreter
    exit for another 10 s while it closes; a one-off connection avoids creating one at all.
    """

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
        require_distributed()
        from distributed import Client

        self.address = address
        self.timeout = timeout
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
        """Submit every task against the scattered context; yield results as they complete.

        Every wait is bounded: while nothing completes, the client is looked at every
        `POLL` seconds, and a lost scheduler (the client cancels every future when its
        connection drops) ends the map with `SchedulerLost` instead of waiting forever.
        """
        from distributed import as_completed

        shared = self.client.scatter(context, broadcast=True, hash=False)
        index = {}
        futures = []
        for i, t in enumerate(tasks):
            futures.append(self.client.submit(fn, shared, t, pure=False))
            index[futures[-1].key] = i
        completed = as_completed(futures, loop=self.client.loop)
        del futures
        done = 0
        try:
            while not completed.is_empty():
                if not completed.has_ready():
                    self._check(done, len(tasks))
                    time.sleep(POLL)
                    continue
                for future in completed.next_batch(block=False):
                    result = self._result(future, done, len(tasks))
                    done += 1
                    key = future.key
                    del future  # the last reference: the cluster frees the result it holds
                    yield index.pop(key), result
                    del result
        finally:
            completed.clear()
            self._cancel(shared)

    def _result(self, future: Any, done: int, total: int) -> Any:
        """A finished future's result (a task's own error is raised as it is).

        A fetch cut off while the client still runs (a worker lost with the result, which
        the scheduler recomputes) is tried once more before the scheduler is called lost.
        """
        if future.status == "cancelled":
            self._check(done, total)
            raise self._lost(done, total, "the cluster cancelled a chunk")
        for attempt in (1, 2):
            try:
                return future.result(timeout=RESULT_TIMEOUT)
            except Exception as exc:
                if future.status == "error":  # the chunk itself raised: not the cluster's fault
                    raise
                if attempt == 1 and self.client.status == "running":
                    time.sleep(10 * POLL)
                    continue
                cut = "did not arrive in time" if isinstance(exc, TimeoutError) else "was cut off"
                raise self._lost(done, total, f"a result {cut}: {type(exc).__name__}") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _check(self, done: int, total: int) -> None:
        """Raise SchedulerLost once the client has lost its connection to the scheduler."""
        if self.client.status not in ("running", "newly-created"):
            raise self._lost(done, total, "its connection dropped")

    def _lost(self, done: int, total: int, why: str) -> SchedulerLost:
        """The lost-scheduler error to raise; distributed's own noise is silenced first."""
        quiet_distributed()
        return SchedulerLost(
            f"lost the Dask scheduler at {self.address} after {done} of {total} chunks "
            f"({why}); restart it and its workers (`dask scheduler`, `dask worker "
            f"{self.address}`) or run without `scheduler=`"
        )

    def _cancel(self, *futures: Any) -> None:
        """Cancel what is still on the cluster, if it can still be told (never raises)."""
        if self.client.status == "running":
            with contextlib.suppress(Exception):
                self.client.cancel([f for f in futures if f is not None])

    def close(self) -> None:
        """Disconnect from the cluster (the cluster itself keeps running); never raises."""
        if self.client.status != "running":
            quiet_distributed()
        with contextlib.suppress(Exception):
            self.client.close(timeout=self.timeout)


def quiet_distributed() -> None:
    """Silence distributed's and tornado's logging once the scheduler is lost.

    Losing it makes the client log a reconnection failure and each closing comm a
    traceback; the command says what happened in one message instead.
    """
    prefixes = ("distributed", "tornado", "asyncio")
    names = [n for n in logging.root.manager.loggerDict if n.split(".")[0] in prefixes]
    for name in {*prefixes, *names}:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
