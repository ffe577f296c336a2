"""Pay strategies: how a vendor sets next month's pay per worker, tier by tier.

`adaptive` (the default) moves the log wage by four terms, capped at a monthly step:
  + h * (staffing shortfall - its normal level)   raises when short of workers, cuts when
                                                    idle workers pile up;
  - c * losses over revenue                         pay cuts while the vendor loses money
                                                    (sparing experts it is pushing for);
  - m * (log wage - peers' mean - anchor)           pay follows its labour market, keeping
                                                    the vendor's position (a high-salary
                                                    expert network, a low-cost crowd);
  + the expert push premium on the expert tier     (see `skill_mix`).
Generalists' peers are vendors of the same business model; experts' are all vendors.
`fixed` keeps the scenario's pay.
"""

from __future__ import annotations

import math
from typing import Annotated, ClassVar

from labelmarket.model.core.compiled import rule
from labelmarket.model.core.declared import FRACTION, declarations, param
from labelmarket.model.core.strategies.base import MOVE, Policy

ADAPTIVE, FIXED = range(2)  # policy codes
UNCHANGED, SHORT_OF_WORKERS, IDLE_WORKERS, LOSING_MONEY, MARKET_PAY, EXPERT_PUSH = range(6)
REASONS = ("unchanged", "short of workers", "idle workers", "losing money", "market pay",
           "expert push")  # fmt: skip


class Wages:
    """Parameters of the pay policies, per vendor: (R, V)."""

    pay_shortage_response: Annotated[
        float,
        param(
            0.2,
            "log $ / shortfall",
            "Raise per unit of staffing shortfall above normal (cut per unit of surplus).",
            ge=0,
            le=5,
        ),
    ]
    pay_cut_when_losing: Annotated[
        float,
        param(
            0.02,
            "log $ / month",
            "Monthly pay cut at full loss intensity (losses as large as revenue).",
            ge=0,
            le=0.5,
        ),
    ]
    pay_market_response: Annotated[
        float,
        param(
            0.1,
            "per month",
            "Share of the gap to the vendor's usual position against peers' pay closed a month.",
            **FRACTION,
        ),
    ]
    pay_max_step: Annotated[
        float, param(0.03, "log $ / month", "Largest pay change in one month.", ge=0, le=0.5)
    ]
    push_pay_premium: Annotated[
        float,
        param(
            0.3,
            "log $",
            "Extra expert pay, against peers, at a full expert push (recruiting experts).",
            ge=0,
            le=2,
        ),
    ]


PARAMETERS = declarations(Wages, "vendor", "strategy")


class AdaptivePay(Policy):
    """Pay follows staffing, losses, peers' pay and the expert push."""

    decision: ClassVar[str] = "wages"
    name: ClassVar[str] = "adaptive"
    code: ClassVar[int] = ADAPTIVE
    parameters = PARAMETERS
    reasons = REASONS


class FixedPay(Policy):
    """The scenario's pay, never changed by the vendor itself."""

    decision: ClassVar[str] = "wages"
    name: ClassVar[str] = "fixed"
    code: ClassVar[int] = FIXED
    reasons = REASONS


@rule
def adaptive_pay(s, p, k):
    """Next month's pay in tier k and the reason it moved, from a vendor's signals `s` and
    parameters `p` (records)."""
    staffing = p.pay_shortage_response * s.shortage_gap[k]
    losses = -p.pay_cut_when_losing * s.losing
    market = -p.pay_market_response * s.wage_gap[k]
    pushed = 0.0
    if k == 1:  # a vendor pushing into expert work spares its experts and pays a premium
        losses *= 1.0 - s.push
        pushed = p.pay_market_response * p.push_pay_premium * s.push
    limit = p.pay_max_step
    step = min(max(staffing + losses + market + pushed, -limit), limit)
    reason = UNCHANGED
    if abs(step) > MOVE:  # the term that pushed hardest the way pay moved
        sign = 1.0 if step > 0 else -1.0
        reason, best = (SHORT_OF_WORKERS if staffing > 0 else IDLE_WORKERS), staffing * sign
        for code, term in ((LOSING_MONEY, losses), (MARKET_PAY, market), (EXPERT_PUSH, pushed)):
            if term * sign > best:
                reason, best = code, term * sign
    return math.exp(s.log_wage[k] + step), reason


@rule
def pay(code, s, p, k):
    """Next month's pay and reason by the vendor's pay policy (`code`)."""
    if code == FIXED:
        return math.exp(s.log_wage[k]), UNCHANGED
    return adaptive_pay(s, p, k)
