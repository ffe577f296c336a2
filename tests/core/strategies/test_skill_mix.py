"""model.core.strategies.skill_mix on hand-computed cases: the wanted push rises from 0 at
the threshold to 1 at twice it; the push closes a share of the gap, never below its floor."""

from __future__ import annotations

import numpy as np
import pytest

from labelmarket.model.core.parameters import VENDOR_RECORD
from labelmarket.model.core.signals import empty_signals
from labelmarket.model.core.strategies.skill_mix import (
    EXPERT_PUSH,
    GAP_CLOSED,
    MARKET_MOVING_TO_EXPERTS,
    NONE,
    UNCHANGED,
    push,
)

TOL = 1e-12


def _push(gap: float, now: float, floor: float = 0.0, code: int = EXPERT_PUSH):
    """Next push and reason at an expert gap `gap`, from `now`: threshold 0.05, speed 0.2."""
    s, p = empty_signals(1, 1)[0, 0], np.zeros(1, VENDOR_RECORD)[0]
    s["expert_gap"], s["push"], s["push_floor"] = gap, now, floor
    p["push_threshold"], p["push_speed"] = 0.05, 0.2
    return push(code, s, p)


def test_the_push_closes_a_share_of_the_gap_to_the_wanted_push() -> None:
    """wanted = clip((gap - threshold) / threshold, 0, 1); push' = push + speed (wanted -
    push): a gap of 0.075 wants 0.5 (0.1 -> 0.18); 0.2 wants 1 (0.1 -> 0.28)."""
    assert _push(0.075, 0.1) == pytest.approx((0.18, MARKET_MOVING_TO_EXPERTS), rel=TOL)
    assert _push(0.2, 0.1) == pytest.approx((0.28, MARKET_MOVING_TO_EXPERTS), rel=TOL)


def test_the_push_relaxes_when_the_gap_closes_but_not_below_a_pivots_floor() -> None:
    """Below the threshold nothing is wanted: 0.5 -> 0.4; with a floor of 0.45, 0.45; at the
    floor it stays, unchanged."""
    assert _push(0.03, 0.5) == pytest.approx((0.4, GAP_CLOSED), rel=TOL)
    assert _push(0.03, 0.5, floor=0.45) == pytest.approx((0.45, GAP_CLOSED), rel=TOL)
    assert _push(0.0, 0.45, floor=0.45) == pytest.approx((0.45, UNCHANGED), rel=TOL)


def test_a_vendor_that_never_pushes_keeps_its_floor() -> None:
    """The `none` policy returns the committed push (a pivot's), whatever the gap."""
    assert _push(0.2, 0.0, floor=0.3, code=NONE) == pytest.approx((0.3, UNCHANGED), rel=TOL)
