"""Strategies: the decisions agents take each month, one named policy per module.

Vendors decide pricing, wages and skill mix; clients renew contracts. Each policy is a
small class (`base.Policy`) registered here under (decision, name), with a compiled rule
in its module; a vendor names its policies in its scenario's `strategy:` block (defaults
from its business model) and the policies' parameters are declared in their own modules
(typed records), so `labelmarket params`, sweeps and calibration see them like any other.
"""

from __future__ import annotations

from labelmarket.model.core.declared import Declared
from labelmarket.model.core.strategies import pricing, skill_mix, switching, wages
from labelmarket.model.core.strategies.base import SIGNALS, Policy

VENDOR_DECISIONS: tuple[str, ...] = ("pricing", "wages", "skill_mix")
"""What vendors decide each month; every decision reads the same month's signals."""

POLICIES: dict[str, dict[str, type[Policy]]] = {
    "pricing": {p.name: p for p in (pricing.MarkupPricing, pricing.ListPrice)},
    "wages": {p.name: p for p in (wages.StaffingPay, wages.FixedPay)},
    "skill_mix": {p.name: p for p in (skill_mix.ExpertPush, skill_mix.NoPush)},
    "switching": {switching.ContractRenewal.name: switching.ContractRenewal},
}

VENDOR_PARAMETERS: tuple[Declared, ...] = (
    pricing.PARAMETERS + wages.PARAMETERS + skill_mix.PARAMETERS
)
"""Strategy parameters of a vendor (its scenario's `strategy:` block)."""
CLIENT_PARAMETERS: tuple[Declared, ...] = switching.PARAMETERS
"""Strategy parameters of a client."""
PARAMETERS: tuple[Declared, ...] = VENDOR_PARAMETERS + CLIENT_PARAMETERS

__all__ = ["PARAMETERS", "POLICIES", "SIGNALS", "VENDOR_DECISIONS", "Policy"]
