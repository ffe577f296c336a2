"""model.core.allocation on a hand-computed case: capacity, proportional rationing of a full
vendor, spill to vendors with room by wanted shares, money conserved."""

from __future__ import annotations

import pytest

from labelmarket.model.core.allocation import allocate, capacity
from tests.core.arrays import market

TOL = 1e-9


def _case(rounds: int, room_at_1: float = 1000.0):
    """Generalist tier at 10 $/h: vendor 0 has 50 task-hours; client 0 asks 300 $ of
    vendors 0 and 1 each, client 1 asks 900 $ of vendor 0. The expert tier fits."""
    m = market(clients=2, vendors=3)
    m.p.vendor["hours_per_worker"] = 10.0
    m.vendors["workforce"][0] = [[5.0, 100.0], [room_at_1 / 10, 100.0], [100.0, 100.0]]
    m.vendors["price"] = [10.0, 50.0]
    m.month.clients["budget"][0] = [[600.0, 100.0], [900.0, 200.0]]
    m.pairs["contracts"][0, 0] = [[0.5, 0.2], [0.5, 0.3], [0.0, 0.5]]
    m.pairs["contracts"][0, 1] = [[1.0, 1.0], [0.0, 0.0], [0.0, 0.0]]
    m.month.pairs["wanted"][0, 0] = [[0.5, 0.2], [0.3, 0.3], [0.2, 0.5]]
    m.month.pairs["wanted"][0, 1] = [[0.6, 1.0], [0.1, 0.0], [0.3, 0.0]]
    capacity(m.p, m.vendors, 0, m.month)
    allocate(m.vendors, m.pairs, rounds, 0, m.month)
    return m.month


def test_capacity_is_workforce_times_hours_per_worker() -> None:
    """capacity_vk = workforce_vk x hours_per_worker_vk."""
    rows = _case(1).vendors[0]
    assert rows["capacity"][:, 0] == pytest.approx([50.0, 1000.0, 1000.0], rel=TOL)


def test_a_full_vendor_serves_every_client_the_same_fraction() -> None:
    """Vendor 0 is asked 1200 $ = 120 h for 50 h: each client gets 5/12 of its ask; with
    one round the rest is unserved (spend + unserved = budget)."""
    month = _case(rounds=1)
    spend, rows = month.pairs["spend"][0], month.vendors[0]
    assert rows["requested_hours"][0, 0] == pytest.approx(120.0, rel=TOL)
    assert spend[:, 0, 0] == pytest.approx([300 * 5 / 12, 900 * 5 / 12], rel=TOL)
    assert rows["served"][0, 0] == pytest.approx(500.0, rel=TOL)
    assert month.pairs["requested"][0, :, 0, 0] == pytest.approx([300.0, 900.0], rel=TOL)
    unserved = month.clients["budget"][0].sum(axis=1) - spend.sum(axis=(1, 2))
    assert unserved == pytest.approx([300 * 7 / 12, 900 * 7 / 12], rel=TOL)


def test_unserved_money_spills_to_vendors_with_room_by_wanted_shares() -> None:
    """Client 0's 175 $ go 0.3 : 0.2 to vendors 1 and 2, client 1's 525 $ go 0.1 : 0.3;
    every budget is spent; the expert tier, never full, is served as asked."""
    month = _case(rounds=3)
    spend = month.pairs["spend"][0]
    assert spend[0, :, 0] == pytest.approx([125.0, 300 + 175 * 0.6, 175 * 0.4], rel=TOL)
    assert spend[1, :, 0] == pytest.approx([375.0, 525 * 0.25, 525 * 0.75], rel=TOL)
    assert spend.sum(axis=(1, 2)) == pytest.approx([700.0, 1100.0], rel=TOL)
    assert spend[:, :, 1] == pytest.approx(month.pairs["requested"][0, :, :, 1], rel=TOL)


def test_a_vendor_filled_by_the_spill_passes_the_rest_on_in_the_next_round() -> None:
    """Vendor 1 has 40 h (400 $): after 300 $ in round 1 it takes 100 $ of the 236.25 $
    spilled to it; the rest goes to vendor 2 in round 3; the tier's 1500 $ are all served."""
    rows = _case(rounds=3, room_at_1=40.0).vendors[0]
    assert rows["served"][:, 0] == pytest.approx([500.0, 400.0, 600.0], rel=TOL)
