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

import math
from typing import Annotated, ClassVar

from labelmarket.model.core.compiled import rule
from labelmarket.model.core.declared import FRACTION, declarations, param
from labelmarket.model.core.strategies.base import MOVE, Policy

UNCHANGED, DEMAND_ABOVE_CAPACITY, IDLE_CAPACITY, MARKET_PRICES, CLIENTS_LOST, COST_FLOOR = range(6)
ADAPTIVE, LIST = range(2)  # policy codes
REASONS = ("unchanged", "demand above capacity", "idle capacity", "market prices",
           "clients lost", "cost floor")  # fmt: skip


class Pricing:
    """Parameters of the pricing policies, per vendor: (R, V)."""

    price_utilisation_response: Annotated[
        float,
        param(
            0.3,
            "log $ / utilisation",
            "How strongly the price follows utilisation above or below its normal level.",
            ge=0,
            le=5,
        ),
    ]
    price_market_response: Annotated[
        float,
        param(
            0.1,
            "per month",
            "Share of the gap to the vendor's usual position against market prices closed a month.",
            **FRACTION,
        ),
    ]
    price_share_discount: Annotated[
        float,
        param(
            0.3,
            "log $ / share lost",
            "Discount per unit of its share of the tier's spend the vendor has lost lately.",
            ge=0,
            le=5,
        ),
    ]
    price_max_step: Annotated[
        float,
        param(
            0.03, "log $ / month", "Largest price change in one month (contracts).", ge=0, le=0.5
        ),
    ]
    min_margin: Annotated[
        float,
        param(
            0.1,
            "share of pay",
            "Smallest markup over pay per task-hour a cut may leave.",
            ge=0,
            le=5,
        ),
    ]


PARAMETERS = declarations(Pricing, "vendor", "strategy")


class AdaptivePricing(Policy):
    """Prices follow utilisation, the market's price level and lost share; floor at cost."""

    decision: ClassVar[str] = "pricing"
    name: ClassVar[str] = "adaptive"
    code: ClassVar[int] = ADAPTIVE
    parameters = PARAMETERS
    reasons = REASONS


class ListPrice(Policy):
    """The scenario's list price, never changed by the vendor itself."""

    decision: ClassVar[str] = "pricing"
    name: ClassVar[str] = "list"
    code: ClassVar[int] = LIST
    reasons = REASONS


@rule
def adaptive_price(s, p, k):
    """Next month's price in tier k and the reason it moved, from a vendor's signals `s` and
    parameters `p` (records)."""
    util = p.price_utilisation_response * s.utilisation_gap[k]
    market = -p.price_market_response * s.price_gap[k]
    discount = -p.price_share_discount * s.share_loss[k]
    limit = p.price_max_step
    step = min(max(util + market + discount, -limit), limit)
    floor = s.log_cost_floor[k] + math.log1p(p.min_margin)
    log_price = s.log_price[k]
    wanted = log_price + step
    floored = wanted < floor and step < 0
    new = max(min(log_price, floor), wanted) if floored else wanted
    reason = UNCHANGED
    if abs(step) > MOVE:  # the term that pushed hardest the way the price moved
        sign = 1.0 if step > 0 else -1.0
        reason, best = (DEMAND_ABOVE_CAPACITY if util > 0 else IDLE_CAPACITY), util * sign
        if market * sign > best:
            reason, best = MARKET_PRICES, market * sign
        if discount * sign > best:
            reason = CLIENTS_LOST
    if floored and new > wanted:
        reason = COST_FLOOR
    return math.exp(new), reason


@rule
def price(code, s, p, k):
    """Next month's price and reason by the vendor's pricing policy (`code`)."""
    if code == LIST:
        return math.exp(s.log_price[k]), UNCHANGED
    return adaptive_price(s, p, k)
