"""Pricing strategies: how a vendor sets next month's price per task-hour, tier by tier.

`adaptive` (the default) moves the log price by three terms, capped at a monthly step:
  + u * (utilisation - its normal level)       full vendors raise prices, idle ones cut;
  + r * (anchor - (log price - market mean))    prices follow the market's level, keeping
                                                the vendor's positioning (premium or cheap);
  - d * loss of its share of the tier's spend   discounts to keep clients.
A price is never cut below pay per task-hour plus the minimum margin. Crowd and expert
vendors differ by these parameters, not by code. `list` keeps the scenario's price.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from labelmarket.model.core.declared import FRACTION, declare
from labelmarket.model.core.strategies.base import Params, Policy, Signals, dominant

PARAMETERS = declare("vendor", [
    ("price_utilisation_response", 0.3, "log $ / utilisation",
     "How strongly the price follows utilisation above or below its normal level.",
     {"ge": 0, "le": 5}),
    ("price_market_response", 0.1, "per month",
     "Share of the gap to the vendor's usual position against market prices closed a month.",
     FRACTION),
    ("price_share_discount", 0.3, "log $ / share lost",
     "Discount per unit of its share of the tier's spend the vendor has lost lately.",
     {"ge": 0, "le": 5}),
    ("price_max_step", 0.03, "log $ / month", "Largest price change in one month (contracts).",
     {"ge": 0, "le": 0.5}),
    ("min_margin", 0.1, "share of pay", "Smallest markup over pay per task-hour a cut may leave.",
     {"ge": 0, "le": 5}),
], group="strategy")  # fmt: skip


class AdaptivePricing(Policy):
    """Prices follow utilisation, the market's price level and lost share; floor at cost."""

    decision: ClassVar[str] = "pricing"
    name: ClassVar[str] = "adaptive"
    parameters = PARAMETERS
    reasons = ("unchanged", "demand above capacity", "idle capacity", "market prices",
               "clients lost", "cost floor")  # fmt: skip

    @staticmethod
    def decide(s: Signals, p: Params) -> tuple[np.ndarray, np.ndarray]:
        """Next month's price (R, V, 2) and why it moved."""
        util = p["price_utilisation_response"][..., None] * s.utilisation_gap
        market = -p["price_market_response"][..., None] * s.price_gap
        discount = -p["price_share_discount"][..., None] * s.share_loss
        limit = p["price_max_step"][..., None]
        step = np.clip(util + market + discount, -limit, limit)
        floor = s.log_cost_floor + np.log1p(p["min_margin"])[..., None]
        wanted = s.log_price + step
        floored = (wanted < floor) & (step < 0)
        new = np.where(floored, np.maximum(np.minimum(s.log_price, floor), wanted), wanted)
        reason = dominant([util, market, discount], step, [np.where(util > 0, 1, 2), 3, 4])
        reason = np.where(floored & (new > wanted), 5, reason)
        return np.exp(new), reason


class ListPrice(Policy):
    """The scenario's list price, never changed by the vendor itself."""

    decision: ClassVar[str] = "pricing"
    name: ClassVar[str] = "list"
    reasons = AdaptivePricing.reasons

    @staticmethod
    def decide(s: Signals, p: Params) -> tuple[np.ndarray, np.ndarray]:
        """This month's price again."""
        return np.exp(s.log_price), np.zeros(s.log_price.shape, dtype=np.int64)
