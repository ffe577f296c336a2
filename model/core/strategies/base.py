"""What every vendor strategy shares: the signals it reads and how it is registered.

A strategy is a named policy for one decision (pricing, wages, skill mix): a small class
naming its parameters (a typed record declared in its module), the reasons it gives, and
one compiled rule that maps a vendor's signals to next month's values. Policies are found
by name in a registry (`model.core.strategies.POLICIES`); each has a number (`code`) by
which the compiled month picks it for each vendor. Both drivers call the same rules.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from labelmarket.model.core.declared import TIERED, Declared, record_dtype

MOVE = 1e-4
"""Smallest step (in log units) recorded as a move with a reason."""


SIGNALS = record_dtype([
    ("log_price", *TIERED),  # this month's price
    ("price_gap", *TIERED),  # log price minus the market's mean log price, minus anchor
    ("utilisation_gap", *TIERED),  # smoothed utilisation minus its normal level
    ("share_loss", *TIERED),  # fall of the smoothed share of the tier's spend, 0..1
    ("log_cost_floor", *TIERED),  # log of pay per task-hour
    ("log_wage", *TIERED),  # this month's pay
    ("wage_gap", *TIERED),  # log pay minus peers' mean log pay, minus anchor
    ("shortage_gap", *TIERED),  # staffing shortfall minus its normal level
    ("losing", np.float64),  # smoothed losses over smoothed revenue beyond the usual, 0..1
    ("decline", np.float64),  # fall of smoothed generalist revenue, 0..1
    ("expert_growth", np.float64),  # growth of the market's expert-tier spend, >= 0
    ("push", np.float64),  # current expert push, 0..1
])  # fmt: skip
"""What a vendor sees when it decides: one record per replicate and vendor, (R, V)."""


class Policy:
    """A named decision rule: its decision, name, number, parameters and reasons."""

    decision: ClassVar[str]
    name: ClassVar[str]
    code: ClassVar[int]
    parameters: ClassVar[tuple[Declared, ...]] = ()
    reasons: ClassVar[tuple[str, ...]] = ("unchanged",)
