"""model.core.strategies.wages on hand-computed cases: pay moves by the response times the
log staff gap, capped at the monthly step, with its reason."""

from __future__ import annotations

import math

import numpy as np
import pytest

from labelmarket.model.core.parameters import VENDOR_RECORD
from labelmarket.model.core.signals import empty_signals
from labelmarket.model.core.strategies.wages import (
    FIXED,
    MORE_WORKERS_THAN_NEEDED,
    SHORT_OF_WORKERS,
    STAFFING,
    UNCHANGED,
    pay,
)

TOL = 1e-12


def _pay(gap: float, code: int = STAFFING) -> tuple[float, int]:
    """Next pay and reason from 1000 $ a month for a log staff gap `gap`: raise 0.3 x gap
    when short, cut 0.1 x gap when in surplus, at most 0.03 in logs a month."""
    s, p = empty_signals(1, 1)[0, 0], np.zeros(1, VENDOR_RECORD)[0]
    s["log_wage"][1], s["staff_gap"][1] = math.log(1000.0), gap
    p["pay_shortage_response"], p["pay_surplus_response"], p["pay_max_step"] = 0.3, 0.1, 0.03
    return pay(code, s, p, 1)


def test_short_of_workers_pay_rises_by_the_shortage_response_times_the_log_gap() -> None:
    """ln w' = ln w + min(0.3 ln(needed / supply), 0.03): 1.1 short gives 1000 x 1.1^0.3; twice
    short is capped at 1000 e^0.03."""
    assert _pay(math.log(1.1)) == pytest.approx((1000 * 1.1**0.3, SHORT_OF_WORKERS), rel=TOL)
    assert _pay(math.log(2.0)) == pytest.approx((1000 * math.exp(0.03), SHORT_OF_WORKERS), rel=TOL)


def test_with_more_workers_than_needed_pay_falls_by_the_surplus_response() -> None:
    """ln w' = ln w + max(0.1 ln(needed / supply), -0.03): a supply 1.2 x the need gives
    1000 x 1.2^-0.1; a tiny gap (a move under 1e-4 in logs) gives no reason."""
    cut = _pay(-math.log(1.2))
    assert cut == pytest.approx((1000 * 1.2**-0.1, MORE_WORKERS_THAN_NEEDED), rel=TOL)
    assert _pay(-math.log(3.0))[0] == pytest.approx(1000 * math.exp(-0.03), rel=TOL)
    assert _pay(math.log(1.0002))[1] == UNCHANGED


def test_fixed_pay_never_moves() -> None:
    """The `fixed` policy keeps this month's pay whatever the gap."""
    assert _pay(math.log(2.0), code=FIXED) == pytest.approx((1000.0, UNCHANGED), rel=TOL)
