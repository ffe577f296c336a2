"""Synthetic markets of any size for the speed benchmarks (not a calibrated scenario).

`synthetic_world(n_clients, n_vendors)` builds a `World` directly (no YAML) with plausible
random parameters in the same units as `scenarios/historical.yaml`: half the vendors run a
cheap crowd model and half an expert network; about a third of the clients are labs (one
another's rivals) and the rest enterprises; each client starts with a few incumbent vendors;
vendors are staffed for roughly the demand they will meet; one lab buys a stake in the first
vendor at month 18. The same arguments always give the same world.
"""

from __future__ import annotations

import numpy as np

from labelmarket.model.core.business_models import BY_NAME, NAMES
from labelmarket.model.core.parameters import in_scope
from labelmarket.model.core.strategies import VENDOR_DECISIONS
from labelmarket.model.core.world import TIERS, World
from labelmarket.model.scenario.events.investment import InvestmentEffect

INVESTMENT_MONTH = 18
HOURS_PER_WORKER = (60.0, 50.0)  # generalist, expert: as in historical.yaml


def _tier_pairs(rng: np.random.Generator, crowd: np.ndarray, crowd_lo, crowd_hi, exp_lo, exp_hi):
    """(V, 2) draws: uniform in [crowd_lo, crowd_hi] per tier for crowd vendors, else expert."""
    lo = np.where(crowd[:, None], crowd_lo, exp_lo)
    hi = np.where(crowd[:, None], crowd_hi, exp_hi)
    return rng.uniform(lo, hi)


def _vendors(rng: np.random.Generator, is_crowd: np.ndarray) -> dict[str, np.ndarray]:
    """Vendor tier pairs, (V, 2) as (generalist, expert), at historical.yaml's magnitudes."""
    wage = _tier_pairs(rng, is_crowd, (250, 3000), (400, 4500), (500, 4500), (650, 5500))
    quality = _tier_pairs(rng, is_crowd, (0.70, 0.45), (0.85, 0.70), (0.78, 0.80), (0.88, 0.92))
    return {  # drawn in this order, so a seed gives the same world as before
        "hours_per_worker": np.broadcast_to(np.array(HOURS_PER_WORKER), (len(is_crowd), 2)).copy(),
        "wage": wage,
        "quality": quality,
        "reputation": np.clip(quality + rng.normal(0.0, 0.04, quality.shape), 0.0, 1.0),
        "price": _tier_pairs(rng, is_crowd, (10, 70), (20, 100), (25, 110), (35, 140)),
        "hiring_rate": _tier_pairs(
            rng, is_crowd, (0.25, 0.10), (0.35, 0.20), (0.25, 0.20), (0.35, 0.30)
        ),
        "attrition_rate": _tier_pairs(
            rng, is_crowd, (0.04, 0.03), (0.06, 0.04), (0.02, 0.015), (0.04, 0.03)
        ),
        "layoff_rate": _tier_pairs(
            rng, is_crowd, (0.20, 0.15), (0.30, 0.25), (0.10, 0.05), (0.20, 0.15)
        ),
    }


def _clients(rng: np.random.Generator, is_lab: np.ndarray) -> dict[str, np.ndarray]:
    """Client parameters, (C,): labs spend more, want more expert work, mind conflicts."""
    n = len(is_lab)
    lab_budget = rng.lognormal(np.log(15e6), 0.6, n)
    return {
        "budget": np.where(is_lab, lab_budget, rng.lognormal(np.log(3e6), 0.8, n)),
        "budget_growth": np.where(is_lab, rng.uniform(0.015, 0.04, n), 0.01),
        "expert_share": np.where(is_lab, rng.uniform(0.25, 0.45, n), 0.15),
        "expert_trend": np.where(is_lab, rng.uniform(0.4, 0.7, n), 0.3),
        "quality_sensitivity": np.where(is_lab, rng.uniform(8, 12, n), 6.0),
        "price_sensitivity": np.where(is_lab, rng.uniform(1.2, 1.8, n), 2.5),
        "conflict_sensitivity": np.where(is_lab, rng.uniform(3, 5, n), 0.0),
        "contract_renewal": np.where(is_lab, rng.uniform(0.8, 1.2, n) * 0.3, 0.15),
        "defection_threshold": rng.uniform(0.10, 0.20, n),
    }


def _incumbency(rng: np.random.Generator, n_clients: int, n_vendors: int) -> np.ndarray:
    """Each client starts with 1-5 vendors and Dirichlet shares among them: (C, V)."""
    shares = np.zeros((n_clients, n_vendors))
    for c in range(n_clients):
        k = int(rng.integers(1, min(5, n_vendors) + 1))
        chosen = rng.choice(n_vendors, size=k, replace=False)
        shares[c, chosen] = rng.dirichlet(np.ones(k))
    return shares


def _finances(rng, vendors, clients, shares, is_crowd) -> dict[str, np.ndarray]:
    """Staff each vendor for the work its incumbents send now (+20%); cash, overhead, multiple."""
    share = clients["expert_share"]
    tier_budget = clients["budget"][:, None] * np.stack([1 - share, share], axis=-1)
    hours = vendors["hours_per_worker"]
    demand_hours = np.einsum("cv,ck->vk", shares, tier_budget) / vendors["price"]
    floor = 0.002 * demand_hours.sum(axis=0) / hours[0]  # a few workers even with no clients
    workforce = np.maximum(1.2 * demand_hours / hours, floor)
    revenue = np.einsum("cv,ck->v", shares, tier_budget)
    payroll = (workforce * vendors["wage"]).sum(axis=-1)
    n_vendors = len(is_crowd)
    overhead = np.maximum(0.15 * revenue, 2e5) * rng.uniform(0.8, 1.2, n_vendors)
    cash = rng.uniform(6, 24, n_vendors) * (payroll + overhead)
    multiple_crowd, multiple_expert = rng.uniform(3, 18, n_vendors), rng.uniform(8, 20, n_vendors)
    return {
        "workforce": workforce,
        "overhead": overhead,
        "cash": cash,
        "valuation_multiple": np.where(is_crowd, multiple_crowd, multiple_expert),
    }


def _defaults(is_crowd: np.ndarray) -> dict[str, np.ndarray]:
    """Declared tier and strategy values the draws above leave out: each business model's
    own value, else the declared default (as a scenario file that omits them gets)."""
    models = [BY_NAME["crowd" if crowd else "expert"] for crowd in is_crowd]
    out = {
        d.name: np.full((len(is_crowd), 2), float(d.default))
        for d in in_scope("tier")
        if d.default not in (None, ...)
    }
    for d in in_scope("vendor", "strategy"):
        out[d.name] = np.array([m.strategy.get(d.name, d.default) for m in models], dtype=float)
    return out


def _client_defaults(is_lab: np.ndarray) -> dict[str, np.ndarray]:
    """Declared client values the draws above leave out, at their defaults."""
    return {d.name: np.full(len(is_lab), float(d.default)) for d in in_scope("client")
            if d.default is not None}  # fmt: skip


def _policies(is_crowd: np.ndarray) -> dict[str, tuple[str, ...]]:
    """Each vendor's policy per decision: its business model's."""
    models = [BY_NAME["crowd" if crowd else "expert"] for crowd in is_crowd]
    return {k: tuple(m.policies[k] for m in models) for k in VENDOR_DECISIONS}


def synthetic_world(n_clients: int, n_vendors: int, months: int = 120, seed: int = 0) -> World:
    """A random but plausible market of `n_clients` clients and `n_vendors` vendors."""
    if n_clients < 1 or n_vendors < 2:
        raise ValueError("need at least 1 client and 2 vendors")
    rng = np.random.default_rng(seed)
    v_idx = np.arange(n_vendors)
    is_crowd = v_idx % 2 == 0  # alternate so every prefix of vendors holds both models
    is_lab = rng.random(n_clients) < 1 / 3
    is_lab[0] = True  # the investor
    vendors = _vendors(rng, is_crowd)
    clients = _clients(rng, is_lab)
    shares = _incumbency(rng, n_clients, n_vendors)
    vendors |= _finances(rng, vendors, clients, shares, is_crowd)
    events: tuple = ()
    if months > INVESTMENT_MONTH:
        events = (
            InvestmentEffect(INVESTMENT_MONTH, 0, 0, stake=0.3, amount=2.0e9, founder_moves=True),
        )
    market = {  # the declared defaults (a labour market's as a (generalist, expert) pair)
        d.name: np.array([d.default[t] for t in TIERS]) if d.tiered else d.default
        for d in in_scope("market")
    }
    return World(
        vendors=tuple(f"vendor{i}" for i in v_idx),
        clients=tuple(f"{'lab' if lab else 'ent'}{i}" for i, lab in enumerate(is_lab)),
        months=months,
        business_models=NAMES,
        business_model=np.where(is_crowd, NAMES.index("crowd"), NAMES.index("expert")),
        is_lab=is_lab,
        entry_month=np.zeros(n_vendors, dtype=np.int64),
        initial_shares=shares,
        values={**market, **_defaults(is_crowd), **_client_defaults(is_lab), **vendors, **clients},
        policies=_policies(is_crowd),
        events=events,
    )
