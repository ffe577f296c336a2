"""model.core.defection on a hand-computed case: a fall of at least the threshold of the
share held, from above the floor, within the window; its cause by counterfactual choice."""

from __future__ import annotations

import math

import numpy as np
import pytest

from labelmarket.model.core.defection import CONFLICT, PAUSE, PRICE, VENDOR_EXIT, detect
from labelmarket.model.core.state import LOOKBACK
from tests.core.arrays import market, rings, structure

WINDOW, T = 2, 5
LENGTH = WINDOW + 1 + LOOKBACK  # months the rings hold
NOW, BEFORE = T % LENGTH, (T - WINDOW) % LENGTH  # ring slots of month t and the window's start
# shares of each client's spend at the window's start and now (threshold 0.5, floor 0.05)
WAS = [[0.4, 0.4, 0.2], [0.04, 0.1, 0.86]]
NOW_SHARES = [[0.21, 0.2, 0.59], [0.0, 0.04, 0.96]]


def _detect(t: int = T, episode: float = 0.0, blocked: bool = False, exited: bool = False):
    """Detect at month t. Vendor 1's price doubled since the window's start (client 0 minds
    price, b_p = 1); client 1 (b_p = 0) now sees a conflict of ln 4 there."""
    m = market(clients=2, vendors=3)
    m.p.client["defection_threshold"], m.p.market["defection_floor"] = 0.5, 0.05
    m.p.client["price_sensitivity"] = [[1.0, 0.0]]
    ring = rings(2, 3, WINDOW)
    ring.month[0, BEFORE], ring.month[0, NOW] = T - WINDOW, T
    ring.pairs["share"][0, BEFORE] = WAS
    ring.clients["spent"][0, BEFORE] = True
    ring.clients["weight"][0] = 0.5
    ring.vendors["log_price"][0] = math.log(10.0)
    ring.vendors["log_price"][0, NOW, 1] = math.log(20.0)
    ring.pairs["conflict"][0, NOW, 1, 1] = math.log(4.0)
    m.month.pairs["open"] = 1
    m.month.pairs["vendor_share"][0] = NOW_SHARES
    m.month.clients["spend"] = 1000.0
    m.pairs["episode"], m.pairs["blocked"][0, 0, 1] = episode, blocked
    m.vendors["exited"][0, 1] = exited
    detect(m.p, structure([0, 1, 0], window=WINDOW), m.vendors, m.pairs, ring, t, 0, m.month)
    return m, ring


def test_a_fall_of_at_least_the_threshold_of_the_share_held_is_a_defection() -> None:
    """Falls from 0.4 to 0.2 (half of it) and from 0.1 to 0.04 count; 0.4 to 0.21 does not,
    nor 0.04 to 0 (below the floor of 0.05), nor a rise."""
    m, _ = _detect()
    out = m.month.pairs[0]
    assert out["defected"].tolist() == [[False, True, False], [False, True, False]]
    assert out["share_before"][:, 1] == pytest.approx([0.4, 0.1], rel=1e-12)
    assert m.pairs["last_defection"][0, :, 1].tolist() == [T, T]
    assert m.pairs["episode"][0, :, 1] == pytest.approx([0.4, 0.1], rel=1e-12)


def test_the_cause_is_the_input_whose_return_recovers_the_most_share() -> None:
    """Client 0 at vendor 1: its price back at 10 lifts the logit share from 0.2 to 1/3 (a
    price defection); client 1: the conflict back at 0 lifts it from 1/9 to 1/3."""
    m, _ = _detect()
    assert m.month.pairs["driver"][0, :, 1].tolist() == [PRICE, CONFLICT]


def test_a_blocked_pair_is_a_pause_and_a_vendor_that_ran_out_of_cash_an_exit() -> None:
    """A pause event's pair is attributed to the script; an exited vendor to its exit."""
    m, _ = _detect(blocked=True)
    assert m.month.pairs["driver"][0, :, 1].tolist() == [PAUSE, CONFLICT]
    m, _ = _detect(exited=True)
    assert m.month.pairs["driver"][0, :, 1].tolist() == [VENDOR_EXIT, VENDOR_EXIT]


def test_one_defection_per_episode_until_the_share_recovers() -> None:
    """A pair whose last defection fell from 0.3 (client 0) or 0.1 (client 1) is not counted
    again until its share is back to (1 - 0.5) of that: 0.2 >= 0.15 has recovered, so its
    new fall from 0.4 counts (a new episode from 0.4); 0.04 < 0.05 has not."""
    m, _ = _detect(episode=np.array([[0.0, 0.3, 0.0], [0.0, 0.1, 0.0]]))
    assert m.month.pairs["defected"][0, :, 1].tolist() == [True, False]
    assert m.pairs["episode"][0, :, 1] == pytest.approx([0.4, 0.1], rel=1e-12)


def test_nothing_is_found_before_a_window_has_passed_and_the_ring_rolls() -> None:
    """At t < window no fall counts; the month's shares and spending enter slot t % L."""
    m, ring = _detect(t=WINDOW - 1)
    assert not m.month.pairs["defected"].any()
    slot = (WINDOW - 1) % LENGTH
    assert ring.pairs["share"][0, slot] == pytest.approx(np.array(NOW_SHARES), rel=1e-12)
    assert ring.clients["spent"][0, slot].tolist() == [True, True]
