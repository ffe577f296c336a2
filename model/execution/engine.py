"""Where chunks of runs execute: one interface for local processes and a Dask cluster.

An engine calls the same chunk function, `fn(context, task)`, for every task: the context
(the compiled world, the parameters, the outcomes) goes to each worker once, and each task
is a small description of a chunk (run ids, parameter rows, seeds). Every number depends
only on the task, so an engine changes how fast results arrive, never what they are.
Results come back in completion order, tagged with the task's position.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

import numpy as np

from labelmarket.errors import InputError

MAX_CHUNK = 250  # replicates per task: big enough to amortise, small enough to stream


class EngineError(InputError):
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


def chunk(seeds: np.ndarray, workers: int, max_size: int = MAX_CHUNK) -> list[np.ndarray]:
    """Split seeds into consecutive chunks: a few per worker, none larger than `max_size`."""
    n = len(seeds)
    size = max(1, min(max_size, math.ceil(n / (workers * 4))))
    return [seeds[i : i + size] for i in range(0, n, size)]
