"""What every vendor strategy shares: the signals it reads and how it is registered.

A strategy is a named policy for one decision (pricing, wages, skill mix): a small class
naming its parameters (declared in its module), the reasons it gives, and one compiled
rule that maps a vendor's signals to next month's values. Policies are found by name in a
registry (`model.core.strategies.POLICIES`); each has a number (`code`) by which the
compiled month picks it for each vendor. Both drivers call the same rules.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from labelmarket.model.core.declared import TIERED, Declared, record_dtype

MOVE = 1e-4
"""Smallest step (in log units) recorded as a move with a reason."""

SIGNALS = record_dtype([
    ("log_price", *TIERED),  # this month's price
    ("log_cost", *TIERED),  # marginal cost: log pay per task-hour
    ("target_price", *TIERED),  # log of the price its costs and demand call for
    ("cost_change", *TIERED),  # log marginal cost (pay per task-hour) since the start
    ("markup_change", *TIERED),  # log markup its demand's elasticity allows, since the start
    ("capacity_gap", *TIERED),  # smoothed utilisation above its normal level (>= 0)
    ("log_wage", *TIERED),  # this month's pay
    ("staff_gap", *TIERED),  # log of the staff the work needs over the labour it can hire
    ("expert_gap", np.float64),  # rise of the market's expert share beyond its own, >= 0
    ("push", np.float64),  # current expert push, 0..1
    ("push_floor", np.float64),  # push committed to (a pivot), 0..1
])  # fmt: skip
"""What a vendor sees when it decides: one record per replicate and vendor, (R, V)."""


class Policy:
    """A named decision rule: its decision, name, number, parameters and reasons."""

    decision: ClassVar[str]
    name: ClassVar[str]
    code: ClassVar[int]
    parameters: ClassVar[tuple[Declared, ...]] = ()
    reasons: ClassVar[tuple[str, ...]] = ("unchanged",)
