"""model.core.strategies.pricing on hand-computed cases: the log price moves a share of the
way to its target, capped, never cut below cost x (1 + min_margin), with the reason of the
term that pushed hardest."""

from __future__ import annotations

import math

import numpy as np
import pytest

from labelmarket.model.core.parameters import VENDOR_RECORD
from labelmarket.model.core.signals import empty_signals
from labelmarket.model.core.strategies.pricing import (
    CAPACITY,
    COST_FLOOR,
    COSTS,
    DEMAND,
    LIST,
    MARKUP,
    UNCHANGED,
    markup_price,
    price,
)

TOL = 1e-12


def _price(target: float, code: int = MARKUP, **set_) -> tuple[float, int]:
    """Next price and reason from 10 $/h at a target price `target` (cost 5 $/h), moving
    half the gap, at most 0.05 in logs, with a 5% least margin; `set_` overrides."""
    s, p = empty_signals(1, 1)[0, 0], np.zeros(1, VENDOR_RECORD)[0]
    s["log_price"][0], s["target_price"][0] = math.log(10.0), math.log(target)
    s["log_cost"][0] = math.log(5.0)
    p["price_adjustment"], p["price_max_step"], p["min_margin"] = 0.5, 0.05, 0.05
    p["price_capacity_response"] = 1.0
    for name, value in set_.items():  # a pricing parameter, or a signal of tier 0
        if name in VENDOR_RECORD.names:
            p[name] = value
        else:
            s[name][0] = value
    return price(code, s, p, 0) if code != MARKUP else markup_price(s, p, 0)


def test_the_price_moves_a_share_of_the_way_to_its_target_at_most_the_step() -> None:
    """ln p' = ln p + clip(adjustment (ln p* - ln p), +-max step): half of ln 1.2 is 0.091,
    capped at 0.05; with a step of 0.5 allowed, 10 x 1.2^0.5."""
    assert _price(12.0)[0] == pytest.approx(10 * math.exp(0.05), rel=TOL)
    assert _price(12.0, price_max_step=0.5)[0] == pytest.approx(10 * 1.2**0.5, rel=TOL)
    assert _price(10.0) == pytest.approx((10.0, UNCHANGED), rel=TOL)


def test_the_reason_is_the_term_that_pushed_hardest_the_way_the_price_moved() -> None:
    """Costs up 0.02 and demand's markup up 0.1: demand; costs up 0.2: costs; a capacity
    premium of 1 x 0.1 above both: capacity; a fall led by the markup's fall: demand."""
    assert _price(12.0, cost_change=0.02, markup_change=0.1)[1] == DEMAND
    assert _price(12.0, cost_change=0.2, markup_change=0.1)[1] == COSTS
    rise, reason = _price(10.0, cost_change=0.02, capacity_gap=0.1)
    assert (rise, reason) == pytest.approx((10 * math.exp(0.05), CAPACITY), rel=TOL)
    assert _price(8.0, cost_change=-0.02, markup_change=-0.1)[1] == DEMAND


def test_a_cut_stops_at_cost_times_one_plus_the_least_margin() -> None:
    """A cut of 0.2 from 10 to 8.19 stops at 9 x 1.05 = 9.45 (reason: cost floor); a floor
    above the price (cost 10) stops any cut but does not raise it."""
    floored = _price(5.0, price_adjustment=1.0, price_max_step=0.2, log_cost=math.log(9.0))
    assert floored == pytest.approx((9.45, COST_FLOOR), rel=TOL)
    kept = _price(5.0, log_cost=math.log(10.0))
    assert kept == pytest.approx((10.0, UNCHANGED), rel=TOL)
    assert _price(12.0, log_cost=math.log(10.0))[0] == pytest.approx(10 * math.exp(0.05), rel=TOL)


def test_a_list_price_never_moves() -> None:
    """The `list` policy returns this month's price, unchanged, whatever the target."""
    assert _price(20.0, code=LIST, cost_change=0.3) == pytest.approx((10.0, UNCHANGED), rel=TOL)
