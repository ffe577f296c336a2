"""The run charts' numbers: 5%, 50% and 95% across replicates, and medians, per month.

The charts draw from these arrays (`Bands`), never from the tidy table, so drawing a run
of 10,000 replicates costs what drawing 20 does. As chunks stream in, each one's series
(the few metrics the charts show, for each of its replicates) is kept in a `SeriesStore`,
in memory or past a size limit in a temporary file; the statistics are taken at the end
over every replicate, as pandas' groupby takes them (linear interpolation between order
statistics; the median of an even count is the mean of the middle two), so a chart is
the same whichever way its run was produced. Blocks of rows are taken on a few threads
(numpy's partition runs without the interpreter's lock), each block's statistics its own,
so the numbers do not depend on the threads.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import pandas as pd

from labelmarket.model.core.business_models import BUSINESS_MODELS
from labelmarket.model.results.tidy import Block, unstack

SERIES: tuple[tuple[str, str, bool], ...] = (
    ("vendor", "market_share", True),
    ("vendor", "revenue", True),
    ("vendor", "workforce", False),
    ("vendor", "workforce_generalist", False),
    ("vendor", "workforce_expert", False),
    ("pair", "spend", False),
    *(("market", m.share_metric, True) for m in BUSINESS_MODELS),
)
"""(kind, metric, with a band) of every series the run charts draw; the others are drawn as
medians only, and their 5% and 95% are not computed (NaN)."""
QUANTILES = (0.05, 0.5, 0.95)
STAT_THREADS = 2
"""Blocks of rows whose statistics are taken at once (at most the cores this process has)."""
STAT_BYTES = 16 << 20  # replicate values sorted at once by each thread


def _found(blocks: list[Block]) -> dict[tuple[str, str], np.ndarray]:
    """Each series of `SERIES`, (T, R, E); a series the run did not record (the pairs of a
    summary record) has no entities."""
    found = {(kind, metric): values for kind, metric, values in blocks}
    t, r = blocks[0][2].shape[:2]
    return {(k, m): found.get((k, m), np.empty((t, r, 0))) for k, m, _ in SERIES}


def chart_series(blocks: list[Block]) -> np.ndarray:
    """A chunk's chart series, one row per (series, month, entity), one column per replicate."""
    parts = []
    for values in _found(blocks).values():
        values = np.asarray(values, dtype=float)
        t, r = values.shape[:2]
        e = int(np.prod(values.shape[2:], dtype=int))
        parts.append(values.reshape(t, r, e).transpose(0, 2, 1).reshape(-1, r))
    return np.concatenate(parts, axis=0)


def series_shapes(blocks: list[Block]) -> list[tuple[int, int]]:
    """(months, entities) of each series in `SERIES`, as `chart_series` stacks them."""
    shapes = [values.shape for values in _found(blocks).values()]
    return [(shape[0], int(np.prod(shape[2:], dtype=int))) for shape in shapes]


def _order_stats(x: np.ndarray, bands: bool) -> np.ndarray:
    """(4, rows): the three quantiles (or NaN without `bands`) and the median of each row
    (`x` is reordered: pass a copy the caller no longer needs)."""
    n = x.shape[1]
    where = []
    for q in QUANTILES if bands else ():
        idx = q * (n - 1)
        where.append((int(idx), min(int(idx) + 1, n - 1), idx % 1))
    mid = (max(n // 2 - 1, 0), n // 2)
    kth = sorted({k for lo, hi, _ in where for k in (lo, hi)} | set(mid))
    x.partition(kth, axis=1)  # in place: `x` is the caller's own copy
    part = x
    out = [part[:, lo] + (part[:, hi] - part[:, lo]) * frac for lo, hi, frac in where]
    out = out or [np.full(len(x), np.nan)] * len(QUANTILES)
    odd = n % 2 == 1
    out.append(part[:, n // 2] if odd else (part[:, mid[0]] + part[:, mid[1]]) / 2)
    return np.stack(out)


def order_stats(x: np.ndarray, bands: bool = True, own: bool = False) -> np.ndarray:
    """(4, rows): 5%, 50%, 95% (linear) and median of each row, NaN skipped as pandas does
    (`own`: `x` is a copy made for this call, reordered in place rather than copied again)."""
    out = np.full((4, x.shape[0]), np.nan)
    if x.shape[1] == 0:
        return out
    bad = np.isnan(x).any(axis=1)
    if not bad.any():
        out[:] = _order_stats(x if own else x.copy(), bands)
    elif not bad.all():
        out[:, ~bad] = _order_stats(x[~bad], bands)
    for row in np.flatnonzero(bad):
        valid = x[row][~np.isnan(x[row])]
        if len(valid):
            out[:, row] = _order_stats(valid[None], bands)[:, 0]
    return out


@dataclass
class Bands:
    """Per metric: lo, mid, hi (5%, 50%, 95%) and median across replicates, each (T, E).

    lo, mid and hi are NaN for the series `SERIES` draws as medians only. Bands made by
    `start_bands` may still be filling on their threads: `band` and `median` wait for the
    metric they read, `wait` for all (the shapes in `stats` are final from the start).
    """

    dates: pd.DatetimeIndex
    vendors: tuple[str, ...]
    clients: tuple[str, ...]
    replicates: int
    stats: dict[str, np.ndarray]  # metric -> (4, T, E): lo, mid, hi, median
    pending: dict[str, list[Future]] = field(default_factory=dict, repr=False, compare=False)
    when_done: Callable[[], None] | None = field(default=None, repr=False, compare=False)

    def metric(self, metric: str) -> np.ndarray:
        """(4, T, E) of one metric, once its statistics are taken."""
        for future in self.pending.pop(metric, ()):
            future.result()
        return self.stats[metric]

    def band(self, metric: str, entity: int = 0) -> pd.DataFrame:
        """Columns lo, mid, hi of one entity's metric, indexed by date."""
        lo, mid, hi, _ = self.metric(metric)[:, :, entity]
        return pd.DataFrame({"lo": lo, "mid": mid, "hi": hi}, index=self.dates.rename("date"))

    def median(self, metric: str) -> np.ndarray:
        """(T, E) medians of a metric (pairs: client-major, C x V)."""
        return self.metric(metric)[3]

    def wait(self) -> Bands:
        """Every statistic taken (the first error raised once all have stopped); then the
        source they were read from is released."""
        futures = [f for metric in list(self.pending) for f in self.pending.pop(metric)]
        wait(futures)
        done, self.when_done = self.when_done, None
        if done is not None:
            done()
        for future in futures:
            future.result()
        return self


def start_bands(
    rows: SeriesSource,
    shapes: list[tuple[int, int]],
    dates: pd.DatetimeIndex,
    vendors: tuple[str, ...],
    clients: tuple[str, ...],
    when_done: Callable[[], None] | None = None,
) -> Bands:
    """Statistics of every chart series, taken on a few threads while the caller goes on
    (drawing the first charts: numpy's partition runs without the interpreter's lock).

    Blocks of rows are queued in the order the charts need them, the client x vendor
    pairs (the most rows, one chart) last. `when_done` runs once every block is taken.
    """
    step = max(1, STAT_BYTES // max(1, rows.replicates * 8))
    stats, at, blocks = {}, 0, []
    for (kind, metric, bands), (t, e) in zip(SERIES, shapes, strict=True):
        stats[metric] = np.empty((4, t, e))
        flat = stats[metric].reshape(4, t * e)  # a view: blocks fill it in place
        blocks += [(kind == "pair", metric, flat, s0, min(t * e, s0 + step), at, bands)
                   for s0 in range(0, t * e, step)]  # fmt: skip
        at += t * e
    blocks.sort(key=lambda block: block[0])  # stable: the pairs last, the rest in order

    def take(block: tuple) -> None:
        _, _, flat, s0, s1, first, bands = block
        flat[:, s0:s1] = order_stats(rows.rows(first + s0, first + s1), bands, rows.copies)

    threads = min(STAT_THREADS, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                  else os.cpu_count() or 1, len(blocks))  # fmt: skip
    found = Bands(dates, vendors, clients, rows.replicates, stats, when_done=when_done)
    if threads <= 1:
        for block in blocks:
            take(block)
        return found
    pool = ThreadPoolExecutor(threads, "labelmarket-stats")
    for block in blocks:
        found.pending.setdefault(block[1], []).append(pool.submit(take, block))
    pool.shutdown(wait=False)  # its threads end when the queue is done
    return found


def compute_bands(
    rows: SeriesSource,
    shapes: list[tuple[int, int]],
    dates: pd.DatetimeIndex,
    vendors: tuple[str, ...],
    clients: tuple[str, ...],
) -> Bands:
    """Statistics of every chart series, reading blocks of rows from `rows` on a few threads."""
    return start_bands(rows, shapes, dates, vendors, clients).wait()


class SeriesSource(Protocol):
    """The (series, replicate) matrix of a run's chart series, read a block of rows at a time."""

    replicates: int
    copies: bool  # True: `rows` returns a new array each time (its caller may reorder it)

    def rows(self, s0: int, s1: int) -> np.ndarray:
        """Rows s0..s1 for every replicate, as one (s1 - s0, replicates) array."""
        ...


@dataclass
class InMemory:
    """A whole matrix already in memory (a run read back from its tidy table)."""

    matrix: np.ndarray
    copies = False  # `rows` returns views

    @property
    def replicates(self) -> int:
        """Columns: one per replicate."""
        return self.matrix.shape[1]

    def rows(self, s0: int, s1: int) -> np.ndarray:
        """A view of rows s0..s1."""
        return self.matrix[s0:s1]


def bands_from_frame(
    ts: pd.DataFrame, vendors: Sequence[str], clients: Sequence[str] | None = None
) -> Bands:
    """The chart statistics of a tidy table (a run folder read back, an in-memory run)."""

    if clients is None:
        pairs = ts[(ts["metric"] == "spend") & ts["vendor"].notna() & (ts["vendor"] != "")]
        names = pairs["client"].astype(object)
        clients = [str(c) for c in pd.unique(names[names.notna() & (names != "")])]
    vendors, clients = tuple(vendors), tuple(clients)
    blocks = []
    for kind, metric, _ in SERIES:
        full = unstack(ts, metric, clients, vendors)  # (T, R, 1 + C, 1 + V)
        picked = {
            "vendor": full[:, :, 0, 1:],
            "client": full[:, :, 1:, 0],
            "pair": full[:, :, 1:, 1:].reshape(*full.shape[:2], len(clients) * len(vendors)),
            "market": full[:, :, :1, 0],
        }[kind]
        blocks.append((kind, metric, picked))
    dates = pd.DatetimeIndex(sorted(ts["date"].unique()))
    source = InMemory(chart_series(blocks))
    return compute_bands(source, series_shapes(blocks), dates, vendors, clients)
