"""Finances: payments move from clients to vendors, wages and overheads go out, valuations
follow smoothed revenue. Every dollar a client spends is a dollar of some vendor's revenue.
"""

from __future__ import annotations

import numpy as np

from labelmarket.model.core.state import MarketState
from labelmarket.model.core.world import World, per_replicate


def settle(world: World, state: MarketState, spend: np.ndarray) -> dict[str, np.ndarray]:
    """Book this month's revenue and costs; return revenue, costs and valuation: (R, V)."""
    k = world
    revenue = np.einsum("rcvk->rv", spend)
    wages = (state.workforce * state.wage).sum(axis=-1)
    costs = (wages + world.overhead) * state.active  # a vendor not yet in business pays nothing
    state.cash = state.cash + revenue - costs
    a = per_replicate(k.revenue_smoothing, 2)
    fresh = state.revenue_ema == 0
    state.revenue_ema = np.where(fresh, revenue, a * revenue + (1 - a) * state.revenue_ema)
    profit = revenue - costs
    state.profit_ema = np.where(fresh, profit, a * profit + (1 - a) * state.profit_ema)
    valuation = state.valuation_multiple * 12.0 * state.revenue_ema
    return {"revenue": revenue, "costs": costs, "valuation": valuation}
