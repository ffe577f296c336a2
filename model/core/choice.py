"""Demand and choice: each client's budget per tier, logit shares, capacity rationing.

Clients split each tier's budget across vendors by a multinomial logit over
`b_q * believed_quality - b_p * ln(price) - conflict + owner_affinity + inertia`. Using the
log of price makes `b_p` an elasticity, comparable between the cheap generalist tier and the
expensive expert tier. The incumbency term is `inertia * ln(last_share + floor)`: a habit
that grows with last month's share, so with inertia 1 and nothing else changing a client
keeps its allocation, and below 1 it drifts toward what quality and price favour.
Over-subscribed vendors serve every client the same fraction of what it asked; the
unserved money goes back to the logit over vendors that still have room.
"""

from __future__ import annotations

import numpy as np

from labelmarket.model.core.state import MarketState
from labelmarket.model.core.world import World, per_replicate

_TINY = 1e-300


def tier_budgets(world: World, state: MarketState, budget_shock: np.ndarray) -> np.ndarray:
    """Each client's budget this month split into (generalist, expert) dollars: (R, C, 2)."""
    t = state.month
    sigma = per_replicate(world.budget_noise, 2)
    total = (
        world.budget
        * (1.0 + world.budget_growth) ** t
        * state.budget_factor
        * np.exp(sigma * budget_shock - 0.5 * sigma * sigma)
    )
    s0 = world.expert_share
    logit = np.log(s0 / (1.0 - s0)) + world.expert_trend * (t / 12.0) + state.expert_shift
    expert = 1.0 / (1.0 + np.exp(-logit))
    return total[..., None] * np.stack([1.0 - expert, expert], axis=-1)


def utility(world: World, state: MarketState) -> np.ndarray:
    """Utility of each vendor's tier for each client: (R, C, V, 2)."""
    k = world
    u = world.quality_sensitivity[:, :, None, None] * state.belief_mean
    u -= world.price_sensitivity[:, :, None, None] * np.log(state.price)[:, None]
    side = -world.conflict_sensitivity[:, :, None] * state.exposure
    side += per_replicate(k.owner_affinity, 3) * (state.stake.transpose(0, 2, 1) > 0)
    u += side[..., None]
    floor = per_replicate(k.incumbent_min_share, 4)
    u += world.inertia[:, :, None, None] * np.log(state.tier_share + floor)
    return u


def allocate(
    u: np.ndarray,
    open_: np.ndarray,
    budget: np.ndarray,
    price: np.ndarray,
    capacity: np.ndarray,
    rounds: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Spend by client x vendor x tier after rationing, plus first-round requests and fill.

    Returns (spend $, requested $ in the first round, first-round fill rate per vendor-tier).
    Unserved money is exactly zero when nobody is rationed, so extra rounds change nothing
    and a replicate's numbers never depend on which other replicates share its batch.
    Internally vendors sit on the last axis (R, C, 2, V), so every reduction over vendors
    is contiguous; utilities do not change between rounds, so exponentials are taken once.
    """
    masked = np.where(open_, u, -np.inf).transpose(0, 1, 3, 2).copy()  # (R, C, 2, V)
    top = masked.max(axis=-1, keepdims=True)
    weights = np.exp(masked - np.where(np.isfinite(top), top, 0.0))
    price_kv = price.transpose(0, 2, 1)  # (R, 2, V)
    cap_left = capacity.transpose(0, 2, 1)
    remaining = budget  # (R, C, 2)
    spend = requested = first_fill = None
    for _ in range(rounds):
        total = weights.sum(axis=-1)
        want = weights * (remaining / np.where(total > 0, total, 1.0))[..., None]
        hours = want.sum(axis=1) / price_kv  # price does not depend on the client
        fill = np.where(hours > cap_left, cap_left / np.maximum(hours, _TINY), 1.0)
        got = want * fill[:, None]
        if spend is None:
            spend, requested, first_fill = got, want, fill
        else:
            spend += got
        full = fill < 1.0
        if not full.any():
            break
        remaining = np.einsum("rckv,rkv->rck", want, 1.0 - fill)  # exactly 0 where not full
        cap_left = cap_left - hours * fill
        weights = weights * ~full[:, None]
    back = (0, 1, 3, 2)
    return (
        np.ascontiguousarray(spend.transpose(back)),
        requested.transpose(back),
        first_fill.transpose(0, 2, 1),
    )


def open_vendors(state: MarketState, world: World) -> np.ndarray:
    """Which client can buy which vendor's tier this month: (R, C, V, 2) bool."""
    capacity = state.workforce * world.hours_per_worker > 0
    return (state.active[:, None, :] & ~state.blocked)[..., None] & capacity[:, None]
