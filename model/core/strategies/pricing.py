"""Pricing strategies: how a vendor sets next month's price per task-hour, tier by tier.

`markup` (the default) moves the log price a share of the way to a target, capped at a
monthly step:

    ln p* = ln kappa + ln mu + ln c + u * max(util - util_normal, 0)
    mu = e / (e - 1),   e = 1 + sum_c w_c b_c (1 - P_c)

the Bertrand-Nash markup over marginal cost `c` (pay per task-hour) of a firm facing logit
demand (Berry 1994; Nevo 2001), with `e` the elasticity of the hours its clients buy (their
price sensitivities b, their wanted shares P, weighted by spend); `u` prices scarce capacity;
`kappa` is the vendor's own position, solved at the start so that the stated price is its
target there. So higher pay is passed on, a vendor that loses share prices lower, a full
one higher. A cut never takes a price below marginal cost plus the minimum margin (a price
already below that floor is not raised by it). `list` keeps the scenario's price.
"""

from __future__ import annotations

import math
from typing import Annotated, ClassVar

from labelmarket.model.core.compiled import rule
from labelmarket.model.core.declared import FRACTION, declarations, param
from labelmarket.model.core.strategies.base import MOVE, Policy

MARKUP, LIST = range(2)  # policy codes
UNCHANGED, COSTS, DEMAND, CAPACITY, COST_FLOOR = range(5)
REASONS = ("unchanged", "costs passed on", "demand it faces", "capacity", "cost floor")


class Pricing:
    """Parameters of the pricing policies, per vendor: (R, V)."""

    # fmt: off
    price_adjustment: Annotated[float, param(
        0.15, "per month",
        "Share of the gap between the price and its target closed a month (contracts and "
        "price lists move slowly).",
        **FRACTION)]
    price_capacity_response: Annotated[float, param(
        1.0, "log $ / utilisation",
        "Price premium per unit of smoothed utilisation above its normal level (scarce "
        "capacity is priced).",
        ge=0, le=10)]
    price_max_step: Annotated[float, param(
        0.05, "log $ / month",
        "Largest price change in one month.",
        ge=0, le=0.5)]
    min_margin: Annotated[float, param(
        0.05, "share of cost",
        "Smallest markup over pay per task-hour a price may keep.",
        ge=0, le=5)]
    # fmt: on


PARAMETERS = declarations(Pricing, "vendor", "strategy")


class MarkupPricing(Policy):
    """Prices follow marginal cost times the markup the demand faced allows."""

    decision: ClassVar[str] = "pricing"
    name: ClassVar[str] = "markup"
    code: ClassVar[int] = MARKUP
    parameters = PARAMETERS
    reasons = REASONS


class ListPrice(Policy):
    """The scenario's list price, never changed by the vendor itself."""

    decision: ClassVar[str] = "pricing"
    name: ClassVar[str] = "list"
    code: ClassVar[int] = LIST
    reasons = REASONS


@rule
def markup_price(s, p, k):
    """Next month's price in tier k and the reason it moved, from a vendor's signals `s` and
    parameters `p` (records)."""
    log_price = s.log_price[k]
    target = s.target_price[k] + p.price_capacity_response * s.capacity_gap[k]
    limit = p.price_max_step
    step = min(max(p.price_adjustment * (target - log_price), -limit), limit)
    floor = s.log_cost[k] + math.log1p(p.min_margin)  # marginal cost plus the least margin
    floor = min(floor, log_price)  # the floor stops cuts; it never raises a price by itself
    new = max(log_price + step, floor) if step < 0 else log_price + step
    reason = UNCHANGED
    if abs(new - log_price) > MOVE:  # the term that pushed hardest the way the price moved
        sign = 1.0 if new > log_price else -1.0
        scarce = p.price_capacity_response * s.capacity_gap[k]
        reason, best = COSTS, s.cost_change[k] * sign
        if s.markup_change[k] * sign > best:
            reason, best = DEMAND, s.markup_change[k] * sign
        if scarce * sign > best:
            reason = CAPACITY
        if step < 0 and new > log_price + step:
            reason = COST_FLOOR
    return math.exp(new), reason


@rule
def price(code, s, p, k):
    """Next month's price and reason by the vendor's pricing policy (`code`)."""
    if code == LIST:
        return math.exp(s.log_price[k]), UNCHANGED
    return markup_price(s, p, k)
