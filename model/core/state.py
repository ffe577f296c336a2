"""The market's mutable state: one row per replicate on the first axis of every array."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from labelmarket.model.core.world import World, per_replicate

TERM_NAMES: tuple[str, ...] = (
    "quality",
    "price",
    "conflict of interest",
    "capacity",
    "scripted pause",
)
"""What a defection is attributed to: a utility term (the last axis of the attribution's
terms), or, last, a pause/exit event that blocked the pair, a script rather than a choice."""
UTILITY_TERMS = len(TERM_NAMES) - 1  # the terms a choice weighs; the last name is the script


@dataclass
class MarketState:
    """Everything that changes month to month (R replicates, C clients, V vendors, 2 tiers)."""

    month: int
    workforce: np.ndarray  # (R, V, 2) workers
    wage: np.ndarray  # (R, V, 2) $ per worker-month
    quality: np.ndarray  # (R, V, 2) true delivered quality, 0..1
    quality_target: np.ndarray  # (R, V, 2) level quality drifts back (or ramps) to
    quality_rate: np.ndarray  # (R, V, 2) share of the gap to target closed each month
    price: np.ndarray  # (R, V, 2) $ per task-hour
    hiring_rate: np.ndarray  # (R, V, 2) share of the staffing gap hired each month
    cash: np.ndarray  # (R, V) $
    revenue_ema: np.ndarray  # (R, V) $ per month, smoothed
    profit_ema: np.ndarray  # (R, V) $ per month, smoothed
    valuation_multiple: np.ndarray  # (R, V) valuation / annualised revenue
    active: np.ndarray  # (R, V) bool: vendor is in the market
    stake: np.ndarray  # (R, V, C) share of vendor v owned by client c
    founder: np.ndarray  # (R, V, C) extra exposure when v's founder joined c
    exposure: np.ndarray  # (R, C, V) rivals' ownership of v as seen by c (cached)
    blocked: np.ndarray  # (R, C, V) bool: client c does not buy from v (pause/exit)
    budget_factor: np.ndarray  # (R, C) multiplier on the budget path (demand shifts, pauses)
    expert_shift: np.ndarray  # (R, C) added log-odds of the expert share
    belief_mean: np.ndarray  # (R, C, V, 2) believed quality
    belief_precision: np.ndarray  # (R, C, V, 2) 1 / variance of that belief
    tier_share: np.ndarray  # (R, C, V, 2) last month's spend share per tier (inertia)
    share_history: np.ndarray  # (L+1, R, C, V) vendor share of each client's spend, ring
    snapshots: list  # (L+1) ring of what defection attribution needs (model.defection)
    spent_history: np.ndarray  # (L+1, R, C) bool: client spent anything that month
    last_defection: np.ndarray  # (R, C, V) month of the last recorded defection
    invested: np.ndarray  # (R, C) $ clients paid for stakes, cumulative


def initial_state(world: World) -> MarketState:
    """Build month-0 state from a batched world (every parameter with a leading R axis)."""
    r = world.budget.shape[0]
    c, v = world.n_clients, world.n_vendors
    window = world.defection_window
    active = np.broadcast_to(world.entry_month <= 0, (r, v)).copy()
    shares = np.asarray(world.initial_shares, dtype=float)
    tier_share = np.repeat(shares[..., None], 2, axis=-1)
    prior_prec = per_replicate(world.prior_precision, 4)
    quality = np.array(world.quality, dtype=float)
    return MarketState(
        month=0,
        workforce=np.array(world.workforce, dtype=float),
        wage=np.array(world.wage, dtype=float),
        quality=quality,
        quality_target=quality.copy(),
        quality_rate=np.zeros_like(quality),
        price=np.array(world.price, dtype=float),
        hiring_rate=np.array(world.hiring_rate, dtype=float),
        cash=np.array(world.cash, dtype=float),
        revenue_ema=np.zeros((r, v)),
        profit_ema=np.zeros((r, v)),
        valuation_multiple=np.array(world.valuation_multiple, dtype=float),
        active=active,
        stake=np.zeros((r, v, c)),
        founder=np.zeros((r, v, c)),
        exposure=np.zeros((r, c, v)),
        blocked=np.zeros((r, c, v), dtype=bool),
        budget_factor=np.ones((r, c)),
        expert_shift=np.zeros((r, c)),
        belief_mean=np.broadcast_to(world.reputation[:, None], (r, c, v, 2)).copy(),
        belief_precision=np.broadcast_to(prior_prec, (r, c, v, 2)).copy(),
        tier_share=tier_share,
        share_history=np.repeat(shares[None], window + 1, axis=0),
        snapshots=[None] * (window + 1),
        spent_history=np.zeros((window + 1, r, c), dtype=bool),
        last_defection=np.full((r, c, v), -(10**6), dtype=np.int64),
        invested=np.zeros((r, c)),
    )


def refresh_exposure(state: MarketState, is_lab: np.ndarray) -> None:
    """Recompute each client's conflict exposure at each vendor after ownership changed.

    A lab sees a vendor as conflicted by the stakes (and the founder) that *other* labs hold
    in it; enterprise buyers do not compete with labs and see no conflict.
    """
    owned = state.stake + state.founder  # (R, V, C)
    by_labs = (owned * is_lab).sum(axis=-1)  # (R, V)
    own = owned * is_lab  # a lab's own holding does not count against itself
    rivals = by_labs[:, :, None] - own  # (R, V, C)
    state.exposure = np.clip(rivals.transpose(0, 2, 1), 0.0, 1.0) * is_lab[None, :, None]
