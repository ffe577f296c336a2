"""The start: a world begins where its own rules settle, so nothing moves without a cause.

Before the first reported month the observed relationships run for `spin_up_months`
(the scenario's `current_vendors`, demand growing into the first month's level as it will
grow after it, no events, no noise): clients learn each vendor's quality from what it
delivers them, vendors staff to the work their clients send, and the smoothed series that
strategies read settle. Then:
- every signal a vendor reads is measured against these settled levels (anchors), so a
  quiet market asks no price or pay change;
- each client-vendor fit (`match`) is solved so that the logit choice, with the settled
  beliefs and the starting prices, wants exactly the observed shares (Berry's inversion,
  as demand models calibrate product intercepts to market shares). A vendor a client does
  not use keeps a trial share; a vendor entering later gets the fit of those. The fits
  are solved half-way through the spin-up too, so that vendors staff for the choice's own
  split of each client's spend across tiers, not for the observed total alone.
The start is deterministic, so it is computed once and copied to every replicate whose
parameters are the same.
"""

from __future__ import annotations

import numpy as np

from labelmarket.model.core import choice, decisions, tiers
from labelmarket.model.core.finance import follow_revenue
from labelmarket.model.core.learning import drift_quality, update_beliefs
from labelmarket.model.core.state import MarketState, observed_shares
from labelmarket.model.core.workforce import staff
from labelmarket.model.core.world import World

MATCH_ITERATIONS = 500
MATCH_TOLERANCE = 1e-9  # in log share: far below any share a table shows


def settle(world: World, state: MarketState) -> dict[str, np.ndarray]:
    """One month of the observed relationships (no choice, no events, no noise).

    Demand grows into the first month as it will grow after it, so the staffing lag and
    utilisation that growth brings are part of the settled levels.
    """
    budget = choice.tier_budgets(world, state, np.zeros(state.budget_factor.shape))
    open_ = choice.open_vendors(state, world)
    contracts = choice.on_open(state.contracts, open_)
    requested = tiers.by_tier(np.multiply, contracts, budget[:, :, None, :])
    capacity = state.workforce * world.hours_per_worker
    hours = requested.sum(axis=1) / state.price
    fill = np.where(hours > capacity, capacity / np.maximum(hours, 1e-300), 1.0)
    spend = requested * fill[:, None]
    served = tiers.by_tier(np.divide, spend, np.where(budget > 0, budget, 1.0)[:, :, None, :])
    update_beliefs(world, state, served, np.zeros(served.shape))
    by_tier = spend.sum(axis=1)  # (R, V, 2)
    costs = ((state.workforce * state.wage).sum(axis=-1) + world.overhead) * state.active
    follow_revenue(world, state, by_tier.sum(axis=-1), costs)
    month = staff(world, state, hours)
    drift_quality(world, state)
    month.update(capacity=capacity, served_hours=by_tier / state.price)
    decisions.observe(world, state, by_tier, month)
    return {"budget": budget, "spend": spend}


def start(world: World, state: MarketState) -> MarketState:
    """Run the spin-up, set the anchors and solve the fits; the state of month 0."""
    months = int(world.spin_up_months)
    for t in range(-months, 0):
        if t == -(months // 2):  # the choice's own split across tiers, staffed for
            solve_match(world, state, iterations=5)
        state.month = t
        last = settle(world, state)
    state.month = 0
    state.util_normal = state.util_ema.copy()
    state.shortage_normal = state.shortage_ema.copy()
    state.price_anchor = decisions.price_position(state)
    log_wage = np.log(np.maximum(state.wage, 1e-12))
    state.wage_anchor = log_wage - decisions.peer_log_wage(world, state)
    state.wage_start = state.wage.copy()
    state.quality_target = state.quality.copy()
    state.share_slow = state.share_fast.copy()
    state.generalist_slow = state.generalist_fast.copy()
    state.expert_slow = state.expert_fast.copy()
    state.revenue_slow = state.revenue_ema.copy()
    state.losing_normal = decisions.losing(state)
    solve_match(world, state)
    _fill_rings(state, last["spend"])
    return state


def solve_match(world: World, state: MarketState, iterations: int = MATCH_ITERATIONS) -> None:
    """Fits (R, C, V) under which the wanted shares are the observed ones; set the contracts.

    The observed shares are of the first month's spend, so the tiers weigh as they do then.
    """
    month, state.month = state.month, 0
    budget = choice.tier_budgets(world, state, np.zeros(state.budget_factor.shape))
    state.month = month
    open_ = choice.open_vendors(state, world)
    target = observed_shares(world, state.active)
    weight = budget / np.where(budget.sum(-1, keepdims=True) > 0, budget.sum(-1, keepdims=True), 1)
    state.match = np.zeros_like(target)
    base = choice.utility(
        world, state.belief_mean, np.log(state.price), choice.side_terms(world, state)
    )
    on = target > 0
    log_target = np.log(np.where(on, target, 1.0))
    # start from the exact answer for one tier (the tiers' utilities weighted by budget)
    state.match = np.where(on, log_target - np.einsum("rcvk,rck->rcv", base, weight), 0.0)
    moving = np.ones(len(target), dtype=bool)  # each replicate stops on its own, so a row
    for _ in range(iterations):  # gets the same fit whatever batch it is solved in
        utility = tiers.by_tier(np.add, base, state.match[..., None])
        wanted = choice.wanted_shares(utility, open_, overwrite=True)
        predicted = np.einsum("rcvk,rck->rcv", wanted, weight)
        step = np.where(on, log_target - np.log(np.maximum(predicted, 1e-300)), 0.0)
        moving &= np.abs(step).max(axis=(1, 2)) >= MATCH_TOLERANCE
        if not moving.any():
            break
        state.match = state.match + step * moving[:, None, None]
    state.match = state.match + _entrant_fit(state, target, on)
    state.contracts = choice.wanted_shares(
        choice.utility(
            world, state.belief_mean, np.log(state.price), choice.side_terms(world, state)
        ),
        open_,
    )


def _entrant_fit(state: MarketState, observed: np.ndarray, on: np.ndarray) -> np.ndarray:
    """Fit of vendors not in business yet: the mean fit of the vendors a client only tries."""
    target = np.where(on, observed, np.inf)
    trial = on & np.isclose(target, target.min(-1, keepdims=True))
    mean_trial = (state.match * trial).sum(-1) / np.maximum(trial.sum(-1), 1)
    return np.where(~state.active[:, None, :], mean_trial[..., None], 0.0)


def _fill_rings(state: MarketState, spend: np.ndarray) -> None:
    """Defection history as if the settled month had always been."""
    by_vendor = spend.sum(axis=-1)
    total = by_vendor.sum(axis=-1, keepdims=True)
    share = by_vendor / np.where(total > 0, total, 1.0)
    state.share_history[:] = share
    state.spent_history[:] = total[..., 0] > 0
