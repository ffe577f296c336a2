"""model.core.labour on hand-computed cases: pools settled at the start, each vendor's
logit share of its labour market with an outside option, pools that follow pay."""

from __future__ import annotations

import math

import numpy as np
import pytest

from labelmarket.model.core.labour import grow_pools, labour_supply, settle_pools
from tests.core.arrays import market, structure

TOL = 1e-12
CROWD, EXPERT = 0, 1
MODELS = structure([CROWD, EXPERT, CROWD])  # markets: crowd generalists, expert-network
# generalists, experts


def _three_vendors():
    """Crowd vendors 0 and 2 and expert network 1, all active."""
    m = market(clients=2, vendors=3)
    m.p.market["outside_share"] = [0.8, 0.6]
    m.p.market["supply_elasticity"] = [0.5, 2.0]
    return m


def test_settled_pools_hold_the_stated_workforces_over_one_minus_the_outside_share() -> None:
    """N_m = employed / (1 - outside share); outside pay = employment-weighted mean log pay;
    the solved attractions make each vendor's supply its stated workforce."""
    m = _three_vendors()
    m.vendors["workforce"][0] = [[300.0, 20.0], [50.0, 60.0], [100.0, 20.0]]
    m.vendors["wage"][0] = [[400.0, 4000.0], [1000.0, 8000.0], [100.0, 2000.0]]
    settle_pools(m.p, MODELS, m.vendors, m.labour, 0)
    pools = m.labour[0]
    assert pools["pool"] == pytest.approx([400 / 0.2, 50 / 0.2, 100 / 0.4], rel=TOL)
    assert pools["trend"] == pytest.approx(pools["pool"], rel=TOL)
    crowd = (300 * math.log(400) + 100 * math.log(100)) / 400
    experts = (20 * math.log(4000) + 60 * math.log(8000) + 20 * math.log(2000)) / 100
    assert pools["outside_log_pay"] == pytest.approx([crowd, math.log(1000), experts], rel=TOL)
    labour_supply(m.p, MODELS, m.vendors, m.labour, 0)
    assert m.vendors["labour_supply"][0] == pytest.approx(m.vendors["workforce"][0], rel=1e-9)


def _supply(log_raise: float = 0.0, active=(True, True, True)) -> np.ndarray:
    """Labour supply (V, 2): crowd pool 1000 at outside pay 100; vendor 0 pays 400 (pull
    exp(0.5 ln 4) = 2), vendor 2 pays 100 with attraction ln 0.5 (pull 0.5); expert network
    1's generalist pool 300 at its outside pay (pull 1); experts: pool 100, all at 1000."""
    m = _three_vendors()
    m.vendors["active"][0] = active
    m.labour["pool"][0] = [1000.0, 300.0, 100.0]
    m.labour["outside_log_pay"][0] = [math.log(100), math.log(1000), math.log(1000)]
    m.vendors["wage"][0] = [[400.0 * math.exp(log_raise), 1000.0], [1000.0, 1000.0],
                            [100.0, 1000.0]]  # fmt: skip
    m.vendors["attraction"][0, 2, 0] = math.log(0.5)
    labour_supply(m.p, MODELS, m.vendors, m.labour, 0)
    return m.vendors["labour_supply"][0]


def test_supply_is_the_pool_times_each_vendors_logit_share_beside_the_outside_option() -> None:
    """L_v = N exp(b (ln w_v - ln w_0) + a_v) / (1 + sum_u exp(b (ln w_u - ln w_0) + a_u))."""
    supply = _supply()
    assert supply[:, 0] == pytest.approx([1000 * 2 / 3.5, 300 / 2, 1000 * 0.5 / 3.5], rel=TOL)
    assert supply[:, 1] == pytest.approx([100 / 4, 100 / 4, 100 / 4], rel=TOL)
    out = _supply(active=(True, True, False))  # a vendor out of business draws nobody
    assert out[2] == pytest.approx([0.0, 0.0], abs=TOL)
    assert out[:, 1] == pytest.approx([100 / 3, 100 / 3, 0.0], rel=TOL)


def test_a_pay_rise_raises_supply_with_elasticity_b_times_one_minus_the_share() -> None:
    """d ln L_v / d ln w_v = b (1 - L_v / N) = 0.5 (1 - 2 / 3.5) for vendor 0's generalists."""
    h = 1e-5
    slope = (math.log(_supply(h)[0, 0]) - math.log(_supply(-h)[0, 0])) / (2 * h)
    assert slope == pytest.approx(0.5 * (1 - 2 / 3.5), rel=1e-8)


def test_pools_move_toward_a_trend_times_pay_against_the_start_to_the_elasticity() -> None:
    """trend' = trend e^g; level = trend' exp(entry (mean log pay - ln w_0)); pool' = pool +
    adjustment (level - pool). Crowd pay 121 and 100 (300 and 100 workers) against 100:
    a premium of 0.75 ln 1.21 = 1.5 ln 1.1; expert network 1 is out (no premium)."""
    m = _three_vendors()
    m.p.market["pool_growth"] = [0.01, 0.005]
    m.p.market["entry_elasticity"] = [1.0, 2.0]
    m.p.market["pool_adjustment"] = 0.05
    m.vendors["active"][0, 1] = False
    m.vendors["workforce"][0] = [[300.0, 10.0], [50.0, 10.0], [100.0, 10.0]]
    m.vendors["wage"][0] = [[121.0, 1000.0], [5000.0, 1000.0], [100.0, 1000.0]]
    m.labour["pool"][0], m.labour["trend"][0] = [1000.0, 300.0, 100.0], [900.0, 300.0, 100.0]
    m.labour["outside_log_pay"][0] = [math.log(100), math.log(1000), math.log(1000)]
    grow_pools(m.p, MODELS, m.vendors, m.labour, 0)
    pools = m.labour[0]
    trend = [900 * math.exp(0.01), 300 * math.exp(0.01), 100 * math.exp(0.005)]
    assert pools["trend"] == pytest.approx(trend, rel=TOL)
    level = [trend[0] * 1.1**1.5, trend[1], trend[2]]
    expected = [n + 0.05 * (lv - n) for n, lv in zip([1000.0, 300.0, 100.0], level, strict=True)]
    assert pools["pool"] == pytest.approx(expected, rel=TOL)
