"""How much memory and disk a run needs, known before it starts: fit it, or refuse it.

A run streams (`model.results.stream`): each worker holds one chunk of replicates at a
time (its recorded history, the metrics derived from it, the tidy rows being encoded,
its chart series), and the main process holds what grows with the replicate count (the
seeds and manifest, the summary table, the chart series until they spill to disk). The
per-replicate sizes come from one replicate's record of one month, so whatever the
engine records is counted, scaled by the horizon; only its shapes count, so the month is
not simulated but laid out empty as the engine lays out its record (no compiled code is
loaded in the main process for sizing, a few tenths of a second). The chunk shrinks
until the workers fit in the memory available; if even one replicate per chunk does not
fit, or the main process or the output would not, the run is refused before anything is
simulated.
"""

from __future__ import annotations

import math
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from labelmarket.errors import InputError
from labelmarket.model.core.business_models import BUSINESS_MODELS
from labelmarket.model.core.record import History
from labelmarket.model.core.world import World
from labelmarket.model.drivers.batched import RunResult, state_bytes
from labelmarket.model.execution.engine import MAX_CHUNK
from labelmarket.model.results.bands import series_shapes
from labelmarket.model.results.tidy import metric_blocks

MB = 1 << 20
PROCESS_BASE = 150 * MB  # Python, numpy, pandas, pyarrow and this package (measured ~120)
CHARTS_BASE = 100 * MB  # matplotlib and the figures being drawn (measured ~60)
SERIES_LIMIT = 256 * MB  # chart series kept in memory up to this size, then on disk
STATS_IN_FLIGHT = 2 * 3 * 16 * MB  # taking statistics: 2 threads x (rows, sorted copy)
BYTES_PER_ROW_ON_DISK = 8  # the Parquet time series: ~7 bytes a row measured, rounded up
BYTES_PER_MOVE = 120  # a line of decisions.csv (~113 bytes measured)
ROW_BYTES_IN_FLIGHT = 48  # a tidy row while its table is encoded (7 columns and buffers)
STATE_MONTHS = 8  # the engine's state, in months of recorded history (a rough bound)
CHARTS_ON_DISK = 4 * 512 * 1024  # the run's PNG charts (80-260 KB each measured), rounded up
MANIFEST_BASE = 64 * 1024  # manifest.json: the resolved scenario, versions (~15 KB measured)
MANIFEST_PER_REPLICATE = 32  # its replicate seeds, one number each


class ResourceError(InputError):
    """A run that would not fit in the memory or disk available (exit code 2)."""


@dataclass(frozen=True)
class Need:
    """A run's size per replicate and the memory and disk it needs, in bytes."""

    replicates: int
    workers: int  # processes running chunks (1: chunks run in the main process)
    chunk: int  # replicates per chunk
    months: int
    history_month: int  # history one replicate records in one month
    rows: int  # tidy rows of one replicate
    series: int  # chart series values of one replicate (0 without charts)
    summary_columns: int
    vendors: int = 0
    remote: bool = False  # workers on a cluster: only the main process uses this machine
    state: int = 0  # one replicate's engine state (grows with clients x vendors)

    @property
    def history(self) -> int:
        """The history one replicate records over the horizon."""
        return self.history_month * self.months

    @property
    def worker(self) -> int:
        """One worker holding one chunk: history, engine state, derived metrics, rows."""
        state = max(self.history_month * STATE_MONTHS, self.state)
        per_replicate = self.history + state + 8 * (self.rows + self.series)
        group = ROW_BYTES_IN_FLIGHT * min(self.chunk * self.rows, max(self.rows, 1 << 20))
        return PROCESS_BASE + self.chunk * per_replicate + group

    @property
    def main(self) -> int:
        """The main process: per-replicate bookkeeping, chart series, chunks in flight."""
        per_replicate = 8 + 96 + 16 * self.summary_columns
        series = min(self.replicates * self.series * 8, SERIES_LIMIT) + STATS_IN_FLIGHT
        in_flight = 2 * self.workers * self.chunk * 8 * (self.series + self.rows)
        charts = CHARTS_BASE if self.series else 0
        return PROCESS_BASE + charts + self.replicates * per_replicate + series + in_flight

    @property
    def memory(self) -> int:
        """The main process and every local worker at once (one runs inside the main)."""
        if self.remote:
            return self.main
        if self.workers == 1:
            return self.main + self.worker - PROCESS_BASE
        return self.main + self.workers * self.worker

    @property
    def in_memory(self) -> int:
        """Holding every replicate's history and tidy table at once (a run kept in memory)."""
        per_replicate = self.history + 48 * self.rows
        return PROCESS_BASE + self.replicates * per_replicate

    @property
    def disk(self) -> int:
        """Everything written: tables, charts, manifest, and the chart series once they spill."""
        spilled = self.replicates * self.series * 8
        spilled = spilled if spilled > SERIES_LIMIT else 0
        moves = (self.months - 1) * self.vendors * 4  # decisions.csv: price and pay, 2 tiers
        per_replicate = self.rows * BYTES_PER_ROW_ON_DISK + moves * BYTES_PER_MOVE + 4096
        charts = CHARTS_ON_DISK if self.series else 0
        manifest = MANIFEST_BASE + MANIFEST_PER_REPLICATE * self.replicates
        return self.replicates * per_replicate + spilled + charts + manifest


def measure(
    world: World,
    replicates: int,
    workers: int,
    charts: bool = True,
    remote: bool = False,
    record: str = "full",
) -> Need:
    """Sizes of a run of `world`, from one replicate's record of one month."""
    probe = empty_month(world, record)
    blocks = metric_blocks(probe, world)
    rows = sum(int(np.prod(a.shape[2:], dtype=int)) for _, _, a in blocks) * world.months
    series = sum(e for _, e in series_shapes(blocks)) * world.months if charts else 0
    years = math.ceil(world.months / 12) + 1
    columns = 4 + world.n_vendors * (years + 3) + len(BUSINESS_MODELS)
    chunk = max(1, min(MAX_CHUNK, math.ceil(replicates / (workers * 4))))
    history = sum(v.nbytes for v in probe.history.values())
    return Need(
        replicates, workers, chunk, world.months, history, rows, series, columns,
        world.n_vendors, remote, state_bytes(world),
    )  # fmt: skip


def empty_month(world: World, record: str) -> RunResult:
    """One replicate's month as the engine records it, all zeros: its shapes, not its run."""
    history = History.empty(1, 1, world.n_clients, world.n_vendors, record)
    return RunResult(history.arrays(), {}, np.zeros(1, dtype=np.uint64))


def available_memory() -> int | None:
    """Memory this process may still use: MemAvailable, capped by a cgroup limit if any."""
    found = []
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    found.append(int(line.split()[1]) * 1024)
    except OSError:
        pass
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        used = Path("/sys/fs/cgroup/memory.current").read_text().strip()
        if limit != "max":
            found.append(int(limit) - int(used))
    except (OSError, ValueError):
        pass
    return min(found) if found else None


def size_text(n: float) -> str:
    """Bytes in words people read: 1.2 GB, 350 MB, 600 KB."""
    if n < MB:
        return f"{n / 1024:.0f} KB"
    return f"{n / 2**30:.1f} GB" if n >= 2**30 else f"{n / MB:.0f} MB"


def plan(need: Need, available: int | None, free_disk: int | None) -> Need:
    """The largest chunk (at most the default) that fits; ResourceError when none does."""
    while available is not None and need.memory > available and need.chunk > 1:
        need = replace(need, chunk=max(1, need.chunk // 2))
    what = f"{need.replicates:,} replicates of {need.months} months"
    if available is not None and need.memory > available:
        raise ResourceError(
            f"{what} need about {size_text(need.memory)} of memory even one replicate at a time "
            f"({size_text(need.main)} in the main process, {size_text(need.worker)} per worker) "
            f"but {size_text(available)} is available; run fewer replicates or fewer `workers=`"
            + (", or use `charts=False`" if need.series else "")
        )
    if free_disk is not None and need.disk > free_disk:
        raise ResourceError(
            f"{what} would write about {size_text(need.disk)} but the output folder's disk has "
            f"{size_text(free_disk)} free; run fewer replicates or choose another `out=`"
        )
    return need


def free_disk(folder: Path) -> int | None:
    """Free bytes on the disk that holds `folder` (or its nearest existing parent)."""
    folder = Path(folder).resolve()
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None
