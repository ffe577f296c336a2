"""What one month produces, as record arrays with the replicate first.

`Month` holds the month's results per vendor, per client and per client-vendor pair
(budgets, choices, spend, flows, finances, defections) and the working fields of the
allocation; `DECIDED` records the vendors' decisions for next month with their reasons.
They are allocated once per batch and refilled every month; the drivers copy from them
what a run records (`model.core.record`).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from labelmarket.model.core.declared import TIERED, record_dtype

F8, BOOL, I8 = np.float64, np.bool_, np.int64

MONTH_VENDOR = record_dtype([
    ("capacity", *TIERED),  # task-hours the workforce can deliver
    ("requested_hours", *TIERED),  # task-hours asked in the first round
    ("served", *TIERED),  # $ served
    ("served_hours", *TIERED),  # task-hours delivered
    ("hires", *TIERED),  # workers
    ("quits", *TIERED),  # workers
    ("poached", *TIERED),  # workers
    ("layoffs", *TIERED),  # workers
    ("staff_target", *TIERED),  # workers the requested work needs, with a buffer
    ("workforce", *TIERED),  # workers after this month's flows
    ("wage", *TIERED),  # this month's pay
    ("price", *TIERED),  # this month's price
    ("quality", *TIERED),  # quality after this month's drift
    ("labour_supply", *TIERED),  # workers the vendor's pay draws this month
    ("demand", *TIERED),  # $ its clients want there (budget x wanted share)
    ("demand_elasticity", *TIERED),  # spend-weighted b_p (1 - P) of the clients wanting it
    ("revenue", F8),  # $
    ("costs", F8),  # $: pay for the task-hours worked and overhead
    ("overhead", F8),  # $: the salaried core and platform
    ("valuation", F8),  # $
    ("push", F8),  # this month's expert push
    ("cash", F8),  # $ after this month
    ("funding", F8),  # $ raised this month
    ("money_reason", I8),  # what cash made it do: finance.MONEY_REASONS
    ("active", BOOL),
    ("cap_left", *TIERED),  # working: task-hours left in the allocation's round
    ("fill", *TIERED),  # working: share of the round's asks served
    ("log_price", *TIERED),  # working: log prices
])  # fmt: skip

MONTH_CLIENT = record_dtype(
    [
        ("budget", *TIERED),  # $ this month per tier
        ("spend", F8),  # $ spent (served)
        ("unserved", F8),  # $ of budget nobody served
        ("defections", I8),  # defections it made this month (its pairs say which)
    ]
)

MONTH_PAIR = record_dtype([
    ("open", np.uint8, (2,)),  # 1: the client can buy the vendor's tier this month
    ("owner", *TIERED),  # utility of the cash-flow rights the client holds in the vendor
    ("conflict", F8),  # utility lost to rivals' ownership
    ("wanted", *TIERED),  # shares the choice wants
    ("requested", *TIERED),  # $ asked in the first round (contracts x budget)
    ("spend", *TIERED),  # $ served
    ("vendor_share", F8),  # vendor's share of the client's spend
    ("defected", BOOL),  # a defection found this month
    ("driver", I8),  # its cause (index of state.TERM_NAMES)
    ("share_before", F8),  # share at the window's start
    ("want", *TIERED),  # working: $ asked in the allocation's round
    ("spill", *TIERED),  # working: wanted shares over vendors with room
])  # fmt: skip

DECIDED = record_dtype(
    [
        ("price", *TIERED),  # $ / task-hour
        ("price_reason", I8, (2,)),  # strategies.pricing.REASONS
        ("wage", *TIERED),  # $ / worker-month
        ("wage_reason", I8, (2,)),  # strategies.wages.REASONS
        ("push", F8),  # 0..1
        ("push_reason", I8),  # strategies.skill_mix.REASONS
    ]
)
"""Next month's price, pay and expert push of every vendor with reason codes: (R, V)."""


class Month(NamedTuple):
    """One month's results for R replicates (C clients, V vendors)."""

    vendors: np.ndarray  # (R, V) MONTH_VENDOR
    clients: np.ndarray  # (R, C) MONTH_CLIENT
    pairs: np.ndarray  # (R, C, V) MONTH_PAIR


def empty_month(replicates: int, clients: int, vendors: int) -> Month:
    """A month's arrays for a batch, to be filled by the rules."""
    r, c, v = replicates, clients, vendors
    return Month(
        np.zeros((r, v), MONTH_VENDOR), np.zeros((r, c), MONTH_CLIENT),
        np.zeros((r, c, v), MONTH_PAIR),
    )  # fmt: skip
