"""Vendors' monthly decisions: what they observe (signals), what they decide (policies).

After the month is settled every vendor reads the same kind of signals (utilisation,
prices, its share of spend, staffing, losses, its generalist revenue, the market's expert
demand), each against the level where the rules settled before the start, so that a quiet
market moves nothing. Its policies (`model.core.strategies`) then set next month's price,
pay and expert push, and say why each moved. `decide` groups vendors by policy; the Mesa
driver calls it for one vendor at a time (an agent's decision method), with the same
numbers, since policies work element by element on these signals.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from labelmarket.model.core.finance import YEAR_WEIGHT, smooth
from labelmarket.model.core.state import MarketState
from labelmarket.model.core.strategies import POLICIES, VENDOR_DECISIONS, Signals
from labelmarket.model.core.workforce import peer_groups
from labelmarket.model.core.world import World, per_replicate

Decisions = dict[str, tuple[np.ndarray, np.ndarray]]
"""decision -> (new values, reason codes), for the vendors decided."""


def _ratio_fall(fast: np.ndarray, slow: np.ndarray) -> np.ndarray:
    """How far a recent average fell below a longer one, 0..1 (0 for a series never seen)."""
    return np.clip(1.0 - fast / np.where(slow > 0, slow, 1.0), 0.0, 1.0) * (slow > 0)


def _mean_over_active(values: np.ndarray, active: np.ndarray) -> np.ndarray:
    """Mean over active vendors per tier, (R, 1, 2) for (R, V, 2) values."""
    on = active[..., None].astype(float)
    return (values * on).sum(axis=1, keepdims=True) / np.maximum(on.sum(axis=1, keepdims=True), 1)


def peer_log_wage(world: World, state: MarketState) -> np.ndarray:
    """Mean log pay of each vendor's labour market (see `workforce.peer_groups`): (R, V, 2)."""
    log_wage = np.log(np.maximum(state.wage, 1e-12))
    out = np.zeros_like(log_wage)
    for mask, tier in peer_groups(world, state):
        on = state.active[:, mask].astype(float)
        mean = (log_wage[:, mask, tier] * on).sum(axis=1) / np.maximum(on.sum(axis=1), 1)
        out[:, mask, tier] = mean[:, None]
    return out


def price_position(state: MarketState) -> np.ndarray:
    """Log price minus the market's mean log price in the tier: (R, V, 2)."""
    log_price = np.log(state.price)
    return log_price - _mean_over_active(log_price, state.active)


def observe(world: World, state: MarketState, by_tier: np.ndarray, month: dict) -> None:
    """Update the smoothed series the signals read, from this month's outcome (spend per
    vendor and tier, (R, V, 2), capacity, served hours and staffing target)."""
    a = per_replicate(world.revenue_smoothing, 3)
    capacity = month["capacity"]
    util = np.where(capacity > 0, month["served_hours"] / np.maximum(capacity, 1e-12), 0.0)
    state.util_ema = smooth(state.util_ema, util, a)
    target = month["staff_target"]
    short = (target - state.workforce) / np.maximum(target, 1e-9)
    state.shortage_ema = np.where(target > 0, a * short + (1 - a) * state.shortage_ema, 0.0)
    share = by_tier / np.maximum(by_tier.sum(axis=1, keepdims=True), 1e-300)
    state.share_fast = smooth(state.share_fast, share, a)
    state.share_slow = smooth(state.share_slow, share, YEAR_WEIGHT)
    state.generalist_fast = smooth(state.generalist_fast, by_tier[..., 0], a[..., 0])
    state.generalist_slow = smooth(state.generalist_slow, by_tier[..., 0], YEAR_WEIGHT)
    expert = by_tier[..., 1].sum(axis=1)
    state.expert_fast = smooth(state.expert_fast, expert, a[:, 0, 0])
    state.expert_slow = smooth(state.expert_slow, expert, YEAR_WEIGHT)


def losing(state: MarketState) -> np.ndarray:
    """Smoothed losses over smoothed revenue, 0..1 (0 while making money): (R, V)."""
    revenue = np.where(state.revenue_ema > 0, state.revenue_ema, 1.0)
    return np.clip(-state.profit_ema / revenue, 0.0, 1.0) * (state.revenue_ema > 0)


def signals(world: World, state: MarketState) -> Signals:
    """What every vendor sees this month, each against its settled level."""
    log_wage = np.log(np.maximum(state.wage, 1e-12))
    growth = state.expert_fast / np.where(state.expert_slow > 0, state.expert_slow, 1.0) - 1.0
    return Signals(
        log_price=np.log(state.price),
        price_gap=price_position(state) - state.price_anchor,
        utilisation_gap=state.util_ema - state.util_normal,
        share_loss=_ratio_fall(state.share_fast, state.share_slow),
        log_cost_floor=np.log(np.maximum(state.wage / world.hours_per_worker, 1e-12)),
        log_wage=log_wage,
        wage_gap=log_wage - peer_log_wage(world, state) - state.wage_anchor,
        shortage_gap=state.shortage_ema - state.shortage_normal,
        losing=np.maximum(losing(state) - state.losing_normal, 0.0),
        decline=_ratio_fall(state.generalist_fast, state.generalist_slow),
        expert_growth=np.broadcast_to(np.maximum(growth, 0.0)[:, None], state.push.shape),
        push=state.push,
    )


def decide(world: World, s: Signals, vendors: Sequence[int] | None = None) -> Decisions:
    """Every vendor decision for `vendors` (default: all), grouped by the policy each uses."""
    cols = np.arange(world.n_vendors) if vendors is None else np.asarray(vendors)
    out: Decisions = {}
    for decision in VENDOR_DECISIONS:
        names = np.asarray(world.policies[decision])[cols]
        values = reasons = None
        for name in dict.fromkeys(names.tolist()):
            mine = np.flatnonzero(names == name)
            policy = POLICIES[decision][name]
            every = vendors is None and len(mine) == len(cols)  # no copy when all share one
            picked = slice(None) if every else cols[mine]
            params = {d.name: world.values[d.name][:, picked] for d in policy.parameters}
            v, r = policy.decide(s if every else s.columns(picked), params)
            if values is None:
                values = np.empty((v.shape[0], len(cols), *v.shape[2:]))
                reasons = np.empty(values.shape, dtype=np.int64)
            values[:, mine], reasons[:, mine] = v, r
        out[decision] = (values, reasons)
    return out


def apply(state: MarketState, decided: Decisions) -> None:
    """Set next month's price, pay and push (new arrays: this month's records keep theirs);
    vendors not yet in business keep their own."""
    for field, decision in (("price", "pricing"), ("wage", "wages"), ("push", "skill_mix")):
        values, _ = decided[decision]
        on = state.active[..., None] if values.ndim == 3 else state.active
        setattr(state, field, np.where(on, values, getattr(state, field)))
