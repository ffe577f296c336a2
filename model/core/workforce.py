"""Workforce: vendors hire toward demand, lose workers to better-paying rivals, lay off idle
workers while they lose money. Pools are head-counts per skill tier, never negative.

Labour markets: experts move between any vendors, so expert pay is compared across the
whole market; generalists compete within their business model (crowd contractors against
crowd platforms, an expert network's in-house generalists against its peers), since a crowd
contractor is not hired into an expert network's generalist roles.
"""

from __future__ import annotations

import numpy as np

from labelmarket.model.core.state import MarketState
from labelmarket.model.core.world import World, per_replicate


def staff(world: World, state: MarketState, requested_hours: np.ndarray) -> dict[str, np.ndarray]:
    """Move each vendor's tier pools toward the workers this month's demand needs."""
    k = world
    best = _best_rival_wage(world, state)
    relative = np.where(best > 0, state.wage / np.maximum(best, 1e-12), 1.0)
    poaching = per_replicate(k.poaching_rate, 3)
    quits = state.workforce * (world.attrition_rate + poaching * (1.0 - relative))
    after = state.workforce - quits
    buffer = per_replicate(k.capacity_buffer, 3)
    target = requested_hours * (1.0 + buffer) / world.hours_per_worker
    gap = target - after
    elasticity = per_replicate(k.hiring_wage_elasticity, 3)
    hires = state.hiring_rate * np.maximum(gap, 0.0) * relative**elasticity
    losing = (state.profit_ema < 0)[..., None]
    layoffs = world.layoff_rate * np.maximum(-gap, 0.0) * losing
    new = np.maximum(after + hires - layoffs, 0.0)
    state.workforce = np.where(state.active[..., None], new, state.workforce)
    on = state.active[..., None]
    return {"hires": hires * on, "layoffs": layoffs * on}


def _best_rival_wage(world: World, state: MarketState) -> np.ndarray:
    """The best pay a worker of each vendor and tier could move to: (R, V, 2)."""
    wage = np.where(state.active[..., None], state.wage, 0.0)
    best = np.broadcast_to(wage.max(axis=1, keepdims=True), wage.shape).copy()
    for m in range(len(world.business_models)):
        group = world.business_model == m
        if group.any():
            best[:, group, 0] = wage[:, group, 0].max(axis=1, keepdims=True)
    return best
