"""One history for a whole run, which each chunk records its replicates' months into.

A run kept in memory (`run_replicates`) used to join its chunks' histories at the end, a
copy of every number; and a chunk run by a local worker process sent its history back
through the worker's pipe, which cost more than simulating it (about 72 kB a replicate
of `historical.yaml`: pickled, sent, unpickled, joined, in the parent, on the cores the
workers need). Now chunks run in this process record into one `History` made for the
whole run (`OwnTarget`), and chunks run by worker processes into one in shared memory
(`SharedHistory`): each worker's engine records its replicates' months into their place
in the block and sends back only its seeds and defections. The run's history is a view
on the block, mapped as long as its arrays live; the block's name is unlinked when the
run ends (or fails), and multiprocessing's resource tracker removes it if this process
is killed. The block's room is taken when it is made; where shared memory has too little
(a container's 64 MB /dev/shm, other runs at once, a platform without /dev/shm),
histories come back by pipe as before.
"""

from __future__ import annotations

import contextlib
import dataclasses
import mmap
import os
from collections.abc import Iterator
from dataclasses import dataclass, fields
from multiprocessing import shared_memory
from typing import Any

import numpy as np

from labelmarket.model.core.record import History
from labelmarket.model.execution.fork_server import start_resource_tracker

SHM_FOLDER = "/dev/shm"
"""Where POSIX shared memory lives on Linux (its free room is checked before use)."""
HEADROOM = 2
"""Free room shared memory must have, in multiples of the block, to be used."""
ALIGN = 64  # each array starts on a cache line

ARRAYS = tuple(f.name for f in fields(History) if f.name != "first")
"""The arrays of a `History` (a summary record leaves the full one's out, and vice versa)."""
Layout = tuple[tuple[str, tuple[int, ...], np.dtype, int], ...]
"""(History field, shape, dtype, byte offset) of every array of a run's history."""


def history_layout(months: int, replicates: int, clients: int, vendors: int, record: str) -> Layout:
    """Where each array of the history of `replicates` replicates sits in one block."""
    one = History.empty(months, 1, clients, vendors, record)
    out, offset = [], 0
    for name in ARRAYS:
        array = getattr(one, name)
        if array is None:
            continue
        shape = (array.shape[0], replicates, *array.shape[2:])
        out.append((name, shape, array.dtype, offset))
        offset += -(-_bytes(shape, array.dtype) // ALIGN) * ALIGN
    return tuple(out)


def _bytes(shape: tuple[int, ...], dtype: np.dtype) -> int:
    """Bytes of an array."""
    return int(np.prod(shape, dtype=np.int64)) * dtype.itemsize


def layout_bytes(layout: Layout) -> int:
    """Size of the block a layout needs."""
    _, shape, dtype, offset = layout[-1]
    return offset + _bytes(shape, dtype)


def has_room(size: int) -> bool:
    """Whether shared memory can hold `size` bytes with room to spare (Linux only)."""
    try:
        stats = os.statvfs(SHM_FOLDER)
    except (OSError, AttributeError):
        return False
    return stats.f_bavail * stats.f_frsize >= HEADROOM * size


def _history(buffer: Any, layout: Layout, first: int = 0) -> History:
    """The block's history (views on `buffer`), a batch recording from replicate `first`."""
    arrays = {
        name: np.ndarray(shape, dtype, buffer=buffer, offset=offset)
        for name, shape, dtype, offset in layout
    }
    return History(**{name: arrays.get(name) for name in ARRAYS}, first=first)


@dataclass(frozen=True)
class OwnTarget:
    """Where chunks run in this process record: the run's own history."""

    whole: History

    @contextlib.contextmanager
    def history(self, first: int) -> Iterator[History]:
        """The run's history for a batch starting at replicate `first`."""
        yield dataclasses.replace(self.whole, first=first)


@dataclass(frozen=True)
class SharedTarget:
    """Where a worker records a chunk: the block's name and layout (picklable)."""

    block: str
    layout: Layout

    @contextlib.contextmanager
    def history(self, first: int) -> Iterator[History]:
        """The block's history for a batch starting at replicate `first`, while open."""
        shared = shared_memory.SharedMemory(self.block)
        try:
            history = _history(shared.buf, self.layout, first)
            yield history
            del history
        finally:
            shared.close()


class SharedHistory:
    """The parent's block: made for a run, read once every chunk is in, then unlinked."""

    def __init__(self, layout: Layout):
        self.layout = layout
        start_resource_tracker()  # before the block registers with it: a quiet one
        self._shared = shared_memory.SharedMemory(create=True, size=max(1, layout_bytes(layout)))

    @classmethod
    def reserved(cls, layout: Layout) -> SharedHistory | None:
        """A block whose room is taken now (a tmpfs gives pages only when written, so a run
        that merely found room could meet a full /dev/shm halfway); None if there is none."""
        shared = cls(layout)
        try:
            with open(shared.path, "r+b") as block:
                os.posix_fallocate(block.fileno(), 0, shared._shared.size)
        except (OSError, AttributeError):  # full, or a platform without posix_fallocate
            shared.__exit__()
            return None
        return shared

    @property
    def path(self) -> str:
        """The block's file (Linux)."""
        return os.path.join(SHM_FOLDER, self._shared.name.lstrip("/"))

    def target(self) -> SharedTarget:
        """What each worker records into."""
        return SharedTarget(self._shared.name, self.layout)

    def arrays(self) -> dict[str, np.ndarray]:
        """Every replicate's history by recorded quantity: views on a private (copy on
        write) mapping of the block, which lives as long as they do and which a process
        forked later does not share."""
        with open(self.path, "r+b") as block:
            mapping = mmap.mmap(block.fileno(), self._shared.size, access=mmap.ACCESS_COPY)
        return _history(np.frombuffer(mapping, dtype=np.uint8), self.layout).arrays()

    def __enter__(self) -> SharedHistory:
        return self

    def __exit__(self, *exc: object) -> None:
        self._shared.close()
        self._shared.unlink()
