"""Pay strategies: how a vendor sets next month's pay per worker, tier by tier.

`staffing` (the default) posts the pay that gets it the workers its work needs: each tier
faces an upward-sloping labour supply (`model.core.labour`), so a vendor short of workers
raises pay and one with more willing workers than it needs lowers it, by the log gap
between the staff its work needs and the labour its pay draws, capped at a monthly step
(wage posting under monopsony: Manning 2003; Burdett and Mortensen 1998). Crowd platforms
cut as readily as they raise; expert networks keep their "high salaries" (they barely
cut). A shortage closes through pay (the vendor's share of its labour market grows) and
through the pool (annotators join a tier that pays), so pay settles. `fixed` keeps the
scenario's pay.
"""

from __future__ import annotations

import math
from typing import Annotated, ClassVar

from labelmarket.model.core.compiled import rule
from labelmarket.model.core.declared import declarations, param
from labelmarket.model.core.strategies.base import MOVE, Policy

STAFFING, FIXED = range(2)  # policy codes
UNCHANGED, SHORT_OF_WORKERS, MORE_WORKERS_THAN_NEEDED = range(3)
REASONS = ("unchanged", "short of workers", "more workers than needed")


class Wages:
    """Parameters of the pay policies, per vendor: (R, V)."""

    # fmt: off
    pay_shortage_response: Annotated[float, param(
        0.3, "log $ / log shortfall",
        "Pay raise per unit of log shortfall of the labour its pay draws below the staff its "
        "work needs.",
        ge=0, le=5)]
    pay_surplus_response: Annotated[float, param(
        0.1, "log $ / log surplus",
        "Pay cut per unit of log surplus of willing workers beyond the staff its work needs.",
        ge=0, le=5)]
    pay_max_step: Annotated[float, param(
        0.03, "log $ / month",
        "Largest pay change in one month.",
        ge=0, le=0.5)]
    # fmt: on


PARAMETERS = declarations(Wages, "vendor", "strategy")


class StaffingPay(Policy):
    """Pay moves to draw the workers the work needs from an upward-sloping supply."""

    decision: ClassVar[str] = "wages"
    name: ClassVar[str] = "staffing"
    code: ClassVar[int] = STAFFING
    parameters = PARAMETERS
    reasons = REASONS


class FixedPay(Policy):
    """The scenario's pay, never changed by the vendor itself."""

    decision: ClassVar[str] = "wages"
    name: ClassVar[str] = "fixed"
    code: ClassVar[int] = FIXED
    reasons = REASONS


@rule
def staffing_pay(s, p, k):
    """Next month's pay in tier k and the reason it moved, from a vendor's signals `s` and
    parameters `p` (records)."""
    gap = s.staff_gap[k]
    move = p.pay_shortage_response * gap if gap > 0 else p.pay_surplus_response * gap
    limit = p.pay_max_step
    step = min(max(move, -limit), limit)
    reason = UNCHANGED
    if abs(step) > MOVE:
        reason = SHORT_OF_WORKERS if step > 0 else MORE_WORKERS_THAN_NEEDED
    return math.exp(s.log_wage[k] + step), reason


@rule
def pay(code, s, p, k):
    """Next month's pay and reason by the vendor's pay policy (`code`)."""
    if code == FIXED:
        return math.exp(s.log_wage[k]), UNCHANGED
    return staffing_pay(s, p, k)
