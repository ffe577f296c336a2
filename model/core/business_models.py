"""Vendor business models: named categories of vendor with their strategies, not booleans.

A business model names the policies its vendors follow and the values of their strategy
parameters (a vendor may override any of them in its scenario's `strategy:` block). It
also decides which labour market its generalists compete in (crowd contractors against
crowd platforms, an expert network's in-house staff against its peers) and which market
metric counts its vendors' share. Crowd and expert networks differ here by parameters, not
by code: the crowd cuts pay when it loses money, responds little to shortages (its supply
is elastic) and pushes into expert work when its core business shrinks; expert networks
protect their "high salaries" (raise pay when short of experts, never cut it) and price at
a premium that responds less to utilisation. Adding a model is one entry below.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class BusinessModel:
    """One way of running a labelling vendor."""

    name: str
    meaning: str
    share_metric: str  # market metric: this model's vendors' share of revenue
    policies: Mapping[str, str] = field(default_factory=dict)  # decision -> policy name
    strategy: Mapping[str, float] = field(default_factory=dict)  # parameter -> default


BUSINESS_MODELS: tuple[BusinessModel, ...] = (
    BusinessModel(
        "crowd",
        "crowdsourced volume: a large, low-paid, global contractor pool",
        "crowd_share",
        {"pricing": "adaptive", "wages": "adaptive", "skill_mix": "expert_push"},
        {
            "price_utilisation_response": 0.3,
            "price_share_discount": 0.4,
            "pay_shortage_response": 0.1,
            "pay_cut_when_losing": 0.03,
        },
    ),
    BusinessModel(
        "expert",
        "expert network: doctors, lawyers, engineers and PhDs on high pay",
        "expert_vendor_share",
        {"pricing": "adaptive", "wages": "adaptive", "skill_mix": "none"},
        {
            "price_utilisation_response": 0.15,
            "price_share_discount": 0.1,
            "pay_shortage_response": 0.4,
            "pay_cut_when_losing": 0.0,
        },
    ),
)
NAMES: tuple[str, ...] = tuple(m.name for m in BUSINESS_MODELS)
BY_NAME: dict[str, BusinessModel] = {m.name: m for m in BUSINESS_MODELS}
