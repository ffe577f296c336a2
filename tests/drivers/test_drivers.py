"""Both drivers (Mesa model, batched engine) and every chunking give identical numbers."""

from __future__ import annotations

import numpy as np
import pytest

from labelmarket.model.drivers.batched import RunResult, run_batch
from labelmarket.model.drivers.mesa_model import MarketModel, run_mesa
from labelmarket.model.execution.local import LocalEngine
from labelmarket.model.execution.replicates import run_replicates
from labelmarket.model.execution.seeds import replicate_seeds
from labelmarket.model.scenario.compile import compile_world
from labelmarket.model.scenario.loading import load_scenario
from tests.support import SCENARIOS


def world_of(name: str):
    """Compile a shipped scenario."""
    scenario = load_scenario(SCENARIOS / name)
    return compile_world(scenario)


def assert_same(a: RunResult, b: RunResult) -> None:
    """Bit-for-bit equality of two results."""
    assert a.history.keys() == b.history.keys()
    for key in a.history:
        np.testing.assert_array_equal(a.history[key], b.history[key], err_msg=key)
    for key in a.defections:
        np.testing.assert_array_equal(a.defections[key], b.defections[key], err_msg=key)
    np.testing.assert_array_equal(a.seeds, b.seeds)


@pytest.mark.parametrize("name", ["historical.yaml", "scale_pivot.yaml", "exclusive_deal.yaml"])
def test_mesa_and_batched_drivers_agree(name: str) -> None:
    """The Mesa model gives the batched engine's numbers for the same scenario and seed."""
    world = world_of(name)
    seeds = replicate_seeds(11, 4)
    batched = run_batch(world, seeds)
    for i, seed in enumerate(seeds):
        mesa_run = run_mesa(world, int(seed))
        for key, values in batched.history.items():
            np.testing.assert_array_equal(mesa_run.history[key][:, 0], values[:, i], err_msg=key)
        mine = batched.defections["replicate"] == i
        for key in ("month", "client", "vendor", "driver"):
            np.testing.assert_array_equal(mesa_run.defections[key], batched.defections[key][mine])


def test_results_do_not_depend_on_workers_or_chunks() -> None:
    """Replicate i has the same numbers alone, in any chunk, in any number of processes."""
    world = world_of("historical.yaml")
    seeds = replicate_seeds(5, 24)
    one = run_replicates(world, seeds, LocalEngine(1))
    two = run_replicates(world, seeds, LocalEngine(2))
    assert_same(one, two)
    odd = RunResult.concat([run_batch(world, seeds[:7]), run_batch(world, seeds[7:])])
    assert_same(one, odd)
    alone = run_batch(world, seeds[9:10])
    for key, values in one.history.items():
        np.testing.assert_array_equal(alone.history[key][:, 0], values[:, 9], err_msg=key)


def test_seeds_change_numbers_and_repeat_exactly() -> None:
    """Same seed, same numbers; another seed, other numbers."""
    world = world_of("historical.yaml")
    a = run_batch(world, replicate_seeds(1, 2))
    b = run_batch(world, replicate_seeds(1, 2))
    c = run_batch(world, replicate_seeds(2, 2))
    assert_same(a, b)
    assert not np.array_equal(a.history["revenue"], c.history["revenue"])


def test_mesa_agents_are_views_of_the_market_arrays() -> None:
    """Agents read their row of the arrays; writing through an agent changes the market."""
    world = world_of("historical.yaml")
    model = MarketModel(world, seed=3)
    scale = next(v for v in model.vendors if v.name == "Scale AI")
    google = next(c for c in model.clients if c.name == "Google")
    for _ in range(18):
        model.step()
    assert scale.stakes == {"Meta": pytest.approx(0.49)}
    assert scale.headcount == pytest.approx(model.state.vendors["workforce"][0, scale.index].sum())
    assert google.spend == pytest.approx(sum(google.spend_by_vendor.values()))
    frame = model.datacollector.get_agent_vars_dataframe()
    assert len(frame) == 19 * (world.n_vendors + world.n_clients)  # the start and 18 months
    assert (frame.loc[frame["kind"] == "vendor", "revenue"].iloc[-5:] > 0).all()
    scale.workforce = np.array([0.0, 0.0])  # every worker leaves, through the agent ...
    model.step()
    assert google.spend_by_vendor["Scale AI"] == 0.0  # ... so Scale serves nobody next month
    assert google.spend > 0


def test_summary_of_a_replicate_does_not_depend_on_the_batch_size() -> None:
    """Yearly sums are taken in a fixed order: replicate 0 alone equals replicate 0 of 20."""
    from labelmarket.model.results import tables as outputs

    world = world_of("historical.yaml")
    seeds = replicate_seeds(8, 20)
    many = outputs.summary(run_batch(world, seeds), world, "2024-01")
    one = outputs.summary(run_batch(world, seeds[:1]), world, "2024-01")
    assert many.iloc[[0]].reset_index(drop=True).equals(one)
