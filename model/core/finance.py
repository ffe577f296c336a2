"""Finances: payments move from clients to vendors, wages and overheads go out, valuations
follow revenue and growth. Every dollar a client spends is a dollar of some vendor's revenue.

The valuation is a multiple of smoothed annualised revenue. The multiple a vendor deserves
at steady revenue (its base) rises with growth: base x (recent / year-long revenue)^e. A
deal re-marks the multiple at the deal's price (`model.scenario.events.investment`); the
mark then fades toward the fundamental multiple at `valuation_reversion` a month, so a
vendor that loses its clients after a stake is valued on the revenue it still has.
"""

from __future__ import annotations

import numpy as np

from labelmarket.model.core.state import MarketState
from labelmarket.model.core.world import World, per_replicate

YEAR_WEIGHT = 1.0 / 12.0  # weight of the latest month in the year-long averages


def smooth(old: np.ndarray, new: np.ndarray, weight: np.ndarray | float) -> np.ndarray:
    """Exponential smoothing; a series never seen before (still 0) starts at its value."""
    return np.where(old == 0, new, weight * new + (1.0 - weight) * old)


def settle(world: World, state: MarketState, revenue: np.ndarray) -> dict[str, np.ndarray]:
    """Book this month's revenue (R, V) and costs; return revenue, costs and valuation."""
    wages = (state.workforce * state.wage).sum(axis=-1)
    costs = (wages + world.overhead) * state.active  # a vendor not yet in business pays nothing
    state.cash = state.cash + revenue - costs
    follow_revenue(world, state, revenue, costs)
    revalue(world, state)
    return {"revenue": revenue, "costs": costs, "valuation": valuation(state)}


def follow_revenue(
    world: World, state: MarketState, revenue: np.ndarray, costs: np.ndarray
) -> None:
    """Update the smoothed revenue (recent and year-long) and smoothed profit."""
    a = per_replicate(world.revenue_smoothing, 2)
    fresh = state.revenue_ema == 0
    state.revenue_ema = smooth(state.revenue_ema, revenue, a)
    state.revenue_slow = smooth(state.revenue_slow, revenue, YEAR_WEIGHT)
    profit = revenue - costs
    state.profit_ema = np.where(fresh, profit, a * profit + (1 - a) * state.profit_ema)


def revalue(world: World, state: MarketState) -> None:
    """Move each multiple a step toward the one its growth deserves."""
    growth = state.revenue_ema / np.where(state.revenue_slow > 0, state.revenue_slow, 1.0)
    growth = np.where(state.revenue_slow > 0, growth, 1.0)
    fundamental = state.base_multiple * growth ** per_replicate(
        world.valuation_growth_elasticity, 2
    )
    step = per_replicate(world.valuation_reversion, 2)
    state.valuation_multiple = state.valuation_multiple + step * (
        fundamental - state.valuation_multiple
    )


def valuation(state: MarketState) -> np.ndarray:
    """Valuation (R, V): the multiple times smoothed annualised revenue."""
    return state.valuation_multiple * 12.0 * state.revenue_ema
