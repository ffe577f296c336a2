"""Defections: a client defects from a vendor when its share of spend there falls by more than
its threshold within the defection window; the defection is attributed to the utility term
(quality, price, conflict of interest, capacity) whose relative standing fell most.
"""

from __future__ import annotations

import numpy as np

from model.state import N_TERMS, MarketState
from model.world import World


def relative_terms(
    world: World,
    state: MarketState,
    tier_weight: np.ndarray,
    fill: np.ndarray,
) -> np.ndarray:
    """Each vendor's utility terms minus the mean over open vendors: (R, C, V, 4).

    Terms are weighted by the client's tier mix; the capacity term is the log of the share
    of requested work the vendor could serve.
    """
    quality = np.einsum("rcvk,rck->rcv", state.belief_mean, tier_weight)
    quality *= world.quality_sensitivity[:, :, None]
    price = np.einsum("rvk,rck->rcv", np.log(state.price), tier_weight)
    price *= -world.price_sensitivity[:, :, None]
    conflict = -world.conflict_sensitivity[:, :, None] * state.exposure
    capacity = np.einsum("rvk,rck->rcv", np.log(np.maximum(fill, 1e-6)), tier_weight)
    terms = np.stack([quality, price, conflict, capacity], axis=-1)
    on = state.active[:, None, :, None]
    n_on = np.maximum(state.active.sum(axis=1), 1)[:, None, None, None]
    mean = np.einsum("rcvt->rct", np.where(on, terms, 0.0))[:, :, None] / n_on
    return terms - mean


def detect(
    world: World,
    state: MarketState,
    vendor_share: np.ndarray,
    spent: np.ndarray,
    terms: np.ndarray,
) -> dict[str, np.ndarray]:
    """Find this month's defections and roll the histories; returns one entry per defection."""
    t = state.month
    window = world.constants.defection_window
    slot = t % (window + 1)
    before_slot = (t - window) % (window + 1)
    drop = state.share_history[before_slot] - vendor_share
    found = (
        (t >= window)
        & spent[..., None]
        & state.spent_history[before_slot][..., None]
        & (drop > world.defection_threshold[..., None])
        & (t - state.last_defection > window)
    )
    r, c, v = np.nonzero(found)
    change = terms[r, c, v] - state.term_history[before_slot, r, c, v]
    record = {
        "replicate": r,
        "month": np.full(r.shape, t),
        "client": c,
        "vendor": v,
        "driver": np.where(state.blocked[r, c, v], N_TERMS, np.argmin(change, axis=-1)),
        "share_before": state.share_history[before_slot, r, c, v],
        "share_after": vendor_share[r, c, v],
    }
    state.last_defection[r, c, v] = t
    state.share_history[slot] = vendor_share
    state.term_history[slot] = terms
    state.spent_history[slot] = spent
    return record
