"""Turn a run's arrays into tidy tables pandas opens directly.

`timeseries` is long: one row per replicate x month x entity x metric, with `client` and
`vendor` columns (empty where a metric concerns only one side, or the whole market).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from labelmarket.model.core.business_models import BUSINESS_MODELS
from labelmarket.model.core.state import TERM_NAMES
from labelmarket.model.core.world import World
from labelmarket.model.drivers.batched import RunResult
from labelmarket.model.results.metrics import (
    client_metrics,
    market_metrics,
    month_dates,
    ordered_sum,
    vendor_metrics,
)


def _long(values: np.ndarray, metric: str, clients: list, vendors: list) -> dict:
    """Columns of a long table from one (T, R, E...) array."""
    t, r = values.shape[:2]
    e = int(np.prod(values.shape[2:], dtype=int))
    return {
        "month": np.repeat(np.arange(t), r * e),
        "replicate": np.tile(np.repeat(np.arange(r), e), t),
        "client": np.tile(np.asarray(clients, dtype=object), t * r),
        "vendor": np.tile(np.asarray(vendors, dtype=object), t * r),
        "metric": np.full(t * r * e, metric, dtype=object),
        "value": values.reshape(-1).astype(float),
    }


def timeseries(result: RunResult, world: World, start: str) -> pd.DataFrame:
    """The whole run as one tidy table: replicate, month, date, client, vendor, metric, value."""
    vendors, clients = list(world.vendors), list(world.clients)
    n_v, n_c = len(vendors), len(clients)
    parts = [_long(a, m, [""] * n_v, vendors) for m, a in vendor_metrics(result, world).items()]
    parts += [_long(a, m, clients, [""] * n_c) for m, a in client_metrics(result).items()]
    pair_c = [c for c in clients for _ in vendors]
    pair_v = vendors * n_c
    spend = result.history["spend"]
    parts.append(_long(spend.sum(axis=-1), "spend", pair_c, pair_v))
    parts.append(_long(spend[..., 1], "spend_expert", pair_c, pair_v))
    parts += [_long(a[..., None], m, [""], [""]) for m, a in market_metrics(result, world).items()]
    cols = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    frame = pd.DataFrame(cols)
    frame.insert(2, "date", month_dates(start, world.months)[frame["month"].to_numpy()])
    for name in ("client", "vendor", "metric"):
        frame[name] = frame[name].astype("category")
    return frame[["replicate", "month", "date", "client", "vendor", "metric", "value"]]


def defections(result: RunResult, world: World, start: str) -> pd.DataFrame:
    """One row per defection: when, who left whom, and the utility term that drove it most."""
    d = result.defections
    dates = month_dates(start, world.months)
    frame = pd.DataFrame(
        {
            "replicate": d["replicate"].astype(int),
            "month": d["month"].astype(int),
            "date": dates[d["month"].astype(int)] if len(d["month"]) else pd.DatetimeIndex([]),
            "client": np.asarray(world.clients, dtype=object)[d["client"]],
            "vendor": np.asarray(world.vendors, dtype=object)[d["vendor"]],
            "driver": np.asarray(TERM_NAMES, dtype=object)[d["driver"]],
            "share_before": d["share_before"],
            "share_after": d["share_after"],
        }
    )
    return frame.sort_values(["replicate", "month", "client", "vendor"], ignore_index=True)


def summary(result: RunResult, world: World, start: str) -> pd.DataFrame:
    """One row per replicate: yearly revenue per vendor, end shares, defections, concentration."""
    vm = vendor_metrics(result, world)
    mm = market_metrics(result, world)
    years = month_dates(start, world.months).year.to_numpy()
    rows: dict[str, np.ndarray] = {"replicate": np.arange(result.replicates)}
    rows["seed"] = result.seeds.astype(np.uint64)
    for v, name in enumerate(world.vendors):
        for year in np.unique(years):
            rows[f"revenue_{year}[{name}]"] = ordered_sum(vm["revenue"][years == year, :, v], 0)
        rows[f"share_end[{name}]"] = vm["market_share"][-1, :, v]
        rows[f"workforce_end[{name}]"] = vm["workforce"][-1, :, v]
        rows[f"valuation_end[{name}]"] = vm["valuation"][-1, :, v]
    rows["defections"] = np.bincount(result.defections["replicate"], minlength=result.replicates)
    rows["hhi_end"] = mm["hhi"][-1]
    for m in BUSINESS_MODELS:
        rows[f"{m.share_metric}_end"] = mm[m.share_metric][-1]
    return pd.DataFrame(rows)
