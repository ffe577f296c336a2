"""Monthly metrics of a run, derived from its recorded history: per vendor, client, market.

Every array keeps the history's leading (month, replicate) axes; tidy tables, charts,
outcomes and calibration targets all read these instead of re-deriving them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from labelmarket.model.core.business_models import BUSINESS_MODELS
from labelmarket.model.core.world import TIERS, World
from labelmarket.model.drivers.batched import RunResult


def ordered_sum(values: np.ndarray, axis: int) -> np.ndarray:
    """Sum along `axis` in a fixed order, so a run's outcome never depends on its batch size.

    numpy picks its summation order (pairwise or sequential) by memory layout, and the
    layout changes with the number of replicates in a chunk; the last bits then differ.
    """
    values = np.moveaxis(np.asarray(values, dtype=float), axis, 0)
    total = np.zeros(values.shape[1:])
    for row in values:
        total = total + row
    return total


def month_dates(start: str, months: int) -> pd.DatetimeIndex:
    """First day of each simulated month."""
    return pd.period_range(start=start, periods=months, freq="M").to_timestamp()


def vendor_metrics(result: RunResult, world: World) -> dict[str, np.ndarray]:
    """Per-vendor monthly metrics, each shaped (T, R, V)."""
    h = result.history
    revenue = h["revenue"]
    total = revenue.sum(axis=-1, keepdims=True)
    capacity = h["capacity"].sum(axis=-1)
    out = {
        "revenue": revenue,
        "market_share": revenue / np.where(total > 0, total, 1.0),
        "costs": h["costs"],
        "overhead": h["overhead"],
        "funding": h["funding"],
        "profit": revenue - h["costs"],
        "cash": h["cash"],
        "valuation": h["valuation"],
        "capacity_hours": capacity,
        "served_hours": h["served_hours"].sum(axis=-1),
        "utilisation": h["served_hours"].sum(axis=-1) / np.where(capacity > 0, capacity, 1.0),
        "workforce": h["workforce"].sum(axis=-1),
        "hires": h["hires"].sum(axis=-1),
        "layoffs": h["layoffs"].sum(axis=-1),
        "quits": h["quits"].sum(axis=-1),
        "poached": h["poached"].sum(axis=-1),
        "staff_target": h["staff_target"].sum(axis=-1),
        "expert_push": h["push"],
    }
    for k, tier in enumerate(TIERS):
        out[f"workforce_{tier}"] = h["workforce"][..., k]
        out[f"quality_{tier}"] = h["quality"][..., k]
        out[f"price_{tier}"] = h["price"][..., k]
        out[f"wage_{tier}"] = h["wage"][..., k]
        out[f"labour_supply_{tier}"] = h["labour_supply"][..., k]
        out[f"revenue_{tier}"] = _spend_by_vendor(h, k)
    return out


def _spend_by_vendor(h: dict[str, np.ndarray], tier: int) -> np.ndarray:
    """Spend at each vendor in one tier, (T, R, V), from a full or a summary record."""
    if "spend" in h:
        return h["spend"][..., tier].sum(axis=2)
    return h["spend_by_vendor"][..., tier]


def client_metrics(result: RunResult) -> dict[str, np.ndarray]:
    """Per-client monthly metrics, each shaped (T, R, C)."""
    h = result.history
    budget = h["budget"].sum(axis=-1)
    return {
        "budget": budget,
        "spend": h["spend"].sum(axis=(3, 4)) if "spend" in h else h["spend_by_client"],
        "unserved": h["unserved"],
        "expert_share_of_budget": h["budget"][..., 1] / np.where(budget > 0, budget, 1.0),
    }


def market_metrics(
    result: RunResult, world: World, share: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Market-wide monthly metrics, each shaped (T, R); `share`: vendors' market shares if known."""
    if share is None:
        share = vendor_metrics(result, world)["market_share"]
    out = {"total_spend": result.history["revenue"].sum(axis=-1), "hhi": (share**2).sum(axis=-1)}
    for m in BUSINESS_MODELS:
        out[m.share_metric] = share[..., world.of_model(m.name)].sum(axis=-1)
    return out
