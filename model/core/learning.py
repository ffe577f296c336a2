"""Delivery and learning: clients see noisy quality and track it with a Kalman filter.

Clients take a vendor's quality to follow a random walk (`quality_volatility` a month), so
each month a belief's precision first loses what the walk may have moved (the predict step)
and then gains what the month's deliveries tell (the update, normal-normal):

    h = 1 / (1 / tau + q^2),    tau' = h + w / s^2,    mu' = (h mu + w y / s^2) / tau'

with y = true quality + s z / sqrt(w) and w the share of the client's tier budget the
vendor served (a trial teaches little, a main supplier a lot). A main supplier's beliefs
settle at a gain that keeps tracking a quality that moves (Kalman 1960; as a model of
choice under quality uncertainty, Erdem and Keane 1996). True quality itself drifts toward
a target that events set and pay moves (`drift_quality`).
"""

from __future__ import annotations

import math

from labelmarket.model.core.compiled import rule


@rule
def update_beliefs(p, vendors, pairs, r, month, noise):
    """Bayesian update of each client's believed quality from this month's deliveries;
    `noise` (C * V * 2,) holds the month's standard-normal delivery shocks."""
    market = p.market[r]
    sigma = market.observation_noise
    sigma2 = sigma * sigma
    walk = market.quality_volatility * market.quality_volatility
    i = 0
    for c in range(pairs.shape[1]):
        budget = month.clients[r, c].budget
        for v in range(pairs.shape[2]):
            pair, spend, quality = pairs[r, c, v], month.pairs[r, c, v].spend, vendors[r, v].quality
            for k in range(2):
                w = spend[k] / (budget[k] if budget[k] > 0 else 1.0)
                tau = 1.0 / (1.0 / pair.belief_precision[k] + walk)  # the walk's month
                signal = (w * quality[k] + sigma * math.sqrt(w) * noise[i]) / sigma2
                new_tau = w / sigma2 + tau
                pair.belief_mean[k] = (tau * pair.belief_mean[k] + signal) / new_tau
                pair.belief_precision[k] = new_tau
                i += 1


@rule
def drift_quality(p, vendors, r):
    """Quality moves toward its target, which pay moves too (efficiency wages).

    The target is the event-set level (recovery after a shock, ramp after a pivot) plus
    `quality_pay_elasticity` per unit of log pay above the vendor's starting pay: better
    pay draws and keeps better workers. It closes `quality_adjustment` of the gap a month,
    or faster after an event that says how fast.
    """
    eta = p.market[r].quality_pay_elasticity
    adjustment = p.market[r].quality_adjustment
    for v in range(vendors.shape[1]):
        vendor = vendors[r, v]
        for k in range(2):
            start = vendor.wage_start[k]
            pay = vendor.wage[k] / start if start > 0 else 1.0
            target = vendor.quality_target[k] + eta * math.log(max(pay, 1e-12))
            target = min(max(target, 0.0), 1.0)
            rate = max(vendor.quality_rate[k], adjustment)
            vendor.quality[k] += rate * (target - vendor.quality[k])
