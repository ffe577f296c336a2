"""Strategies: the decisions agents take each month, one named policy per module.

Vendors decide pricing, wages and skill mix; clients renew contracts. Each policy is a
small class (`base.Policy`) registered here under (decision, name); a vendor names its
policies in its scenario's `strategy:` block (defaults from its business model) and the
policies' parameters are declared in their own modules, so `labelmarket params`, sweeps
and calibration see them like any other parameter.
"""

from __future__ import annotations

from labelmarket.model.core.declared import Declared
from labelmarket.model.core.strategies import pricing, skill_mix, switching, wages
from labelmarket.model.core.strategies.base import Policy, Signals

VENDOR_DECISIONS: tuple[str, ...] = ("pricing", "wages", "skill_mix")
"""What vendors decide each month; every decision reads the same month's signals."""

POLICIES: dict[str, dict[str, type[Policy]]] = {
    "pricing": {p.name: p for p in (pricing.AdaptivePricing, pricing.ListPrice)},
    "wages": {p.name: p for p in (wages.AdaptivePay, wages.FixedPay)},
    "skill_mix": {p.name: p for p in (skill_mix.ExpertPush, skill_mix.NoPush)},
    "switching": {switching.ContractRenewal.name: switching.ContractRenewal},
}

PARAMETERS: tuple[Declared, ...] = (
    pricing.PARAMETERS + wages.PARAMETERS + skill_mix.PARAMETERS + switching.PARAMETERS
)
"""Every strategy parameter, declared in the module of the policy that reads it."""

__all__ = ["PARAMETERS", "POLICIES", "VENDOR_DECISIONS", "Policy", "Signals"]
