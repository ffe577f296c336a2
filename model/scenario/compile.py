"""Compile a validated scenario into a `World`: names become indices, months become numbers.

Every declared parameter (`model.core.parameters`) is gathered by its scope, so a new
parameter needs no line here; every event compiles itself into its effects.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from labelmarket.model.core import business_models
from labelmarket.model.core.parameters import Declared, in_scope
from labelmarket.model.core.strategies import VENDOR_DECISIONS
from labelmarket.model.core.world import TIERS, World
from labelmarket.model.scenario.events import CompileContext
from labelmarket.model.scenario.schema import Scenario


def _tier_pairs(vendors: list, d: Declared) -> np.ndarray:
    """(V, 2) array of a tier parameter, falling back to another where it is not given."""
    rows = []
    for v in vendors:
        pair = getattr(v, d.name)
        if pair is None:
            pair = getattr(v, d.fallback)  # type: ignore[arg-type]
        rows.append([getattr(pair, tier) for tier in TIERS])
    return np.array(rows)


def declared_values(s: Scenario) -> dict[str, Any]:
    """Every declared parameter of the scenario, shaped by its scope."""
    values: dict[str, Any] = {d.name: _market_value(s, d) for d in in_scope("market")}
    for d in in_scope("tier"):
        values[d.name] = _tier_pairs(s.vendors, d)
    for d in in_scope("vendor"):
        values[d.name] = np.array([getattr(v, d.name) for v in s.vendors], dtype=float)
    for d in in_scope("vendor", "strategy"):
        values[d.name] = np.array([_strategy_value(v, d) for v in s.vendors], dtype=float)
    for d in in_scope("client"):
        values[d.name] = np.array([getattr(c, d.name) for c in s.clients], dtype=float)
    return values


def _market_value(s: Scenario, d: Declared) -> Any:
    """A market parameter: a number, or a (generalist, expert) array for a tiered one."""
    value = getattr(s.market, d.name)
    return np.array([getattr(value, t) for t in TIERS]) if d.tiered else value


def _strategy_value(vendor: Any, d: Declared) -> float:
    """A vendor's strategy parameter: its own, else its business model's, else the default."""
    own = getattr(vendor.strategy, d.name)
    if own is not None:
        return own
    return business_models.BY_NAME[vendor.model].strategy.get(d.name, d.default)


def policies(s: Scenario) -> dict[str, tuple[str, ...]]:
    """Each vendor's policy per decision: its own choice, else its business model's."""
    out = {}
    for decision in VENDOR_DECISIONS:
        out[decision] = tuple(
            getattr(v.strategy, decision) or business_models.BY_NAME[v.model].policies[decision]
            for v in s.vendors
        )
    return out


def compile_world(s: Scenario) -> World:
    """Turn a validated scenario into the arrays the rules run on."""
    vendor = {v.name: i for i, v in enumerate(s.vendors)}
    client = {c.name: i for i, c in enumerate(s.clients)}
    horizon = s.months - 1  # the last month's index
    context = CompileContext(s.start, horizon, vendor, client, np.zeros(len(vendor), np.int64))
    effects = tuple(effect for e in s.events for effect in e.effects(context))
    shares = np.zeros((len(client), len(vendor)))
    for c in s.clients:
        for name, share in c.current_vendors.items():
            shares[client[c.name], vendor[name]] = share
    return World(
        vendors=tuple(vendor),
        clients=tuple(client),
        months=s.months,
        business_models=business_models.NAMES,
        business_model=np.array([business_models.NAMES.index(v.model) for v in s.vendors]),
        is_lab=np.array([c.segment == "lab" for c in s.clients]),
        entry_month=context.entry_month,
        initial_shares=shares,
        values=declared_values(s),
        policies=policies(s),
        events=effects,
    )
