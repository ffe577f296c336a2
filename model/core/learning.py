"""Delivery and learning: clients see noisy quality and update their beliefs (normal-normal).

The weight of an observation grows with the share of the client's tier budget the vendor
served, so a small trial teaches little and a main supplier teaches a lot. Precision decays
toward the prior each month (forgetting), so beliefs keep tracking a vendor whose quality
moves instead of freezing after a year of deliveries. True quality itself drifts toward a
target that events set and pay moves (`drift_quality`).
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
    # tau = precision * (1 - forget) + forget * prior, computed in place (the arrays are
    # clients x vendors x tiers: every temporary saved is a pass over memory saved)
    tau = np.multiply(state.belief_precision, 1.0 - forget)
    tau += forget * per_replicate(k.prior_precision, 4)
    # observation y ~ N(q, sigma^2 / w): precision w / sigma^2, so tau_obs * y is
    # (w q + sigma sqrt(w) z) / sigma^2 and nothing divides by a zero share.
    w = served_share
    signal = np.multiply(w, state.quality[:, None])
    noisy = np.sqrt(w)
    np.multiply(sigma, noisy, out=noisy)
    noisy *= noise
    signal += noisy
    signal /= sigma2
    new_tau = np.divide(w, sigma2, out=noisy)
    new_tau += tau  # tau + w / sigma2
    tau *= state.belief_mean
    tau += signal
    tau /= new_tau  # (tau * mean + signal) / new_tau, a new array: snapshots keep the old
    state.belief_mean = tau
    state.belief_precision = new_tau


def drift_quality(world: World, state: MarketState) -> None:
    """Quality moves toward its target, which pay moves too (efficiency wages).

    The target is the event-set level (recovery after a shock, ramp after a pivot) plus
    `quality_pay_elasticity` per unit of log pay above the vendor's starting pay: better
    pay draws and keeps better workers. It closes `quality_adjustment` of the gap a month,
    or faster after an event that says how fast.
    """
    eta = per_replicate(world.quality_pay_elasticity, 3)
    pay = np.where(
        state.wage_start > 0,
        state.wage / np.where(state.wage_start > 0, state.wage_start, 1.0),
        1.0,
    )
    target = np.clip(state.quality_target + eta * np.log(np.maximum(pay, 1e-12)), 0.0, 1.0)
    rate = np.maximum(state.quality_rate, per_replicate(world.quality_adjustment, 3))
    state.quality = state.quality + rate * (target - state.quality)
