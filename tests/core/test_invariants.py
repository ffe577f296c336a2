"""Invariants of the market rules under random parameters, events and seeds (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labelmarket.model.drivers.batched import run_batch
from labelmarket.model.scenario.compile import compile_world
from labelmarket.model.scenario.loading import load_scenario
from tests.support import HISTORICAL

MONTHS = ["2024-03", "2024-09", "2025-02", "2025-06", "2025-11"]
VENDORS = ["Scale AI", "Surge AI", "Mercor", "Appen", "Turing"]
CLIENTS = ["Google", "Meta", "OpenAI", "xAI", "Anthropic", "Microsoft", "Enterprise"]

events = st.one_of(
    st.fixed_dictionaries(
        {
            "type": st.just("quality_shock"),
            "month": st.sampled_from(MONTHS),
            "vendor": st.sampled_from(VENDORS),
            "delta": st.floats(-0.5, 0.3),
        }
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("client_pause"),
            "month": st.sampled_from(MONTHS),
            "client": st.sampled_from(CLIENTS),
            "vendor": st.sampled_from([*VENDORS, None]),
            "months": st.sampled_from([None, 2, 6]),
        }
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("pay_cut"),
            "month": st.sampled_from(MONTHS),
            "vendor": st.sampled_from(VENDORS),
            "fraction": st.floats(0.05, 0.9),
            "quality_loss": st.floats(0, 0.3),
        }
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("talent_departure"),
            "month": st.sampled_from(MONTHS),
            "vendor": st.sampled_from(VENDORS),
            "fraction": st.floats(0.05, 1.0),
        }
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("demand_shift"),
            "month": st.sampled_from(MONTHS),
            "budget_factor": st.floats(0.1, 5),
            "expert_shift": st.floats(-3, 3),
        }
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("investment"),
            "month": st.sampled_from(MONTHS),
            "investor": st.sampled_from(CLIENTS),
            "vendor": st.sampled_from(VENDORS),
            "stake": st.floats(0.01, 1.0),
            "amount": st.floats(0, 5e10),
            "founder_moves": st.booleans(),
        }
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("vendor_pivot"),
            "month": st.sampled_from(MONTHS),
            "vendor": st.sampled_from(VENDORS),
        }
    ),
)

worlds = st.fixed_dictionaries(
    {
        "clients.Google.conflict_sensitivity": st.floats(0, 50),
        "clients.OpenAI.quality_sensitivity": st.floats(0, 50),
        "clients.xAI.price_sensitivity": st.floats(0, 10),
        "clients.Meta.contract_renewal": st.floats(0.01, 1),
        "clients.Enterprise.budget_growth": st.floats(-0.2, 0.2),
        "vendors.Surge AI.hiring_rate.expert": st.floats(0, 1),
        "vendors.Scale AI.layoff_rate.generalist": st.floats(0, 1),
        "vendors.Mercor.workforce.expert": st.floats(0, 1e5),
        "market.poaching_rate": st.floats(0, 1),
        "market.observation_noise": st.floats(0.01, 1),
        "market.quality_volatility": st.floats(0, 0.5),
        "market.conflict_half_life": st.floats(0.1, 600),
        "market.quality_pay_elasticity": st.floats(0, 1),
        "vendors.Scale AI.strategy.price_max_step": st.floats(0, 0.5),
        "vendors.Surge AI.strategy.pay_shortage_response": st.floats(0, 5),
        "vendors.Appen.strategy.pay_surplus_response": st.floats(0, 5),
    }
)


def simulate(overrides: dict, extra_events: list, seed: int, months: int = 24):
    """Run a perturbed historical world for a few replicates."""
    scenario = load_scenario(HISTORICAL, overrides)
    data = scenario.model_dump()
    data["events"] = data["events"] + extra_events
    from labelmarket.model.scenario.schema import Scenario

    world = compile_world(Scenario.model_validate(data))
    seeds = np.random.SeedSequence(seed).generate_state(3, np.uint64) >> np.uint64(1)
    return world, run_batch(world, seeds, months=months)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds, st.lists(events, max_size=4), st.integers(0, 2**32 - 1))
def test_market_invariants(overrides: dict, extra_events: list, seed: int) -> None:
    """Money is conserved, shares are proper, nothing is NaN, no pool goes negative,
    prices stay positive and strategies stay in their domains."""
    _, result = simulate(overrides, extra_events, seed)
    h = result.history
    for name, values in h.items():
        assert np.isfinite(values).all(), f"{name} has NaN or infinity"

    spend = h["spend"]  # (T, R, C, V, 2)
    client_spend = spend.sum(axis=(3, 4))
    vendor_revenue = h["revenue"]
    # every dollar clients spend is a dollar of vendor revenue, each month
    np.testing.assert_allclose(client_spend.sum(-1), vendor_revenue.sum(-1), rtol=1e-9, atol=1e-3)
    # nobody spends more than its budget; unserved money is never negative
    budget = h["budget"].sum(-1)
    assert (client_spend <= budget * (1 + 1e-9) + 1e-6).all()
    assert (h["unserved"] >= -1e-6 * np.maximum(budget, 1)).all()
    # cash moves by revenue minus costs, plus money paid for stakes in investment months
    cash_change = np.diff(h["cash"], axis=0)
    flow = (vendor_revenue - h["costs"])[1:]
    inflow = cash_change - flow
    assert (inflow >= -1e-3 * np.maximum(np.abs(h["cash"][1:]), 1)).all()
    # market shares are in [0, 1] and sum to 1 whenever anything is spent
    total = vendor_revenue.sum(-1, keepdims=True)
    share = np.divide(
        vendor_revenue, total, out=np.zeros_like(total * 1.0 + vendor_revenue), where=total > 0
    )
    assert ((share >= 0) & (share <= 1 + 1e-12)).all()
    np.testing.assert_allclose(share.sum(-1)[total[..., 0] > 0], 1.0, rtol=1e-9)
    # no pool, capacity, quality, price, pay or push leaves its domain
    assert (h["workforce"] >= 0).all()
    assert (h["price"] > 0).all() and (h["wage"] >= 0).all()
    assert ((h["push"] >= 0) & (h["push"] <= 1)).all()
    assert ((h["quality"] >= 0) & (h["quality"] <= 1)).all()
    assert (h["served_hours"] <= h["capacity"] * (1 + 1e-9) + 1e-6).all()


def test_investment_moves_exactly_the_amount() -> None:
    """In the deal month Scale's cash jumps by the primary part of Meta's price (half of
    $14.3B in `historical.yaml`), on top of its trading."""
    world, result = simulate({}, [], seed=3, months=24)
    h = result.history
    v = world.vendors.index("Scale AI")
    deal = 17  # June 2025
    inflow = (
        h["cash"][deal, :, v] - h["cash"][deal - 1, :, v] - (h["revenue"] - h["costs"])[deal, :, v]
    )
    np.testing.assert_allclose(inflow, 0.5 * 14.3e9, rtol=1e-9)
