"""Vendor business models: named categories of vendor, not booleans.

A vendor's business model decides which labour market its generalists compete in (crowd
contractors against crowd platforms, an expert network's in-house staff against its
peers) and which market-share metric counts it. Adding a model is one entry below.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BusinessModel:
    """One way of running a labelling vendor."""

    name: str
    meaning: str
    share_metric: str  # market metric: this model's vendors' share of revenue


BUSINESS_MODELS: tuple[BusinessModel, ...] = (
    BusinessModel(
        "crowd",
        "crowdsourced volume: a large, low-paid, global contractor pool",
        "crowd_share",
    ),
    BusinessModel(
        "expert",
        "expert network: doctors, lawyers, engineers and PhDs on high pay",
        "expert_vendor_share",
    ),
)
NAMES: tuple[str, ...] = tuple(m.name for m in BUSINESS_MODELS)
