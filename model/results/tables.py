"""Turn a run's arrays into tidy tables pandas opens directly.

`timeseries` is long: one row per replicate x month x entity x metric, with `client` and
`vendor` columns (null where a metric concerns only one side, or the whole market); see
`model.results.tidy` for its layout. `summary` and `defections` take the index of a
chunk's first replicate, so a run written chunk by chunk numbers its rows as a whole.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from labelmarket.model.core.business_models import BUSINESS_MODELS
from labelmarket.model.core.state import TERM_NAMES
from labelmarket.model.core.world import World
from labelmarket.model.drivers.batched import RunResult
from labelmarket.model.results import tidy
from labelmarket.model.results.metrics import (
    market_metrics,
    month_dates,
    ordered_sum,
    vendor_metrics,
)


def timeseries(result: RunResult, world: World, start: str) -> pd.DataFrame:
    """The whole run as one tidy table: replicate, month, date, client, vendor, metric, value."""
    return tidy.frame(result, world, start)


def defections(result: RunResult, world: World, start: str, first: int = 0) -> pd.DataFrame:
    """One row per defection: when, who left whom, and the utility term that drove it most."""
    d = result.defections
    dates = month_dates(start, world.months)
    frame = pd.DataFrame(
        {
            "replicate": d["replicate"].astype(int) + first,
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


def summary(
    result: RunResult,
    world: World,
    start: str,
    first: int = 0,
    metrics: tuple[dict[str, np.ndarray], dict[str, np.ndarray]] | None = None,
) -> pd.DataFrame:
    """One row per replicate: yearly revenue per vendor, end shares, defections, concentration.

    `metrics` (vendor and market metrics already derived from `result`) saves deriving
    them again.
    """
    vm, mm = metrics or (vendor_metrics(result, world), market_metrics(result, world))
    years = month_dates(start, world.months).year.to_numpy()
    rows: dict[str, np.ndarray] = {"replicate": np.arange(first, first + result.replicates)}
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
