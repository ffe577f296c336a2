"""Delivery and learning: clients see noisy quality and update their beliefs (normal-normal).

The weight of an observation grows with the share of the client's tier budget the vendor
served, so a small trial teaches little and a main supplier teaches a lot. Precision decays
toward the prior each month (forgetting), so beliefs keep tracking a vendor whose quality
moves instead of freezing after a year of deliveries.
"""

from __future__ import annotations

import numpy as np

from labelmarket.model.core.state import MarketState
from labelmarket.model.core.world import World, per_replicate


def update_beliefs(
    world: World, state: MarketState, served_share: np.ndarray, noise: np.ndarray
) -> None:
    """Bayesian update of believed quality from this month's deliveries: (R, C, V, 2)."""
    k = world
    sigma = per_replicate(k.observation_noise, 4)
    sigma2 = sigma**2
    forget = per_replicate(k.belief_forgetting, 4)
    tau = state.belief_precision * (1.0 - forget) + forget * per_replicate(k.prior_precision, 4)
    # observation y ~ N(q, sigma^2 / w): precision w / sigma^2, so tau_obs * y is
    # (w q + sigma sqrt(w) z) / sigma^2 and nothing divides by a zero share.
    w = served_share
    signal = (w * state.quality[:, None] + sigma * np.sqrt(w) * noise) / sigma2
    new_tau = tau + w / sigma2
    state.belief_mean = (tau * state.belief_mean + signal) / new_tau
    state.belief_precision = new_tau


def drift_quality(state: MarketState) -> None:
    """Quality moves toward its target (recovery after a shock, ramp after a pivot)."""
    state.quality += state.quality_rate * (state.quality_target - state.quality)
