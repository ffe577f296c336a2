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

from model.state import MarketState
from model.world import World

_TINY = 1e-300


def tier_budgets(world: World, state: MarketState, budget_shock: np.ndarray) -> np.ndarray:
    """Each client's budget this month split into (generalist, expert) dollars: (R, C, 2)."""
    t = state.month
    sigma = world.constants.budget_noise
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
    k = world.constants
    u = world.quality_sensitivity[:, :, None, None] * state.belief_mean
    u -= world.price_sensitivity[:, :, None, None] * np.log(state.price)[:, None]
    side = -world.conflict_sensitivity[:, :, None] * state.exposure
    side += k.owner_affinity * (state.stake.transpose(0, 2, 1) > 0)
    u += side[..., None]
    u += world.inertia[:, :, None, None] * np.log(state.tier_share + k.incumbent_min_share)
    return u


def over_vendors(a: np.ndarray) -> np.ndarray:
    """Sum over the vendor axis of (R, C, V, 2), kept as (R, C, 1, 2).

    numpy's strided `sum(axis=2)` is several times slower than einsum on these shapes.
    """
    return np.einsum("rcvk->rck", a)[:, :, None]


def _exp_utility(u: np.ndarray, open_: np.ndarray) -> np.ndarray:
    """exp(u - max over open vendors), zero where closed: the logit weights before norming."""
    masked = np.where(open_, u, -np.inf)
    top = masked[:, :, 0].copy()
    for v in range(1, masked.shape[2]):  # faster than a strided max(axis=2)
        np.maximum(top, masked[:, :, v], out=top)
    top = np.where(np.isfinite(top), top, 0.0)[:, :, None]
    return np.exp(masked - top)


def _normalise(e: np.ndarray) -> np.ndarray:
    """Shares over vendors from logit weights; all zero where every weight is zero."""
    total = over_vendors(e)
    return e / np.where(total > 0, total, 1.0)


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
    """
    remaining = budget
    cap_left = capacity
    spend = np.zeros_like(u)
    requested = first_fill = None
    weights = _exp_utility(u, open_)  # utilities do not change between rounds: one exp
    for _ in range(rounds):
        want = remaining[:, :, None, :] * _normalise(weights)
        hours = np.einsum("rcvk->rvk", want / price[:, None])
        fill = np.where(hours > cap_left, cap_left / np.maximum(hours, _TINY), 1.0)
        spend += want * fill[:, None]
        if requested is None:
            requested, first_fill = want, fill
        full = fill < 1.0
        if not full.any():
            break
        remaining = np.einsum("rcvk->rck", want * (1.0 - fill[:, None]))
        cap_left = cap_left - hours * fill
        weights = weights * ~full[:, None]
    return spend, requested, first_fill


def open_vendors(state: MarketState, world: World) -> np.ndarray:
    """Which client can buy which vendor's tier this month: (R, C, V, 2) bool."""
    capacity = state.workforce * world.hours_per_worker > 0
    return (state.active[:, None, :] & ~state.blocked)[..., None] & capacity[:, None]
