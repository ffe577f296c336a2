"""Vendors' monthly decisions: each vendor's policies read its signals and set next month's
price, pay and expert push, with the reason for each move (`model.core.strategies`).

The Mesa driver asks each vendor agent in turn (`decide_vendor` on its own row); the
batched engine asks every vendor at once (`decide_all`); both call the same compiled
policies, so they give the same numbers.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from labelmarket.model.core.compiled import rule
from labelmarket.model.core.strategies import pricing, skill_mix, wages

PRICING, WAGES, SKILL_MIX = range(3)  # rows of Structure.policy, as VENDOR_DECISIONS


@rule
def decide_vendor(p, structure, signals, r, v, decided):
    """Vendor v's decisions for next month, by its own policies, into decided[r, v]."""
    s, vp, out = signals[r, v], p.vendor[r, v], decided[r, v]
    for k in range(2):
        out.price[k], out.price_reason[k] = pricing.price(structure.policy[PRICING, v], s, vp, k)
        out.wage[k], out.wage_reason[k] = wages.pay(structure.policy[WAGES, v], s, vp, k)
    out.push, out.push_reason = skill_mix.push(structure.policy[SKILL_MIX, v], s, vp)


@rule
def decide_all(p, structure, signals, r, decided):
    """Every vendor's decisions for next month."""
    for v in range(decided.shape[1]):
        decide_vendor(p, structure, signals, r, v, decided)


@rule
def apply_decisions(vendors, decided, r):
    """Set next month's price, pay and push of the vendors in business; a vendor not yet
    in business moves nothing (and gives no reason)."""
    for v in range(vendors.shape[1]):
        vendor, out = vendors[r, v], decided[r, v]
        if not vendor.active:
            for k in range(2):
                out.price_reason[k] = 0
                out.wage_reason[k] = 0
            continue
        for k in range(2):
            vendor.price[k] = out.price[k]
            vendor.wage[k] = out.wage[k]
        vendor.push = out.push


class VendorDecision(NamedTuple):
    """One vendor's decisions for next month: what `Vendor.decide` returns in the Mesa
    driver. Reasons are codes into each policy module's REASONS (0: unchanged)."""

    price: np.ndarray  # (2,) $ per task-hour, generalist and expert
    wage: np.ndarray  # (2,) $ per worker-month
    push: float  # expert push, 0..1
    price_reason: np.ndarray  # (2,) int
    wage_reason: np.ndarray  # (2,) int
    push_reason: int


def decision_of(decided: np.ndarray, v: int) -> VendorDecision:
    """Vendor v's decisions of replicate 0, as a typed record (copies)."""
    row = decided[0, v]
    return VendorDecision(
        row["price"].copy(), row["wage"].copy(), float(row["push"]),
        row["price_reason"].copy(), row["wage_reason"].copy(), int(row["push_reason"]),
    )  # fmt: skip


def write_decision(decided: np.ndarray, v: int, decision: VendorDecision) -> None:
    """Put a vendor's decisions into replicate 0's row of the batch's decisions."""
    for name, value in decision._asdict().items():
        decided[name][0, v] = value
