"""A run written chunk by chunk is the run held whole: same tables, same chart statistics.

The folder `stream_to_folder` streams (tiny chunks, two workers, chunks finishing out of
order, a cluster returning files as bytes) must equal the tables built from the whole
run in memory, value for value; the charts' quantiles must equal pandas' groupby over
the tidy table, bit for bit, whether their series stayed in memory or spilled to disk.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from labelmarket.api.streaming import stream_to_folder
from labelmarket.model.execution.engine import chunk
from labelmarket.model.execution.local import LocalEngine
from labelmarket.model.execution.replicates import run_replicates, stream_replicates
from labelmarket.model.execution.seeds import replicate_seeds
from labelmarket.model.results import tables
from labelmarket.model.results.bands import SERIES, bands_from_frame, compute_bands, start_bands
from labelmarket.model.results.decisions import decisions
from labelmarket.model.results.series_store import SeriesStore
from labelmarket.model.results.stream import DECISION_PARTS, TIMESERIES
from labelmarket.model.scenario.loading import load_scenario
from tests.support import HISTORICAL, dask_scheduler

REPLICATES, SEED = 7, 12


@pytest.fixture(scope="module")
def whole(historical):
    """The run held whole in memory: (result, timeseries, summary, defections, decisions)."""
    start = load_scenario(HISTORICAL).start
    result = run_replicates(historical, replicate_seeds(SEED, REPLICATES), LocalEngine(1))
    return (
        result,
        tables.timeseries(result, historical, start),
        tables.summary(result, historical, start),
        tables.defections(result, historical, start),
        decisions(result, historical, start),
    )


def stream(out: Path, engine, charts: bool = False):
    """`labelmarket run`'s job, into `out`."""
    return stream_to_folder(
        out, load_scenario(HISTORICAL), REPLICATES, SEED, engine, "test", charts=charts,
        progress=False,
    )  # fmt: skip


def assert_folder_is(out: Path, whole) -> None:
    """The folder's tables equal the in-memory ones (CSV text byte for byte)."""
    _, ts, summary, defections, moves = whole
    pd.testing.assert_frame_equal(pd.read_parquet(out / TIMESERIES), ts, check_exact=True)
    assert (out / "summary.csv").read_text() == summary.to_csv(index=False)
    assert (out / "defections.csv").read_text() == defections.to_csv(index=False)
    assert (out / "decisions.csv").read_text() == moves.to_csv(index=False)
    assert len(moves) > 0 and moves["replicate"].nunique() > 1
    assert not (out / DECISION_PARTS).exists()  # workers' part files appended and removed


def test_two_workers_and_one_replicate_chunks_write_the_whole_run(tmp_path, whole) -> None:
    engine = LocalEngine(2)
    assert len(chunk(replicate_seeds(SEED, REPLICATES), engine.workers)) == REPLICATES
    sim = stream(tmp_path / "out", engine, charts=True)
    assert sorted(p.name for p in (tmp_path / "out" / TIMESERIES).iterdir()) == [
        f"part-{i:010d}.parquet" for i in range(REPLICATES)
    ]
    assert_folder_is(tmp_path / "out", whole)
    pd.testing.assert_frame_equal(sim.summary, whole[2])
    assert sim.result is None  # nothing of the history was kept
    assert {"simulate_and_write", "charts"} <= set(sim.timings)


class Reversed(LocalEngine):
    """An engine whose chunks finish last-first (the worst order for the writer)."""

    def map(self, fn, context, tasks):
        """Run every task inline, yield them in reverse."""
        return reversed([(i, fn(context, t)) for i, t in enumerate(tasks)])


def test_chunks_finishing_out_of_order_are_written_in_order(tmp_path, historical, whole) -> None:
    seeds = replicate_seeds(SEED, REPLICATES)
    firsts = [first for first, _ in stream_replicates(historical, seeds, Reversed(2))]
    assert firsts == list(range(REPLICATES))
    stream(tmp_path / "out", Reversed(2))
    assert_folder_is(tmp_path / "out", whole)


def test_a_cluster_returns_files_as_bytes_and_the_folder_is_the_same(tmp_path, whole) -> None:
    from labelmarket.model.execution.cluster import DaskEngine

    with dask_scheduler() as address:
        engine = DaskEngine(address)
        try:
            stream(tmp_path / "out", engine)
        finally:
            engine.close()
    assert_folder_is(tmp_path / "out", whole)


def pandas_statistics(ts: pd.DataFrame, metric: str, kind: str) -> np.ndarray:
    """(4, T, E) as the charts computed them before: groupby quantile and median."""
    rows = ts[ts["metric"] == metric]
    has_c, has_v = rows["client"].notna(), rows["vendor"].notna()
    rows = rows[{"vendor": ~has_c & has_v, "pair": has_c & has_v}.get(kind, ~has_c & ~has_v)]
    name = {k: rows[k].astype(object).fillna("").astype(str) for k in ("client", "vendor")}
    rows = rows.assign(entity=name["client"] + "|" + name["vendor"])
    order = list(dict.fromkeys(rows.sort_values("replicate", kind="stable")["entity"]))
    grouped = rows.groupby(["month", "entity"])["value"]
    q = grouped.quantile([0.05, 0.5, 0.95]).unstack()
    med = grouped.median()
    out = [q[c].unstack()[order].to_numpy() for c in q.columns] + [med.unstack()[order].to_numpy()]
    return np.stack(out)


def test_chart_statistics_equal_pandas_groupby_in_memory_and_spilled(whole, historical) -> None:
    result, ts = whole[:2]
    bands = bands_from_frame(ts, historical.vendors, historical.clients)
    for kind, metric, with_band in SERIES:
        expected = pandas_statistics(ts, metric, kind)
        computed = slice(None) if with_band else slice(3, 4)  # median-only series: no band
        np.testing.assert_array_equal(bands.stats[metric][computed], expected[computed], metric)
        assert with_band or np.isnan(bands.stats[metric][:3]).all()
    # the same statistics from a store that spilled its series to a file after one chunk
    from labelmarket.model.results.bands import chart_series, series_shapes
    from labelmarket.model.results.tidy import metric_blocks

    blocks = metric_blocks(result, historical)
    series = chart_series(blocks)
    store = SeriesStore(limit=series[:, :2].nbytes)
    for lo, hi in ((0, 2), (2, 3), (3, 7)):
        store.add(series[:, lo:hi])
    assert store.spilled and store.replicates == REPLICATES
    spilled = compute_bands(
        store, series_shapes(blocks), bands.dates, historical.vendors, historical.clients
    )
    store.close()
    for metric, stats in bands.stats.items():
        np.testing.assert_array_equal(spilled.stats[metric], stats, err_msg=metric)


def test_chart_statistics_do_not_depend_on_threads_or_blocks(monkeypatch) -> None:
    """Series cut in many small blocks, on one thread or two: the same numbers, bit for bit."""
    from labelmarket.model.results import bands as module

    shapes = [(12, 3)] * (len(SERIES) - 1) + [(12, 0)]  # the last: a series not recorded
    rng = np.random.default_rng(5)
    matrix = rng.lognormal(size=(sum(t * e for t, e in shapes), 41))
    matrix[4, 7] = np.nan  # a row with a gap takes the slow path
    store = SeriesStore(limit=1 << 40)
    store.add(matrix)
    dates = pd.date_range("2024-01-01", periods=12, freq="MS")
    found = {}
    for threads, block in ((1, 1 << 20), (2, 5 * 41 * 8)):
        monkeypatch.setattr(module, "STAT_THREADS", threads)
        monkeypatch.setattr(module, "STAT_BYTES", block)
        found[threads] = compute_bands(store, shapes, dates, ("a", "b", "c"), ("x", "y", "z"))
    for metric, stats in found[1].stats.items():
        np.testing.assert_array_equal(found[2].stats[metric], stats, err_msg=metric)
    assert np.isfinite(found[2].stats["market_share"]).all()


def test_statistics_taken_while_charts_draw_equal_those_taken_at_once(monkeypatch) -> None:
    """`start_bands` (on threads, read while still filling) gives `compute_bands`'s numbers,
    each metric waited for as it is read; the series are released once, after the last."""
    from labelmarket.model.results import bands as module

    shapes = [(12, 3)] * (len(SERIES) - 1) + [(12, 0)]
    matrix = np.random.default_rng(7).lognormal(size=(sum(t * e for t, e in shapes), 33))
    dates = pd.date_range("2024-01-01", periods=12, freq="MS")
    names = (("a", "b", "c"), ("x", "y", "z"))
    store = SeriesStore(limit=1 << 40)
    for lo, hi in ((0, 10), (10, 33)):
        store.add(matrix[:, lo:hi])
    at_once = compute_bands(store, shapes, dates, *names)
    monkeypatch.setattr(module, "STAT_THREADS", 2)
    monkeypatch.setattr(module, "STAT_BYTES", 4 * 33 * 8)  # many blocks: some still queued
    released = []
    filling = start_bands(store, shapes, dates, *names, lambda: released.append(True))
    np.testing.assert_array_equal(filling.median("spend"), at_once.median("spend"))
    filling.wait()
    assert released == [True] and filling.pending == {}
    filling.wait()  # a second wait releases nothing again
    assert released == [True]
    for metric, stats in at_once.stats.items():
        np.testing.assert_array_equal(filling.stats[metric], stats, err_msg=metric)
    assert np.array_equal(store.rows(0, 5), matrix[:5])  # statistics never reorder the store


def test_series_store_rows_are_the_readers_own_copy() -> None:
    """A reader may reorder the rows it is given (`copies`): the store's own are untouched."""
    matrix = np.arange(24.0).reshape(4, 6)
    for blocks in ([(0, 6)], [(0, 2), (2, 6)]):
        store = SeriesStore(limit=1 << 40)
        for lo, hi in blocks:
            store.add(matrix[:, lo:hi])
        got = store.rows(1, 3)
        got[:] = -1
        assert store.copies and np.array_equal(store.rows(1, 3), matrix[1:3])
