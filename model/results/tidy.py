"""The tidy time series, built from arrays: one row per replicate x metric x month x entity.

Rows run replicate by replicate, so a chunk of replicates is one contiguous run of rows
and the table is the same however the replicates were chunked. Within a replicate the
metric blocks follow one another (vendor metrics, client metrics, client x vendor pairs,
market metrics), each month by month, entity by entity. `client`, `vendor` and `metric`
are dictionary-encoded (pandas reads categoricals, categories sorted by name); a metric of
one side only has a null on the other side, a market metric nulls on both. No Python
string is made per row: the index columns of one replicate are built once and tiled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from labelmarket.model.core.world import World
from labelmarket.model.drivers.batched import RunResult
from labelmarket.model.results.metrics import (
    client_metrics,
    market_metrics,
    month_dates,
    vendor_metrics,
)

COLUMNS = ("replicate", "month", "date", "client", "vendor", "metric", "value")
ROW_GROUP_ROWS = 1 << 20  # rows per Parquet row group (and per table built at once)
WRITE_OPTIONS: dict[str, Any] = {
    "use_dictionary": ["month", "date", "client", "vendor", "metric"],
    "column_encoding": {"replicate": "DELTA_BINARY_PACKED"},
    "write_statistics": ["replicate", "month"],
    "compression": "snappy",
    "write_batch_size": 1 << 16,
}
"""Parquet settings measured to write fastest at about today's size (benchmarks/)."""

Block = tuple[str, str, np.ndarray]
"""(kind, metric, values shaped (T, R, E)); kind is vendor, client, pair or market."""


def metric_blocks(result: RunResult, world: World) -> list[Block]:
    """Every metric of the tidy table, in row order, as (T, R, entities) arrays."""
    t, r = result.history["revenue"].shape[:2]
    vendor = vendor_metrics(result, world)
    blocks: list[Block] = [("vendor", m, a) for m, a in vendor.items()]
    blocks += [("client", m, a) for m, a in client_metrics(result).items()]
    spend = result.history.get("spend")  # none in a summary record: no pair rows
    if spend is not None:
        blocks.append(("pair", "spend", spend.sum(axis=-1).reshape(t, r, -1)))
        blocks.append(("pair", "spend_expert", spend[..., 1].reshape(t, r, -1)))
    market = market_metrics(result, world, vendor["market_share"])
    blocks += [("market", m, a[..., None]) for m, a in market.items()]
    return blocks


def _dictionary(names: Sequence[str]) -> tuple[pa.Array, np.ndarray]:
    """Names sorted (the categories pandas shows) and each name's code in that order."""
    order = np.argsort(np.asarray(names, dtype=object), kind="stable")
    codes = np.empty(len(names), dtype=np.int64)
    codes[order] = np.arange(len(names))
    return pa.array([names[i] for i in order], type=pa.string()), codes


def _index_type(size: int) -> np.dtype:
    """The smallest signed integer that holds `size` codes."""
    return next(np.dtype(t) for t in (np.int8, np.int16, np.int32) if size <= np.iinfo(t).max)


@dataclass(frozen=True)
class Layout:
    """One replicate's rows: the metric, month, date, client and vendor of each value."""

    month: np.ndarray  # (P,) int64
    date: np.ndarray  # (P,) datetime64[us]
    codes: dict[str, np.ndarray]  # client, vendor, metric: (P,) codes, -1 for none
    dictionaries: dict[str, pa.Array]
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def rows(self) -> int:
        """Rows per replicate."""
        return len(self.month)

    def columns(self, replicates: int) -> list[pa.Array]:
        """Month, date, client, vendor and metric columns for `replicates` replicates.

        They are the same for every group of replicates, so they are built once for the
        largest group asked for and sliced (no copy) for smaller ones.
        """
        built = self.cache.get("columns")
        if built is None or built[0] < replicates:
            built = (replicates, self._build(replicates))
            self.cache["columns"] = built
        return [c.slice(0, replicates * self.rows) for c in built[1]]

    def _build(self, replicates: int) -> list[pa.Array]:
        """The index columns, tiled for `replicates` replicates."""
        out = [
            pa.array(np.tile(self.month, replicates)),
            pa.array(np.tile(self.date, replicates), type=pa.timestamp("us")),
        ]
        for name in ("client", "vendor", "metric"):
            dictionary, pattern = self.dictionaries[name], self.codes[name]
            codes = np.tile(pattern.astype(_index_type(len(dictionary))), replicates)
            mask = codes < 0 if (pattern < 0).any() else None
            out.append(pa.DictionaryArray.from_arrays(pa.array(codes, mask=mask), dictionary))
        return out


def layout(blocks: list[Block], world: World, start: str) -> Layout:
    """Where each value of a replicate sits, from the blocks of any chunk of the world."""
    clients, c_code = _dictionary(list(world.clients))
    vendors, v_code = _dictionary(list(world.vendors))
    metrics, m_code = _dictionary(list(dict.fromkeys(m for _, m, _ in blocks)))
    metric_index = {m: i for i, m in enumerate(dict.fromkeys(m for _, m, _ in blocks))}
    none = np.array([-1])
    n_v = len(world.vendors)
    entity = {
        "vendor": (np.full(n_v, -1), v_code),
        "client": (c_code, np.full(len(c_code), -1)),
        "pair": (np.repeat(c_code, n_v), np.tile(v_code, len(c_code))),
        "market": (none, none),
    }
    parts: dict[str, list[np.ndarray]] = {"month": [], "client": [], "vendor": [], "metric": []}
    for kind, metric, values in blocks:
        t, e = values.shape[0], int(np.prod(values.shape[2:], dtype=int))
        client, vendor = entity[kind]
        parts["month"].append(np.repeat(np.arange(t, dtype=np.int64), e))
        parts["client"].append(np.tile(client, t))
        parts["vendor"].append(np.tile(vendor, t))
        parts["metric"].append(np.full(t * e, m_code[metric_index[metric]]))
    month = np.concatenate(parts["month"])
    dates = month_dates(start, int(month.max()) + 1).to_numpy().astype("datetime64[us]")
    return Layout(
        month,
        dates[month],
        {k: np.concatenate(parts[k]) for k in ("client", "vendor", "metric")},
        {"client": clients, "vendor": vendors, "metric": metrics},
    )


def values(blocks: list[Block], lo: int, hi: int) -> np.ndarray:
    """The values of replicates lo..hi of a chunk, one row of the tidy order per replicate."""
    parts = [
        np.asarray(a[:, lo:hi], dtype=float).reshape(a.shape[0], hi - lo, -1).transpose(1, 0, 2)
        for _, _, a in blocks
    ]
    return np.concatenate([p.reshape(hi - lo, -1) for p in parts], axis=1)


def table(lay: Layout, vals: np.ndarray, first: int) -> pa.Table:
    """The rows of replicates first..first+len(vals) as an Arrow table."""
    n = len(vals)
    replicate = np.empty((n, lay.rows), dtype=np.int64)
    replicate[:] = np.arange(first, first + n, dtype=np.int64)[:, None]
    month, date, client, vendor, metric = lay.columns(n)
    columns = [pa.array(replicate.reshape(-1)), month, date, client, vendor, metric]
    return pa.Table.from_arrays([*columns, pa.array(vals.reshape(-1))], names=list(COLUMNS))


def write_part(sink: Any, blocks: list[Block], lay: Layout, first: int) -> None:
    """Write a chunk's rows as one Parquet file (row groups of about ROW_GROUP_ROWS rows)."""

    replicates = blocks[0][2].shape[1]
    step = max(1, ROW_GROUP_ROWS // lay.rows)
    writer = None
    try:
        for lo in range(0, replicates, step):
            hi = min(replicates, lo + step)
            part = table(lay, values(blocks, lo, hi), first + lo)
            if writer is None:
                writer = pq.ParquetWriter(sink, part.schema, **WRITE_OPTIONS)
            writer.write_table(part, row_group_size=len(part))
    finally:
        if writer is not None:
            writer.close()


def frame(result: RunResult, world: World, start: str, first: int = 0) -> pd.DataFrame:
    """A run's whole tidy table in memory, as `pd.read_parquet` reads the written one."""
    blocks = metric_blocks(result, world)
    part = table(layout(blocks, world, start), values(blocks, 0, result.replicates), first)
    return part.to_pandas()


def entity_codes(column: pd.Series, names: Sequence[str]) -> np.ndarray:
    """Position of each row's client or vendor in `names`; -1 where none (null or '')."""
    as_category = pd.Categorical(column, categories=list(names))
    return np.asarray(as_category.codes, dtype=np.int64)


def unstack(ts: pd.DataFrame, metric: str, clients: Sequence[str], vendors: Sequence[str]):
    """One metric of a tidy frame as a (T, R, 1 + C, 1 + V) array; position 0 means none.

    Reads files of either schema (null or '' for a missing client or vendor); cells the
    table has no row for stay NaN.
    """
    rows = ts[ts["metric"] == metric]
    months = int(ts["month"].max()) + 1 if len(ts) else 0
    replicates = int(ts["replicate"].max()) + 1 if len(ts) else 0
    out = np.full((months, replicates, 1 + len(clients), 1 + len(vendors)), np.nan)
    c = entity_codes(rows["client"], clients) + 1
    v = entity_codes(rows["vendor"], vendors) + 1
    out[rows["month"].to_numpy(), rows["replicate"].to_numpy(), c, v] = rows["value"].to_numpy()
    return out
