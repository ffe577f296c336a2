"""model.core.learning on hand-computed cases: the Kalman predict and update of beliefs, the
drift of true quality toward its pay-moved target."""

from __future__ import annotations

import math

import numpy as np
import pytest

from labelmarket.model.core.learning import drift_quality, update_beliefs
from tests.core.arrays import market

TOL = 1e-12


def _beliefs(noise: np.ndarray):
    """Prior N(0.6, 1/25) everywhere; walk q = 0.2, noise s = 0.1; vendor 0's quality 0.9
    served half of client 0's generalist budget; nothing else was served."""
    m = market(clients=2, vendors=2)
    m.p.market["observation_noise"] = 0.1
    m.p.market["quality_volatility"] = 0.2
    m.vendors["quality"] = 0.9
    m.pairs["belief_mean"] = 0.6
    m.pairs["belief_precision"] = 25.0
    m.month.clients["budget"] = 1000.0
    m.month.pairs["spend"][0, 0, 0, 0] = 500.0
    update_beliefs(m.p, m.vendors, m.pairs, 0, m.month, noise)
    return m.pairs[0]


def test_kalman_predict_then_update_from_the_share_served() -> None:
    """h = 1/(1/tau + q^2) = 1/(0.04 + 0.04) = 12.5; tau' = h + w/s^2 = 12.5 + 0.5/0.01;
    mu' = (h mu + w y / s^2) / tau' = (7.5 + 45) / 62.5 with y = 0.9."""
    pairs = _beliefs(np.zeros(8))
    assert pairs["belief_precision"][0, 0, 0] == pytest.approx(62.5, rel=TOL)
    assert pairs["belief_mean"][0, 0, 0] == pytest.approx(0.84, rel=TOL)
    # nothing served: only the predict step, the mean kept
    assert pairs["belief_precision"][1, 1, 1] == pytest.approx(12.5, rel=TOL)
    assert pairs["belief_mean"][1, 1, 1] == pytest.approx(0.6, rel=TOL)


def test_the_delivery_noise_has_sd_s_over_root_w() -> None:
    """y = quality + s z / sqrt(w): z = 1 at w = 0.5 moves the observation by 0.1 / sqrt(0.5);
    the draws are read client by vendor by tier (the first is pair (0, 0), tier 0)."""
    noise = np.zeros(8)
    noise[0] = 1.0
    y = 0.9 + 0.1 / math.sqrt(0.5)
    pairs = _beliefs(noise)
    assert pairs["belief_mean"][0, 0, 0] == pytest.approx((7.5 + 50 * y) / 62.5, rel=TOL)
    noise[0], noise[1] = 0.0, 1.0  # the expert tier's draw: nothing served, no effect
    assert _beliefs(noise)["belief_mean"][0, 0, 0] == pytest.approx(0.84, rel=TOL)


def test_quality_closes_a_share_of_the_gap_to_its_pay_moved_target() -> None:
    """target = q_target + eta ln(w / w_start), clipped to 0..1; q' = q + max(rate, adj) x
    (target - q)."""
    m = market(clients=2, vendors=2)
    m.p.market["quality_pay_elasticity"] = 0.1
    m.p.market["quality_adjustment"] = 0.2
    m.vendors["quality"] = 0.6
    m.vendors["quality_target"][0] = [[0.7, 0.7], [0.95, 0.7]]
    m.vendors["wage_start"] = 100.0
    m.vendors["wage"][0] = [[100 * math.exp(0.5), 100.0], [100 * math.exp(1.0), 100.0]]
    m.vendors["quality_rate"][0, 0] = [0.0, 0.5]  # an event's faster pace on one tier
    drift_quality(m.p, m.vendors, 0)
    quality = m.vendors["quality"][0]
    assert quality[0, 0] == pytest.approx(0.6 + 0.2 * (0.75 - 0.6), rel=TOL)
    assert quality[0, 1] == pytest.approx(0.6 + 0.5 * (0.7 - 0.6), rel=TOL)
    assert quality[1, 0] == pytest.approx(0.6 + 0.2 * (1.0 - 0.6), rel=TOL)  # 1.05 clipped
