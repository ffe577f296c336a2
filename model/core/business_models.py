"""Vendor business models: named categories of vendor with their strategies, not booleans.

A business model names the policies its vendors follow and the values of their strategy
parameters (a vendor may override any of them in its scenario's `strategy:` block). It
also decides which labour market its generalists compete in (crowd contractors against
crowd platforms, an expert network's in-house staff against its peers) and which market
metric counts its vendors' share. Crowd and expert networks differ here by parameters, not
by code: the crowd cuts pay as readily as it raises it and pushes into expert work when the
market moves there faster than it does; expert networks protect their "high salaries"
(raise pay when short of experts, barely cut it). Adding a model is one entry below.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from labelmarket.model.core.strategies import PARAMETERS, POLICIES, VENDOR_DECISIONS


@dataclass(frozen=True)
class BusinessModel:
    """One way of running a labelling vendor. Unknown decisions, policies or strategy
    parameters are refused when the model is declared (a typo would silently fall back to
    the defaults)."""

    name: str
    meaning: str
    share_metric: str  # market metric: this model's vendors' share of revenue
    policies: Mapping[str, str] = field(default_factory=dict)  # decision -> policy name
    strategy: Mapping[str, float] = field(default_factory=dict)  # parameter -> default

    def __post_init__(self) -> None:
        """Refuse a decision, policy or strategy parameter the registry does not know."""
        if set(self.policies) != set(VENDOR_DECISIONS):
            raise ValueError(
                f"business model {self.name!r} must name a policy for each of "
                f"{', '.join(VENDOR_DECISIONS)}, not {', '.join(self.policies)}"
            )
        for decision, policy in self.policies.items():
            if policy not in POLICIES[decision]:
                raise ValueError(
                    f"business model {self.name!r}: unknown {decision} policy "
                    f"{policy!r} (known: {', '.join(POLICIES[decision])})"
                )
        known = {d.name for d in PARAMETERS if d.group == "strategy"}
        for name in set(self.strategy) - known:
            raise ValueError(f"business model {self.name!r}: unknown strategy parameter "
                             f"{name!r} (known: {', '.join(sorted(known))})")  # fmt: skip


BUSINESS_MODELS: tuple[BusinessModel, ...] = (
    BusinessModel(
        "crowd",
        "crowdsourced volume: a large, low-paid, global contractor pool",
        "crowd_share",
        {"pricing": "markup", "wages": "staffing", "skill_mix": "expert_push"},
        {"pay_shortage_response": 0.3, "pay_surplus_response": 0.1},
    ),
    BusinessModel(
        "expert",
        "expert network: doctors, lawyers, engineers and PhDs on high pay",
        "expert_vendor_share",
        {"pricing": "markup", "wages": "staffing", "skill_mix": "none"},
        {"pay_shortage_response": 0.4, "pay_surplus_response": 0.02},
    ),
)
NAMES: tuple[str, ...] = tuple(m.name for m in BUSINESS_MODELS)
BY_NAME: dict[str, BusinessModel] = {m.name: m for m in BUSINESS_MODELS}
