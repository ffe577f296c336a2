"""One month of the market for every replicate at once: the rules both drivers share.

Order within a month: events dated this month apply; demand; the shares clients want and
their contracts' renewal; allocation with capacity rationing and spill-over; delivery and
learning; payments, costs and valuations; hiring, quits and layoffs; quality drift; the
vendors' decisions for next month (price, pay, expert push); defections; conflicts fade.
Random shocks come from each replicate's own generator, so a replicate's numbers never
depend on which batch it ran in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from labelmarket.model.core import choice, decisions
from labelmarket.model.core.defection import detect, snapshot
from labelmarket.model.core.effects import apply_due
from labelmarket.model.core.finance import settle
from labelmarket.model.core.learning import drift_quality, update_beliefs
from labelmarket.model.core.state import MarketState
from labelmarket.model.core.strategies import Signals
from labelmarket.model.core.strategies.switching import ContractRenewal
from labelmarket.model.core.tiers import by_tier, tier_total
from labelmarket.model.core.workforce import staff
from labelmarket.model.core.world import World, per_replicate

Decide = Callable[[World, MarketState, Signals], decisions.Decisions]
"""How vendors decide: `decisions.decide` for all at once, or the Mesa agents one by one."""
Renew = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]
"""How clients renew contracts (contracts, wanted, renewal rate) -> contracts: all at once,
or the Mesa agents one by one."""


def draw_shocks(
    generators: Sequence[np.random.Generator], n_clients: int, n_vendors: int
) -> tuple[np.ndarray, np.ndarray]:
    """Draw this month's delivery noise (R, C, V, 2) and budget noise (R, C), per replicate."""
    n_delivery = n_clients * n_vendors * 2
    raw = np.empty((len(generators), n_delivery + n_clients))
    for row, g in zip(raw, generators, strict=True):
        g.standard_normal(out=row)
    delivery = raw[:, :n_delivery].reshape(len(generators), n_clients, n_vendors, 2)
    return delivery, raw[:, n_delivery:]


def _safe(den: np.ndarray) -> np.ndarray:
    """Denominator with zeros replaced by one (the numerator is zero there too)."""
    return np.where(den > 0, den, 1.0)


def _all_vendors(world: World, state: MarketState, s: Signals) -> decisions.Decisions:
    """Every vendor decides by its policies (the batched engine's way)."""
    return decisions.decide(world, s)


def choose(
    world: World, state: MarketState, budget: np.ndarray, open_: np.ndarray, renew: Renew
) -> dict:
    """Wanted shares, renewed contracts and the allocation of this month's budgets."""
    owner, conflict = choice.owner_term(world, state), choice.conflict(world, state)
    side = state.match + owner - conflict  # (R, C, V): choice.side_terms
    log_price = np.log(state.price)
    utility = choice.utility(world, state.belief_mean, log_price, side)  # a new array
    wanted = choice.wanted_shares(utility, open_, overwrite=True)
    renewed = renew(choice.on_open(state.contracts, open_), wanted, world.contract_renewal)
    state.contracts = renewed
    capacity = state.workforce * world.hours_per_worker
    month = choice.allocate(renewed, wanted, budget, state.price, capacity, int(world.spill_rounds))
    return {**month, "capacity": capacity, "owner": owner, "conflict": conflict}


def _attribution_inputs(
    world: World, state: MarketState, budget: np.ndarray, open_: np.ndarray, month: dict
) -> dict[str, np.ndarray]:
    """This month's choice inputs and spend, kept (as references) for attributing later
    defections; shares are derived only for the pairs that defect."""
    return snapshot(state, {
        "weight": budget / _safe(budget.sum(axis=-1))[..., None],
        "conflict": month["conflict"],
        "owner": month["owner"],
        "open": open_,
        "requested": month["requested"],
        "spend": month["spend"],
        "budget": budget,
    })  # fmt: skip


def advance(
    world: World,
    state: MarketState,
    generators: Sequence[np.random.Generator],
    decide: Decide = _all_vendors,
    renew: Renew = ContractRenewal.renew,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Simulate one month in place; return (what happened this month, defections found).

    Some record entries are the state's own arrays: a caller that keeps them past the
    next month must copy them (the engine writes them into its history at once).
    """
    apply_due(world.events, state.month, state, world)
    delivery_noise, budget_noise = draw_shocks(generators, world.n_clients, world.n_vendors)
    budget = choice.tier_budgets(world, state, budget_noise)  # (R, C, 2)
    open_ = choice.open_vendors(state, world)
    month = choose(world, state, budget, open_, renew)
    snap = _attribution_inputs(world, state, budget, open_, month)
    spend = month["spend"]
    update_beliefs(world, state, by_tier(np.divide, spend, _safe(budget)[:, :, None, :]),
                   delivery_noise)  # fmt: skip
    served_hours = month["served"] / state.price
    money = settle(world, state, month["served"].sum(axis=-1))
    people = staff(world, state, month["requested_hours"])
    drift_quality(world, state)
    decisions.observe(world, state, month["served"], {**people, "capacity": month["capacity"],
                                                      "served_hours": served_hours})  # fmt: skip
    by_vendor = tier_total(spend)
    client_spend = by_vendor.sum(axis=-1)
    record = {
        "spend": spend,
        "budget": budget,
        "unserved": budget.sum(axis=-1) - client_spend,
        "capacity": month["capacity"],
        "served_hours": served_hours,
        "workforce": state.workforce,  # state arrays: copy before the next month
        "wage": state.wage,
        "quality": state.quality,
        "price": state.price,
        "cash": state.cash,
        "active": state.active,
        "push": state.push,
        **money,
        **people,
    }
    decided = decide(world, state, decisions.signals(world, state))
    decisions.apply(state, decided)
    on = state.active[..., None]
    record["price_reason"] = (decided["pricing"][1] * on).astype(np.int8)
    record["wage_reason"] = (decided["wages"][1] * on).astype(np.int8)
    vendor_share = by_vendor / _safe(client_spend)[..., None]
    defections = detect(world, state, vendor_share, client_spend > 0, snap)
    state.salience = state.salience * 0.5 ** (1.0 / per_replicate(world.conflict_half_life, 3))
    state.month += 1
    return record, defections
