"""Demand and choice: each client's budget per tier, the shares it wants, the allocation.

A client wants shares of each tier's budget by a multinomial logit over
`b_q * believed_quality - b_p * ln(price) - conflict + owner_affinity + match`. The log of
price makes `b_p` an elasticity, comparable between the cheap generalist tier and the
expensive expert tier. `match` is the client-vendor fit (integration, tooling, trust) that
the observed starting shares reveal (solved at the start, `model.core.startup`), so the
start is where the choice rule settles. The conflict weighs `b_c * exposure * (floor +
(1 - floor) * salience)`: a new conflict counts in full, then its fading part decays with
a half-life while nothing leaks (salience), down to a floor held as long as the stake is.
Contracts, not wishes, are what clients buy: each month a share of them is renewed toward
the wanted shares (`model.core.strategies.switching`). Over-subscribed vendors serve every
client the same fraction of what it asked; the unserved money goes to the vendors with
room, in proportion to the wanted shares.
"""

from __future__ import annotations

import numpy as np

from labelmarket.model.core.state import MarketState
from labelmarket.model.core.tiers import by_tier, by_tier_view, vendor_max, vendor_sum
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


def conflict(world: World, state: MarketState) -> np.ndarray:
    """Utility each client loses at each vendor for its rivals' ownership: (R, C, V)."""
    floor = per_replicate(world.conflict_floor, 3)
    weight = floor + (1.0 - floor) * state.salience
    return world.conflict_sensitivity[:, :, None] * state.exposure * weight


def utility(
    world: World,
    belief: np.ndarray,
    log_price: np.ndarray,
    side: np.ndarray,
) -> np.ndarray:
    """Utility (R, C, V, 2) from beliefs (R, C, V, 2), log prices (R, V, 2) and the
    vendor-level terms that do not depend on the tier (R, C, V): match, owner, conflict."""
    u = world.quality_sensitivity[:, :, None, None] * belief
    u -= world.price_sensitivity[:, :, None, None] * log_price[:, None]
    return by_tier(np.add, u, side[..., None], out=u)


def owner_term(world: World, state: MarketState) -> np.ndarray:
    """Utility each client gains at a vendor it holds a stake in: (R, C, V)."""
    return per_replicate(world.owner_affinity, 3) * (state.stake.transpose(0, 2, 1) > 0)


def side_terms(world: World, state: MarketState) -> np.ndarray:
    """Match plus owner affinity minus conflict, per client and vendor: (R, C, V)."""
    return state.match + owner_term(world, state) - conflict(world, state)


def wanted_shares(u: np.ndarray, open_: np.ndarray, overwrite: bool = False) -> np.ndarray:
    """Logit shares of each tier's budget over the open vendors: (R, C, V, 2).

    With `overwrite`, the utilities `u` (the caller's own, not needed after) hold the shares.
    """
    masked = u if open_.all() else np.where(open_, u, -np.inf)
    top = vendor_max(masked)
    scratch = masked if overwrite or masked is not u else None
    weights = by_tier(np.subtract, masked, np.where(np.isfinite(top), top, 0.0), out=scratch)
    np.exp(weights, out=weights)
    total = vendor_sum(weights)[:, :, None]
    return by_tier(np.divide, weights, np.where(total > 0, total, 1.0), out=weights)


def on_open(contracts: np.ndarray, open_: np.ndarray) -> np.ndarray:
    """Contract shares over the vendors open this month (a pause cancels its contracts)."""
    if open_.all():
        return contracts
    kept = np.where(open_, contracts, 0.0)
    total = kept.sum(axis=2, keepdims=True)
    return kept / np.where(total > 0, total, 1.0)


def allocate(
    contracts: np.ndarray,
    wanted: np.ndarray,
    budget: np.ndarray,
    price: np.ndarray,
    capacity: np.ndarray,
    rounds: int,
) -> dict[str, np.ndarray]:
    """Spend by client x vendor x tier after rationing, with what the rules read next.

    Returns `spend` ($, (R, C, V, 2)), first-round `requested` ($, (R, C, V, 2)) and
    `requested_hours` (R, V, 2), first-round `fill` (R, V, 2) and `served` ($ per vendor
    and tier, (R, V, 2)). Unserved money is exactly zero when nobody is rationed, so extra
    rounds change nothing and a replicate's numbers never depend on which other replicates
    share its batch. Internally vendors sit on the last axis (R, C, 2, V), so reductions
    over vendors are contiguous.
    """
    first = contracts.transpose(0, 1, 3, 2)  # (R, C, 2, V)
    spill = wanted.transpose(0, 1, 3, 2)
    price_kv = price.transpose(0, 2, 1)  # (R, 2, V)
    cap_left = capacity.transpose(0, 2, 1)
    want = by_tier_view(np.multiply, first, budget[..., None])
    spend = requested = first_fill = first_hours = served = None
    spare: dict[str, np.ndarray] = {}  # later rounds' arrays, reused round after round
    for _ in range(rounds):
        dollars = want.sum(axis=1)  # (R, 2, V)
        hours = dollars / price_kv  # price does not depend on the client
        fill = np.where(hours > cap_left, cap_left / np.maximum(hours, _TINY), 1.0)
        if spend is None:
            got = by_tier_view(np.multiply, want, fill[:, None])
            spend, requested, first_fill, first_hours = got, want, fill, hours
            served = dollars * fill
        else:
            got = spare["got"] = by_tier_view(np.multiply, want, fill[:, None], spare.get("got"))
            spend += got
            served = served + dollars * fill
        full = fill < 1.0
        if not full.any():
            break
        remaining = np.einsum("rckv,rkv->rck", want, 1.0 - fill)  # exactly 0 where not full
        cap_left = cap_left - hours * fill
        open_left = (~full).astype(float)[:, None]
        spill = spare["spill"] = by_tier_view(np.multiply, spill, open_left, spare.get("spill"))
        total = vendor_sum(spill.transpose(0, 1, 3, 2))
        # shares first: dividing the money by a tiny share total would overflow to inf
        safe = np.where(total > 0, total, 1.0)[..., None]
        want = spare["want"] = by_tier_view(np.divide, spill, safe, spare.get("want"))
        by_tier_view(np.multiply, want, remaining[..., None], want)
    back = (0, 1, 3, 2)
    return {
        "spend": np.ascontiguousarray(spend.transpose(back)),
        "requested": requested.transpose(back),
        "requested_hours": first_hours.transpose(0, 2, 1),
        "fill": first_fill.transpose(0, 2, 1),
        "served": served.transpose(0, 2, 1),
    }


def open_vendors(state: MarketState, world: World) -> np.ndarray:
    """Which client can buy which vendor's tier this month: (R, C, V, 2) bool."""
    capacity = state.workforce * world.hours_per_worker > 0
    return by_tier(np.logical_and, (state.active[:, None, :] & ~state.blocked)[..., None],
                   capacity[:, None])  # fmt: skip
