"""The Mesa model as a Mesa user drives it: plain keyword arguments, `rng=`, a DataCollector
with model and agent reporters, `mesa.batch_run`, and agents a subclass can change."""

from __future__ import annotations

import mesa
import numpy as np
import pytest

from labelmarket.model.drivers.agents import Client, Vendor
from labelmarket.model.drivers.batched import run_batch
from labelmarket.model.drivers.mesa_model import MarketModel, load_world


def test_built_from_a_bundled_name_overrides_and_rng_like_any_mesa_model() -> None:
    """Same numbers as the batched engine for the same scenario, overrides and seed."""
    overrides = {"clients.Google.conflict_sensitivity": 8.0}
    model = MarketModel("historical", overrides, rng=11)
    for _ in range(6):
        model.step()
    batched = run_batch(load_world("historical", overrides), [11], months=6)
    np.testing.assert_array_equal(model.result().history["revenue"], batched.history["revenue"])


def test_batch_run_ends_at_the_horizon_on_this_mesa() -> None:
    """The docstring's call: seeds in the parameters, and each run's last row is the
    scenario's last month (mesa 3.3 read the step before the last)."""
    rows = mesa.batch_run(
        MarketModel, {"scenario_file": "no_deal", "rng": [1, 2]}, number_processes=1,
        display_progress=False,
    )  # fmt: skip
    world = load_world("no_deal")
    last = {}
    for row in rows:
        last[row["RunId"]] = row  # rows come in step order within a run
    assert len(last) == 2
    assert {r["month"] for r in last.values()} == {world.months}
    model = MarketModel("no_deal", rng=1)
    while model.running:
        model.step()
    final = [r for r in rows if r["RunId"] == 0 and r["Step"] == last[0]["Step"]]
    revenue = {r["name"]: r["revenue"] for r in final if r.get("kind") == "vendor"}
    assert revenue == {v.name: v.revenue for v in model.vendors}


def test_batch_run_gives_distinct_replicates_with_agent_rows() -> None:
    """mesa.batch_run over a parameter and iterations: a row per agent, runs that differ."""
    grid = {
        "scenario_file": "no_deal",
        "overrides": [("market.budget_noise=0.05",), ("market.budget_noise=0.2",)],
    }
    rows = mesa.batch_run(MarketModel, grid, iterations=2, max_steps=4, display_progress=False)
    runs = {r["RunId"] for r in rows}
    assert len(runs) == 4
    agents = {r["name"] for r in rows if r.get("kind") == "vendor"}
    assert agents == {"Scale AI", "Surge AI", "Mercor", "Appen", "Turing"}
    spend = {r["RunId"]: r["total_spend"] for r in rows}
    assert len(set(spend.values())) == 4  # every run drew its own shocks


class ListPriceVendor(Vendor):
    """A vendor that keeps its list price, whatever its strategy would do."""

    def decide(self, signals):
        """Decide as usual, then put the price back."""
        decided = super().decide(signals)
        return decided._replace(price=self.price.copy(), price_reason=decided.price_reason * 0)


def test_a_subclassed_vendor_changes_the_mesa_driver_only() -> None:
    """Overriding `decide` changes prices in the Mesa driver; the model says it cannot batch."""
    plain = MarketModel("historical", rng=3)
    custom = MarketModel("historical", rng=3, vendor_class=ListPriceVendor)
    for _ in range(24):
        plain.step()
        custom.step()
    start = custom.result().history["price"][0]
    assert np.array_equal(custom.result().history["price"][-1], start)
    assert not np.array_equal(plain.result().history["price"][-1], start)
    assert plain.batchable and not custom.batchable


def test_agents_are_not_added_or_removed_at_run_time() -> None:
    """A new agent or a removed one is refused with a message saying what to do instead."""
    model = MarketModel("no_deal", rng=1)
    with pytest.raises(ValueError, match="new_entrant"):
        Vendor(model, len(model.vendors), "Newco", "expert")
    with pytest.raises(ValueError, match="client_pause"):
        model.clients[0].remove()
    assert isinstance(model.clients[0], Client)
