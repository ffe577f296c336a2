"""model.core.choice on hand-computed cases: logit shares over open vendors, the owner's and
the conflict's utilities, the wanted shares and the demand each vendor faces."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

from labelmarket.model.core import choice
from labelmarket.model.core.batch import Batch
from tests.core.arrays import market
from tests.support import compiled

TOL = 1e-12


def test_logit_shares_exp_u_over_the_open_vendors_and_zero_for_closed_ones() -> None:
    """P_v = exp(u_v) / sum over open v' of exp(u_v'); a closed vendor gets 0 whatever its u."""
    u = np.array([0.0, math.log(2.0), 5.0])
    shares = np.empty(3)
    choice.logit(u, np.array([1, 1, 0], np.uint8), shares)
    assert shares == pytest.approx([1 / 3, 2 / 3, 0.0], abs=TOL)
    choice.logit(u, np.zeros(3, np.uint8), shares)
    assert shares == pytest.approx([0.0, 0.0, 0.0], abs=TOL)


def test_side_terms_owner_rebate_and_fading_conflict() -> None:
    """owner_k = -b_p ln(1 - s m_k), m_k = 1 - (wage/hours)/price clipped to 0..1;
    conflict = b_c x (f + (1 - f) salience)."""
    m = market(clients=2, vendors=2)
    m.p.market["conflict_floor"] = 0.5
    m.p.client["price_sensitivity"] = [[1.5, 1.0]]
    m.p.client["conflict_sensitivity"] = [[2.0, 4.0]]
    m.p.vendor["hours_per_worker"] = [100.0, 50.0]
    m.vendors["price"] = [10.0, 100.0]
    m.vendors["wage"][0] = [[400.0, 4000.0], [1200.0, 6000.0]]  # vendor 1 prices below cost
    m.pairs["cash_flow"][0, 0] = [0.5, 0.5]
    m.pairs["exposure"][0, 1, 0], m.pairs["salience"][0, 1, 0] = 0.3, 0.25
    choice.side_terms(m.p, m.vendors, m.pairs, 0, m.month)
    out = m.month.pairs[0]
    # vendor 0: margins 1 - 4/10 = 0.6 and 1 - 80/100 = 0.2, half of them rebated
    assert out["owner"][0, 0] == pytest.approx(
        [-1.5 * math.log(0.7), -1.5 * math.log(0.9)], rel=TOL
    )
    assert out["owner"][0, 1] == pytest.approx([0.0, 0.0], abs=TOL)  # no margin to rebate
    assert out["owner"][1] == pytest.approx(np.zeros((2, 2)), abs=TOL)  # no stake
    assert out["conflict"][1, 0] == pytest.approx(4.0 * 0.3 * (0.5 + 0.5 * 0.25), rel=TOL)
    assert out["conflict"][0] == pytest.approx([0.0, 0.0], abs=TOL)


def _wanted_case():
    """Two clients, three vendors; vendor 2 closed to client 0."""
    m = market(clients=2, vendors=3)
    m.p.client["quality_sensitivity"] = [[10.0, 0.0]]
    m.p.client["price_sensitivity"] = [[1.0, 2.0]]
    m.vendors["price"][0] = [[10.0, 100.0], [10.0, 100.0], [5.0, 50.0]]
    m.pairs["belief_mean"][0, 0] = [[0.7, 0.8], [0.6, 0.8], [0.9, 0.8]]
    m.pairs["match"][0, 0, 1] = math.log(2.0)
    out = m.month.pairs[0]
    out["open"] = 1
    out["open"][0, 2] = 0
    out["owner"][0, 0, 1] = math.log(3.0)  # client 0 owns part of vendor 0: expert tier
    out["conflict"][1, 1] = math.log(2.0)  # client 1 minds vendor 1's owners
    m.month.clients["budget"][0] = [[1000.0, 500.0], [2200.0, 1100.0]]
    choice.wanted_shares(m.p, m.vendors, m.pairs, 0, m.month)
    return m


def test_wanted_shares_follow_the_logit_of_quality_price_fit_owner_and_conflict() -> None:
    """U = b_q mu - b_p ln p + fit + owner - conflict; P = exp(U) / sum over open vendors."""
    wanted = _wanted_case().month.pairs["wanted"][0]
    e = math.e  # client 0, tier 0: exp(7 - ln 10) : exp(6 - ln 10 + ln 2) = e : 2
    assert wanted[0, :, 0] == pytest.approx([e / (e + 2), 2 / (e + 2), 0.0], abs=TOL)
    assert wanted[0, :, 1] == pytest.approx([0.6, 0.4, 0.0], abs=TOL)  # 3 : 2
    # client 1, b_p = 2: 10^-2 : 10^-2 / 2 : 5^-2 in both tiers = 1 : 1/2 : 4
    for k in range(2):
        assert wanted[1, :, k] == pytest.approx([2 / 11, 1 / 11, 8 / 11], abs=TOL)


def test_demand_faced_is_budget_times_share_and_its_elasticity_weight() -> None:
    """demand_vk = sum_c B_ck P_ckv; demand_elasticity_vk = sum_c B_ck P_ckv b_p (1 - P_ckv)."""
    rows = _wanted_case().month.vendors[0]
    p0 = math.e / (math.e + 2)  # client 0's share of vendor 0's generalist tier
    demand = 1000 * p0 + 2200 * 2 / 11
    elastic = 1000 * p0 * 1.0 * (1 - p0) + 2200 * (2 / 11) * 2.0 * (9 / 11)
    assert rows["demand"][0, 0] == pytest.approx(demand, rel=TOL)
    assert rows["demand_elasticity"][0, 0] == pytest.approx(elastic, rel=TOL)
    assert rows["demand"][2] == pytest.approx([2200 * 8 / 11, 1100 * 8 / 11], rel=TOL)


def test_open_vendors_closes_inactive_blocked_and_unstaffed_tiers() -> None:
    """A tier is open to a client when the vendor is active, the pair not blocked and the
    tier has workforce x hours > 0."""
    m = market(clients=2, vendors=3)
    m.p.vendor["hours_per_worker"] = 100.0
    m.vendors["workforce"][0] = [[10.0, 0.0], [10.0, 10.0], [10.0, 10.0]]
    m.vendors["active"][0, 1] = False
    m.pairs["blocked"][0, 1, 2] = True
    choice.open_vendors(m.p, m.vendors, m.pairs, 0, m.month)
    expected = [[[1, 0], [0, 0], [1, 1]], [[1, 0], [0, 0], [0, 0]]]
    assert m.month.pairs["open"][0].tolist() == expected


def test_keep_open_of_respreads_a_closed_vendors_book_over_the_open_ones() -> None:
    """A closed vendor's contracts go to 0 and the open ones are rescaled to sum to 1."""
    m = market(clients=2, vendors=3)
    m.month.pairs["open"] = 1
    m.month.pairs["open"][0, 0, 2, 0] = 0
    m.pairs["contracts"][0, 0] = [[0.5, 0.1], [0.3, 0.1], [0.2, 0.8]]
    m.pairs["contracts"][0, 1] = [[0.2, 0.2], [0.3, 0.3], [0.5, 0.5]]
    for c in range(2):
        choice.keep_open_of(m.pairs, 0, c, m.month)
    book = m.pairs["contracts"][0]
    assert book[0, :, 0] == pytest.approx([0.625, 0.375, 0.0], abs=TOL)
    assert book[0, :, 1] == pytest.approx([0.1, 0.1, 0.8], abs=TOL)  # all open: unchanged
    assert book[1, :, 0] == pytest.approx([0.2, 0.3, 0.5], abs=TOL)


def test_choosing_client_by_client_is_the_rules_one_after_another() -> None:
    """The month's one pass (`choose_vendors`) gives, to the bit, what the start-up's rules
    give in turn: open tiers, side terms, wanted shares, contracts a pause ends."""
    world = compiled("historical.yaml")
    batch = Batch.start(world, [np.random.default_rng(s) for s in range(4)])
    for _ in range(14):  # past the deal: owners and conflicts in play
        batch.advance()
    s = batch.state
    s.pairs["blocked"][1, 0, 2] = True  # a pause: its contracts must go
    one = (copy.deepcopy(s.pairs), copy.deepcopy(batch.month))
    turn = (copy.deepcopy(s.pairs), copy.deepcopy(batch.month))
    for r in range(4):
        choice.choose_vendors(batch.p, s.vendors, one[0], r, one[1])
        choice.open_vendors(batch.p, s.vendors, turn[0], r, turn[1])
        choice.side_terms(batch.p, s.vendors, turn[0], r, turn[1])
        choice.wanted_shares(batch.p, s.vendors, turn[0], r, turn[1])
        for c in range(turn[0].shape[1]):
            choice.keep_open_of(turn[0], r, c, turn[1])
    for a, b in zip((one[0], *one[1]), (turn[0], *turn[1]), strict=True):
        for name in a.dtype.names:
            assert np.array_equal(a[name], b[name], equal_nan=True), name
    assert one[0]["contracts"][1, 0, 2].tolist() == [0.0, 0.0]
