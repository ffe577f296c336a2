"""Workforce: vendors hire toward demand, lose workers to attrition and to better-paying
rivals, lay off idle workers while they lose money. Pools are head-counts per skill tier,
never negative, and every change is recorded by its cause.

Labour markets: experts move between any vendors, so expert pay is compared across the
whole market; generalists compete within their business model (crowd contractors against
crowd platforms, an expert network's in-house generalists against its peers), since a crowd
contractor is not hired into an expert network's generalist roles. Hiring is a partial
adjustment toward the staff the requested work needs (plus a buffer), slowed by paying
below the best rival, sped up by an expert push, and capped by recruiting capacity: a
vendor cannot add more than a share of its pool in a month.
"""

from __future__ import annotations

import numpy as np

from labelmarket.model.core.state import MarketState
from labelmarket.model.core.world import World, per_replicate


def staff(world: World, state: MarketState, requested_hours: np.ndarray) -> dict[str, np.ndarray]:
    """Move each vendor's tier pools toward the workers this month's demand needs."""
    k = world
    relative = relative_pay(world, state)
    quits = state.workforce * world.attrition_rate
    poached = state.workforce * per_replicate(k.poaching_rate, 3) * (1.0 - relative)
    after = state.workforce - quits - poached
    target = requested_hours * (1.0 + per_replicate(k.capacity_buffer, 3)) / world.hours_per_worker
    gap = target - after
    speed = state.hiring_rate * relative ** per_replicate(k.hiring_wage_elasticity, 3)
    speed[..., 1] *= 1.0 + world.push_hiring_boost * state.push
    cap = world.recruiting_capacity * np.maximum(state.workforce, state.recruit_base)
    hires = np.minimum(speed * np.maximum(gap, 0.0), cap)
    losing = (state.profit_ema < 0)[..., None]
    layoffs = world.layoff_rate * np.maximum(-gap, 0.0) * losing
    new = np.maximum(after + hires - layoffs, 0.0)
    on = state.active[..., None]
    state.workforce = np.where(on, new, state.workforce)
    flows = {"hires": hires, "quits": quits, "poached": poached, "layoffs": layoffs}
    return {**{k: v * on for k, v in flows.items()}, "staff_target": target}


def peer_groups(world: World, state: MarketState) -> list[tuple[np.ndarray, int | slice]]:
    """(vendor mask, tier) of each labour market: generalists by model, experts together."""
    groups: list[tuple[np.ndarray, int | slice]] = []
    for m in range(len(world.business_models)):
        mask = world.business_model == m
        if mask.any():
            groups.append((mask, 0))
    groups.append((np.ones(world.n_vendors, dtype=bool), 1))
    return groups


def relative_pay(world: World, state: MarketState) -> np.ndarray:
    """Each vendor's pay over the best pay a worker of its tier could move to: (R, V, 2)."""
    wage = np.where(state.active[..., None], state.wage, 0.0)
    best = np.empty_like(wage)
    for mask, tier in peer_groups(world, state):
        best[:, mask, tier] = wage[:, mask, tier].max(axis=1, keepdims=True)
    return np.where(best > 0, state.wage / np.maximum(best, 1e-12), 1.0)
