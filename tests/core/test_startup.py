"""model.core.startup on a small world built by hand (2 clients x 3 vendors): the solved fits
make the logit want the observed shares, contracts start there, and the stated workforces
are the labour the stated pay draws."""

from __future__ import annotations

import numpy as np
import pytest

from labelmarket.model.core.batch import Batch
from labelmarket.model.core.business_models import BY_NAME, NAMES
from labelmarket.model.core.choice import open_vendors, side_terms, wanted_shares
from labelmarket.model.core.demand import tier_budgets
from labelmarket.model.core.parameters import in_scope
from labelmarket.model.core.strategies import VENDOR_DECISIONS
from labelmarket.model.core.world import TIERS, World

SHARES = np.array([[0.7, 0.3, 0.0], [0.2, 0.5, 0.3]])  # client 0 does not use vendor 2
TRIAL = 0.005  # the trial share every client keeps at a vendor it does not use


def _world() -> World:
    """Crowd vendors 0 and 2 and expert network 1; a lab (its budget 1 M$, 30% expert) and an
    enterprise (0.5 M$, 20%); every other parameter at its declared default."""
    models = [BY_NAME[name] for name in ("crowd", "expert", "crowd")]
    market = {d.name: np.array([d.default[t] for t in TIERS]) if d.tiered else d.default
              for d in in_scope("market")}  # fmt: skip
    tier = {d.name: np.full((3, 2), d.default) for d in in_scope("tier") if d.default}
    vendor = {d.name: np.full(3, d.default) for d in in_scope("vendor")}
    strategy = {d.name: np.array([m.strategy.get(d.name, d.default) for m in models])
                for d in in_scope("vendor", "strategy")}  # fmt: skip
    client = {d.name: np.full(2, d.default) for d in in_scope("client") if d.default}
    quality = np.array([[0.75, 0.6], [0.8, 0.9], [0.7, 0.55]])
    stated = {
        "workforce": np.array([[2000.0, 400.0], [1000.0, 400.0], [2000.0, 400.0]]),
        "hours_per_worker": np.full((3, 2), 60.0),
        "wage": np.array([[400.0, 3000.0], [1500.0, 6000.0], [300.0, 2500.0]]),
        "quality": quality,
        "reputation": quality,
        "price": np.array([[20.0, 60.0], [45.0, 120.0], [15.0, 50.0]]),
        "hiring_rate": np.full((3, 2), 0.3),
        "attrition_rate": np.full((3, 2), 0.04),
        "layoff_rate": np.full((3, 2), 0.2),
        "budget": np.array([1e6, 5e5]),
        "expert_share": np.array([0.3, 0.2]),
    }
    return World(
        vendors=("crowd0", "expert1", "crowd2"), clients=("lab", "enterprise"), months=3,
        business_models=NAMES, business_model=np.array([0, 1, 0]),
        is_lab=np.array([True, False]), entry_month=np.zeros(3, dtype=np.int64),
        initial_shares=SHARES,
        values={**market, **tier, **vendor, **strategy, **client, **stated},
        policies={k: tuple(m.policies[k] for m in models) for k in VENDOR_DECISIONS},
    )  # fmt: skip


@pytest.fixture(scope="module")
def started() -> Batch:
    """The world's month 0, solved."""
    return Batch.start(_world(), [np.random.default_rng(1)])


def test_the_solved_fits_make_the_logit_want_the_observed_shares(started) -> None:
    """sum_k w_ck P_ckv(month 0) = observed share: client 0 keeps a trial share at vendor 2,
    (0.7, 0.3, 0.005) / 1.005; client 1 wants (0.2, 0.5, 0.3)."""
    b = started
    month, clients = b.month, b.state.clients
    tier_budgets(b.p, clients, 0, np.zeros(2), 0, month)
    open_vendors(b.p, b.state.vendors, b.state.pairs, 0, month)
    side_terms(b.p, b.state.vendors, b.state.pairs, 0, month)
    wanted_shares(b.p, b.state.vendors, b.state.pairs, 0, month)
    budget = month.clients["budget"][0]  # (C, 2)
    spend = (month.pairs["wanted"][0] * budget[:, None, :]).sum(axis=-1)  # (C, V)
    wanted = spend / budget.sum(axis=1, keepdims=True)
    assert wanted[0] == pytest.approx([0.7 / 1.005, 0.3 / 1.005, TRIAL / 1.005], abs=1e-6)
    assert wanted[1] == pytest.approx([0.2, 0.5, 0.3], abs=1e-6)
    assert b.state.pairs["contracts"][0] == pytest.approx(month.pairs["wanted"][0], abs=1e-12)


def test_the_stated_pay_draws_the_stated_workforce(started) -> None:
    """At the start each vendor's labour supply is its stated workforce (attractions solved)
    and the workforce is the stated one."""
    vendors = started.state.vendors[0]
    stated = started.p.vendor["workforce"][0]
    assert vendors["workforce"] == pytest.approx(stated, rel=1e-12)
    assert vendors["labour_supply"] == pytest.approx(stated, rel=1e-9)
