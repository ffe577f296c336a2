"""A run's chart series, chunk by chunk: in memory up to a limit, then in a temporary file.

Each chunk adds a (series, replicates) block in replicate order. Reading takes a band of
series rows for every replicate at once, which is what the statistics need; from the
file, that is one read per chunk, so memory stays at one band whatever the run's size.
The file is anonymous (deleted when closed, never seen in the output folder).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np


class SeriesStore:
    """The (series, replicate) matrix of a run's chart series, built a chunk at a time."""

    copies = True  # `rows` always returns a new array (a reader may reorder it in place)

    def __init__(self, limit: int, folder: Path | None = None):
        self.limit = limit
        self.folder = folder
        self.replicates = 0
        self.nbytes = 0
        self._blocks: list[np.ndarray] = []
        self._index: list[tuple[int, int]] = []  # (byte offset, replicates) of each block
        self._file = None

    @property
    def spilled(self) -> bool:
        """True once the series live in the temporary file."""
        return self._file is not None

    def add(self, block: np.ndarray) -> None:
        """Append the next chunk's block (its replicates follow those already added)."""
        block = np.ascontiguousarray(block, dtype=float)
        self.replicates += block.shape[1]
        self.nbytes += block.nbytes
        if self._file is None and self.nbytes > self.limit:
            self._file = tempfile.TemporaryFile(dir=self.folder, prefix=".series-")  # noqa: SIM115
            for kept in self._blocks:
                self._write(kept)
            self._blocks = []
        if self._file is None:
            self._blocks.append(block)
        else:
            self._write(block)

    def _write(self, block: np.ndarray) -> None:
        """Append a block's bytes to the file and remember where they are."""
        assert self._file is not None
        offset = self._file.seek(0, os.SEEK_END)
        self._file.write(memoryview(block).cast("B"))
        self._index.append((offset, block.shape[1]))

    def rows(self, s0: int, s1: int) -> np.ndarray:
        """Series rows s0..s1 for every replicate: a (s1 - s0, replicates) array."""
        if self._file is None:
            if len(self._blocks) == 1:
                return self._blocks[0][s0:s1].copy()
            return np.concatenate([b[s0:s1] for b in self._blocks], axis=1)
        self._file.flush()
        out = np.empty((s1 - s0, self.replicates))
        column, fd = 0, self._file.fileno()
        for offset, width in self._index:
            raw = os.pread(fd, (s1 - s0) * width * 8, offset + s0 * width * 8)
            out[:, column : column + width] = np.frombuffer(raw).reshape(s1 - s0, width)
            column += width
        return out

    def close(self) -> None:
        """Forget the series (the temporary file goes with them)."""
        if self._file is not None:
            self._file.close()
            self._file = None
        self._blocks = []
