"""One month of the market for every replicate at once: the rules both drivers share.

Order within a month: events dated this month fire; demand; choice by logit with capacity
rationing and spill-over; delivery and learning; payments and costs; hiring, attrition and
layoffs; quality drift; defection detection. Random shocks come from each replicate's own
generator, so a replicate's numbers never depend on which batch it ran in.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from labelmarket.model.core.choice import allocate, open_vendors, tier_budgets, utility
from labelmarket.model.core.defection import detect, snapshot
from labelmarket.model.core.effects import apply_due
from labelmarket.model.core.finance import settle
from labelmarket.model.core.learning import drift_quality, update_beliefs
from labelmarket.model.core.state import MarketState
from labelmarket.model.core.workforce import staff
from labelmarket.model.core.world import World


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


def advance(
    world: World, state: MarketState, generators: Sequence[np.random.Generator]
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Simulate one month in place; return (what happened this month, defections found).

    Some record entries are the state's own arrays: a caller that keeps them past the
    next month must copy them (the engine writes them into its history at once).
    """
    apply_due(world.events, state.month, state, world)
    delivery_noise, budget_noise = draw_shocks(generators, world.n_clients, world.n_vendors)

    budget = tier_budgets(world, state, budget_noise)  # (R, C, 2)
    capacity = state.workforce * world.hours_per_worker  # (R, V, 2)
    spend, requested, fill = allocate(
        utility(world, state),
        open_vendors(state, world),
        budget,
        state.price,
        capacity,
        world.spill_rounds,
    )
    client_budget = budget.sum(axis=-1)
    snap = snapshot(world, state, budget / _safe(client_budget)[..., None], fill)

    served_share = spend / _safe(budget)[:, :, None, :]
    update_beliefs(world, state, served_share, delivery_noise)
    served_hours = np.einsum("rcvk->rvk", spend) / state.price
    money = settle(world, state, spend)
    people = staff(world, state, np.einsum("rcvk->rvk", requested) / state.price)
    drift_quality(state)

    by_vendor = np.einsum("rcvk->rcv", spend)
    client_spend = np.einsum("rcv->rc", by_vendor)
    vendor_share = by_vendor / _safe(client_spend)[..., None]
    defections = detect(world, state, vendor_share, client_spend > 0, snap)
    state.tier_share = served_share

    record = {
        "spend": spend,
        "budget": budget,
        "unserved": client_budget - client_spend,
        "capacity": capacity,
        "served_hours": served_hours,
        "workforce": state.workforce,  # state arrays: copy before the next month
        "wage": state.wage,
        "quality": state.quality,
        "price": state.price,
        "cash": state.cash,
        "active": state.active,
        **money,
        **people,
    }
    state.month += 1
    return record, defections
