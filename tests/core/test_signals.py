"""model.core.signals on hand-computed cases: the markup a logit demand allows, the series
vendors observe and the signals their strategies read."""

from __future__ import annotations

import math

import pytest

from labelmarket.model.core.signals import MAX_MARKUP, markup, observe, read_signals
from tests.core.arrays import market

TOL = 1e-12


def _demand(m, v: int, k: int, demand: float, elastic: float) -> None:
    """Set the demand vendor v's tier k faces and its spend-weighted b_p (1 - P)."""
    m.month.vendors["demand"][0, v, k] = demand
    m.month.vendors["demand_elasticity"][0, v, k] = elastic


def test_markup_is_e_over_e_minus_one_for_the_spend_weighted_elasticity() -> None:
    """e = 1 + sum_c w_c b_c (1 - P_c): 300 $ at P = 0.5, b = 1 and 100 $ at P = 0.25, b = 2
    give e - 1 = (150 + 150) / 400 = 0.75 and a markup of 1.75 / 0.75 = 7/3; nobody wanting
    the tier gives NaN; nobody minding price gives the cap."""
    m = market(clients=2, vendors=2)
    _demand(m, 0, 0, 300.0 + 100.0, 300 * 1.0 * 0.5 + 100 * 2.0 * 0.75)
    _demand(m, 1, 0, 400.0, 0.0)
    rows = m.month.vendors[0]
    assert markup(rows[0], 0) == pytest.approx(7 / 3, rel=TOL)
    assert math.isnan(markup(rows[0], 1))
    assert markup(rows[1], 0) == pytest.approx(MAX_MARKUP, rel=TOL)


def test_observe_smooths_utilisation_and_expert_shares() -> None:
    """util = served hours / capacity and expert shares of revenue, smoothed at a = 0.3 (a
    series still 0 starts at its value); last month's asked hours are kept."""
    m = market(clients=2, vendors=2)
    m.p.market["revenue_smoothing"] = 0.3
    v, rows = m.vendors, m.month.vendors
    v["util_ema"][0] = [[0.5, 0.0], [0.5, 0.5]]
    v["expert_share"] = 0.2
    m.trend["expert_share"] = 0.3
    rows["capacity"][0] = [[100.0, 50.0], [100.0, 0.0]]
    rows["served_hours"][0] = [[80.0, 40.0], [20.0, 0.0]]
    rows["served"][0] = [[600.0, 400.0], [1000.0, 0.0]]
    rows["requested_hours"][0] = [[90.0, 45.0], [20.0, 0.0]]
    observe(m.p, m.vendors, m.trend, 0, m.month)
    assert v["util_ema"][0, 0] == pytest.approx([0.3 * 0.8 + 0.7 * 0.5, 0.8], rel=TOL)
    assert v["util_ema"][0, 1] == pytest.approx([0.3 * 0.2 + 0.7 * 0.5, 0.7 * 0.5], rel=TOL)
    assert v["requested_hours"][0, 0] == pytest.approx([90.0, 45.0], rel=TOL)
    assert v["expert_share"][0] == pytest.approx([0.3 * 0.4 + 0.7 * 0.2, 0.7 * 0.2], rel=TOL)
    assert m.trend["expert_share"][0] == pytest.approx(0.3 * 0.2 + 0.7 * 0.3, rel=TOL)


def _signals():
    """Vendor 0: generalists paid 500 / 100 h (cost 5 $/h against 4 at the start), demand
    with markup 7/3 (2 at the start), position 0.1, utilisation 0.9 against 0.75, 120
    workers needed for a supply of 100; experts: no demand, push 0.4 (boost 0.5)."""
    m = market(clients=2, vendors=2)
    m.p.vendor["hours_per_worker"], m.p.vendor["push_hiring_boost"] = 100.0, 0.5
    v = m.vendors
    v["wage"], v["price"], v["position"] = [500.0, 5000.0], [12.0, 120.0], 0.1
    v["cost_anchor"], v["markup_anchor"] = math.log(4.0), math.log(2.0)
    v["util_ema"][0] = [[0.9, 0.5], [0.75, 0.75]]
    v["util_normal"], v["labour_supply"] = 0.75, [100.0, 60.0]
    v["push"][0], v["push_floor"][0] = [0.4, 0.0], [0.1, 0.0]
    v["expert_share"][0], v["expert_share_start"][0] = [0.25, 0.6], [0.2, 0.3]
    m.trend["expert_share"], m.trend["expert_share_start"] = 0.5, 0.3
    _demand(m, 0, 0, 400.0, 300.0)
    _demand(m, 1, 0, 400.0, 300.0)
    m.month.vendors["requested_hours"] = [9000.0, 3000.0]
    read_signals(m.p, m.vendors, m.trend, 0, m.month, m.signals)
    return m.signals[0]


def test_the_price_signal_is_position_plus_log_markup_plus_log_cost() -> None:
    """ln p* = ln kappa + ln mu + ln c; the cost and markup changes are against the start's;
    a tier nobody wants keeps the start's markup; capacity gap = (util - normal)+."""
    s = _signals()[0]
    assert s["log_cost"] == pytest.approx([math.log(5.0), math.log(50.0)], rel=TOL)
    assert s["target_price"][0] == pytest.approx(0.1 + math.log(7 / 3 * 5), rel=TOL)
    assert s["target_price"][1] == pytest.approx(0.1 + math.log(2 * 50), rel=TOL)
    assert s["cost_change"][0] == pytest.approx(math.log(5 / 4), rel=TOL)
    assert s["markup_change"] == pytest.approx([math.log(7 / 6), 0.0], abs=TOL)
    assert s["capacity_gap"] == pytest.approx([0.15, 0.0], abs=TOL)
    assert s["log_price"] == pytest.approx([math.log(12.0), math.log(120.0)], rel=TOL)


def test_the_staff_gap_and_the_expert_gap() -> None:
    """staff gap = ln(needed / supply): 9000 h / 75 = 120 over 100; experts 3000 / 75 x
    (1 + 0.5 x 0.4) = 48 over 60. Expert gap = (market's rise - own rise)+ = 0.2 - 0.05."""
    signals = _signals()
    assert signals[0]["staff_gap"] == pytest.approx([math.log(1.2), math.log(0.8)], rel=TOL)
    assert signals["expert_gap"] == pytest.approx([0.15, 0.0], abs=TOL)
    assert signals["push"] == pytest.approx([0.4, 0.0], abs=TOL)
    assert signals["push_floor"] == pytest.approx([0.1, 0.0], abs=TOL)
