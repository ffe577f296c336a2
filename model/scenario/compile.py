"""Compile a validated scenario into a `World`: names become indices, months become numbers."""

from __future__ import annotations

import numpy as np
from labelmarket.model.core import events as ev
from labelmarket.model.core.world import MarketConstants, World
from labelmarket.model.scenario.checks import month_index
from labelmarket.model.scenario.schema import Scenario

TIER_INDEX = {"generalist": 0, "expert": 1}


def _pairs(items: list, field: str) -> np.ndarray:
    """(N, 2) array of a tier-pair field across vendors."""
    return np.array([[getattr(i, field).generalist, getattr(i, field).expert] for i in items])


def _tier(tier: str | None) -> int | None:
    """Tier name to index (None stays None: both tiers)."""
    return None if tier is None else TIER_INDEX[tier]


def compile_events(s: Scenario, vendor: dict[str, int], client: dict[str, int]) -> tuple:
    """Core event objects for the scenario's events, with pauses split into pause and resume."""
    out: list = []
    horizon = month_index(s.start, s.end)
    for e in s.events:
        m = month_index(s.start, e.month)
        v = vendor.get(getattr(e, "vendor", None) or "")
        if e.type == "investment":
            out.append(ev.Investment(m, client[e.investor], v, e.stake, e.amount, e.founder_moves))
        elif e.type == "client_pause":
            out.append(ev.ClientPause(m, client[e.client], v))
            if e.months is not None and m + e.months <= horizon:
                out.append(ev.ClientPause(m + e.months, client[e.client], v, resume=True))
        elif e.type == "quality_shock":
            out.append(ev.QualityShock(m, v, e.delta, _tier(e.tier), e.recovery_months))
        elif e.type == "demand_shift":
            who = None if e.client is None else client[e.client]
            out.append(ev.DemandShift(m, who, e.budget_factor, e.expert_shift))
        elif e.type == "new_entrant":
            out.append(ev.NewEntrant(m, v))
        elif e.type == "vendor_pivot":
            out.append(
                ev.VendorPivot(
                    m,
                    v,
                    e.expert_wage_factor,
                    e.expert_hiring_rate,
                    e.expert_quality_target,
                    e.ramp_months,
                )
            )
        elif e.type == "pay_cut":
            out.append(ev.PayCut(m, v, e.fraction, e.quality_loss, _tier(e.tier)))
        elif e.type == "talent_departure":
            out.append(
                ev.TalentDeparture(
                    m, v, e.fraction, e.quality_loss, _tier(e.tier), e.recovery_months
                )
            )
    return tuple(out)


def compile_world(s: Scenario) -> World:
    """Turn a validated scenario into the arrays the rules run on."""
    vendor = {v.name: i for i, v in enumerate(s.vendors)}
    client = {c.name: i for i, c in enumerate(s.clients)}
    entry = np.zeros(len(vendor), dtype=np.int64)
    for e in s.events:
        if e.type == "new_entrant":
            entry[vendor[e.vendor]] = month_index(s.start, e.month)
    shares = np.zeros((len(client), len(vendor)))
    for c in s.clients:
        for name, share in c.current_vendors.items():
            shares[client[c.name], vendor[name]] = share
    reputation = np.array(
        [
            [(v.reputation or v.quality).generalist, (v.reputation or v.quality).expert]
            for v in s.vendors
        ]
    )
    col = lambda field: np.array([getattr(c, field) for c in s.clients], dtype=float)  # noqa: E731
    return World(
        vendors=tuple(vendor),
        clients=tuple(client),
        months=month_index(s.start, s.end) + 1,
        is_crowd=np.array([v.model == "crowd" for v in s.vendors]),
        entry_month=entry,
        is_lab=np.array([c.segment == "lab" for c in s.clients]),
        hours_per_worker=_pairs(s.vendors, "hours_per_worker"),
        wage=_pairs(s.vendors, "wage"),
        quality=_pairs(s.vendors, "quality"),
        reputation=reputation,
        price=_pairs(s.vendors, "price"),
        hiring_rate=_pairs(s.vendors, "hiring_rate"),
        attrition_rate=_pairs(s.vendors, "attrition_rate"),
        layoff_rate=_pairs(s.vendors, "layoff_rate"),
        workforce=_pairs(s.vendors, "workforce"),
        overhead=np.array([v.overhead for v in s.vendors]),
        cash=np.array([v.cash for v in s.vendors]),
        valuation_multiple=np.array([v.valuation_multiple for v in s.vendors]),
        budget=col("budget"),
        budget_growth=col("budget_growth"),
        expert_share=col("expert_share"),
        expert_trend=col("expert_trend"),
        quality_sensitivity=col("quality_sensitivity"),
        price_sensitivity=col("price_sensitivity"),
        conflict_sensitivity=col("conflict_sensitivity"),
        inertia=col("inertia"),
        defection_threshold=col("defection_threshold"),
        initial_shares=shares,
        constants=MarketConstants(**s.market.model_dump()),
        events=compile_events(s, vendor, client),
    )
