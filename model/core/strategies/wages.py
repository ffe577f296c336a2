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

from typing import ClassVar

import numpy as np

from labelmarket.model.core.declared import FRACTION, declare
from labelmarket.model.core.strategies.base import Params, Policy, Signals, dominant

PARAMETERS = declare("vendor", [
    ("pay_shortage_response", 0.2, "log $ / shortfall",
     "Raise per unit of staffing shortfall above normal (cut per unit of surplus).",
     {"ge": 0, "le": 5}),
    ("pay_cut_when_losing", 0.02, "log $ / month",
     "Monthly pay cut at full loss intensity (losses as large as revenue).", {"ge": 0, "le": 0.5}),
    ("pay_market_response", 0.1, "per month",
     "Share of the gap to the vendor's usual position against peers' pay closed a month.",
     FRACTION),
    ("pay_max_step", 0.03, "log $ / month", "Largest pay change in one month.",
     {"ge": 0, "le": 0.5}),
    ("push_pay_premium", 0.3, "log $",
     "Extra expert pay, against peers, at a full expert push (recruiting experts).",
     {"ge": 0, "le": 2}),
], group="strategy")  # fmt: skip


class AdaptivePay(Policy):
    """Pay follows staffing, losses, peers' pay and the expert push."""

    decision: ClassVar[str] = "wages"
    name: ClassVar[str] = "adaptive"
    parameters = PARAMETERS
    reasons = ("unchanged", "short of workers", "idle workers", "losing money", "market pay",
               "expert push")  # fmt: skip

    @staticmethod
    def decide(s: Signals, p: Params) -> tuple[np.ndarray, np.ndarray]:
        """Next month's pay (R, V, 2) and why it moved."""
        staffing = p["pay_shortage_response"][..., None] * s.shortage_gap
        losses = -p["pay_cut_when_losing"][..., None] * s.losing[..., None] * np.ones(2)
        losses[..., 1] *= 1.0 - s.push  # a vendor pushing into expert work spares its experts
        market = -p["pay_market_response"][..., None] * s.wage_gap
        pushed = np.zeros_like(market)
        pushed[..., 1] = p["pay_market_response"] * p["push_pay_premium"] * s.push
        limit = p["pay_max_step"][..., None]
        step = np.clip(staffing + losses + market + pushed, -limit, limit)
        codes = [np.where(staffing > 0, 1, 2), 3, 4, 5]
        reason = dominant([staffing, losses, market, pushed], step, codes)
        return np.exp(s.log_wage + step), reason


class FixedPay(Policy):
    """The scenario's pay, never changed by the vendor itself."""

    decision: ClassVar[str] = "wages"
    name: ClassVar[str] = "fixed"
    reasons = AdaptivePay.reasons

    @staticmethod
    def decide(s: Signals, p: Params) -> tuple[np.ndarray, np.ndarray]:
        """This month's pay again."""
        return np.exp(s.log_wage), np.zeros(s.log_wage.shape, dtype=np.int64)
