"""Defections: a client defects from a vendor when its share of spend there falls by more than
its threshold within the defection window; the defection is attributed to the utility term
(quality, price, conflict of interest, capacity) whose relative standing fell most.
"""

from __future__ import annotations

import numpy as np

from labelmarket.model.core.state import UTILITY_TERMS, MarketState
from labelmarket.model.core.world import World


def snapshot(
    world: World, state: MarketState, tier_weight: np.ndarray, fill: np.ndarray
) -> dict[str, np.ndarray]:
    """What attributing a later defection needs from this month, kept small.

    Only the (R, C, V) believed-quality score and conflict exposure are per pair; price and
    capacity terms are per vendor and tier, weighted by the client's tier mix only when a
    defection is found. Each term is later taken relative to the mean over open vendors.
    """
    on = state.active.astype(float)
    n_on = np.maximum(on.sum(axis=1), 1.0)[:, None]  # (R, 1)
    quality = np.einsum("rcvk,rck->rcv", state.belief_mean, tier_weight)
    log_price = np.log(state.price)
    log_fill = np.log(np.maximum(fill, 1e-6))
    return {
        "weight": tier_weight,
        "quality": quality,
        "quality_mean": np.einsum("rcv,rv->rc", quality, on) / n_on,
        "exposure": state.exposure,  # replaced, never edited in place, by events
        "exposure_mean": np.einsum("rcv,rv->rc", state.exposure, on) / n_on,
        "log_price": log_price,
        "log_price_mean": np.einsum("rvk,rv->rk", log_price, on) / n_on,
        "log_fill": log_fill,
        "log_fill_mean": np.einsum("rvk,rv->rk", log_fill, on) / n_on,
    }


def relative_terms(
    world: World, snap: dict[str, np.ndarray], r: np.ndarray, c: np.ndarray, v: np.ndarray
) -> np.ndarray:
    """Utility terms of the pairs (r, c, v) minus the mean over open vendors: (n, 4)."""
    w = snap["weight"][r, c]  # (n, 2)
    quality = world.quality_sensitivity[r, c] * (
        snap["quality"][r, c, v] - snap["quality_mean"][r, c]
    )
    price = -world.price_sensitivity[r, c] * (
        (snap["log_price"][r, v] - snap["log_price_mean"][r]) * w
    ).sum(axis=-1)
    conflict = -world.conflict_sensitivity[r, c] * (
        snap["exposure"][r, c, v] - snap["exposure_mean"][r, c]
    )
    capacity = ((snap["log_fill"][r, v] - snap["log_fill_mean"][r]) * w).sum(axis=-1)
    return np.stack([quality, price, conflict, capacity], axis=-1)


def detect(
    world: World,
    state: MarketState,
    vendor_share: np.ndarray,
    spent: np.ndarray,
    snap: dict[str, np.ndarray],
) -> dict[str, np.ndarray]:
    """Find this month's defections and roll the histories; returns one entry per defection."""
    t = state.month
    window = world.defection_window
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
    if r.size:
        before = state.snapshots[before_slot]
        change = relative_terms(world, snap, r, c, v) - relative_terms(world, before, r, c, v)
    else:
        change = np.zeros((0, UTILITY_TERMS))
    record = {
        "replicate": r,
        "month": np.full(r.shape, t),
        "client": c,
        "vendor": v,
        "driver": np.where(state.blocked[r, c, v], UTILITY_TERMS, np.argmin(change, axis=-1)),
        "share_before": state.share_history[before_slot, r, c, v],
        "share_after": vendor_share[r, c, v],
    }
    state.last_defection[r, c, v] = t
    state.share_history[slot] = vendor_share
    state.snapshots[slot] = snap
    state.spent_history[slot] = spent
    return record
