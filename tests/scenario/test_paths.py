"""Parameters set per replicate give the same numbers as the scenario with `--set`."""

from __future__ import annotations

import numpy as np
import pytest

from labelmarket.model.drivers.batched import run_batch
from labelmarket.model.scenario.compile import compile_world
from labelmarket.model.scenario.loading import load_scenario
from labelmarket.model.scenario.paths import ParameterError, locate, with_parameters
from tests.support import HISTORICAL

SCENARIO = load_scenario(HISTORICAL)
WORLD = compile_world(SCENARIO)


def test_per_replicate_values_match_set_overrides() -> None:
    """Row i of a batched sweep equals the scenario run with row i's values as --set."""
    paths = [
        "clients.*.conflict_sensitivity",
        "vendors.Scale AI.quality.expert",
        "market.founder_exposure",
        "market.observation_noise",
        "clients.Google.contract_renewal",
        "vendors.*.hiring_rate.*",
        "vendors.Scale AI.strategy.pay_surplus_response",
    ]
    values = np.array([[0.5, 0.5, 0.0, 0.3, 0.2, 0.1, 0.0], [12.0, 0.9, 0.6, 0.05, 0.9, 0.4, 0.2]])
    seeds = [7, 7]
    swept = run_batch(with_parameters(WORLD, [locate(SCENARIO, p) for p in paths], values), seeds)
    for i, row in enumerate(values):
        sets = [
            f"vendors.Scale AI.quality.expert={row[1]}",
            f"market.founder_exposure={row[2]}",
            f"market.observation_noise={row[3]}",
            f"clients.Google.contract_renewal={row[4]}",
            f"vendors.Scale AI.strategy.pay_surplus_response={row[6]}",
        ]
        sets += [f"clients.{c.name}.conflict_sensitivity={row[0]}" for c in SCENARIO.clients]
        sets += [f"vendors.{v.name}.hiring_rate.{t}={row[5]}" for v in SCENARIO.vendors
                 for t in ("generalist", "expert")]  # fmt: skip
        scenario = load_scenario(HISTORICAL, sets)
        alone = run_batch(compile_world(scenario), seeds[i : i + 1])
        for key, arr in swept.history.items():
            np.testing.assert_array_equal(arr[:, i], alone.history[key][:, 0], err_msg=key)
    # and the two rows really differ
    assert not np.array_equal(swept.history["revenue"][:, 0], swept.history["revenue"][:, 1])


def test_unknown_path_suggests_the_nearest() -> None:
    """A typo gets the nearest valid path."""
    with pytest.raises(ParameterError, match=r"did you mean 'clients\.Google\.contract_renewal'"):
        locate(SCENARIO, "clients.Gogle.contract_renewal")
    with pytest.raises(
        ParameterError, match=r"did you mean 'vendors\.Appen\.strategy\.min_margin'"
    ):
        locate(SCENARIO, "vendors.Appen.strategy.min_margn")
    with pytest.raises(ParameterError, match="cannot vary per run"):
        locate(SCENARIO, "market.spill_rounds")


def test_values_outside_the_schema_are_refused() -> None:
    """A value the scenario schema would reject is rejected here too, with the range."""
    p = locate(SCENARIO, "vendors.Scale AI.quality.expert")
    assert (p.low, p.high) == (0.0, 1.0)
    with pytest.raises(ParameterError, match=r"outside the allowed \[0, 1\]"):
        with_parameters(WORLD, [p], np.array([[1.5]]))
    share = locate(SCENARIO, "clients.Meta.expert_share")
    assert share.low > 0 and share.high < 1  # open interval (0, 1)


def test_batched_worlds_run_the_same_in_any_number_of_workers() -> None:
    """A world with one row of parameters per replicate chunks and forks like any other."""
    from labelmarket.model.execution.local import LocalEngine
    from labelmarket.model.execution.replicates import run_replicates
    from labelmarket.model.execution.seeds import replicate_seeds

    p = locate(SCENARIO, "clients.*.conflict_sensitivity")
    values = np.linspace(0, 20, 40)[:, None]
    world = with_parameters(WORLD, [p], values)
    seeds = replicate_seeds(3, 40)
    one = run_replicates(world, seeds, LocalEngine(1))
    two = run_replicates(world, seeds, LocalEngine(2))
    direct = run_batch(world, seeds)
    for key in one.history:
        np.testing.assert_array_equal(one.history[key], two.history[key], err_msg=key)
        np.testing.assert_array_equal(one.history[key], direct.history[key], err_msg=key)
    # more conflict sensitivity, less left at Scale after the deal (Google, December 2026)
    scale = WORLD.vendors.index("Scale AI")
    at_scale = one.history["spend"][-1, :, WORLD.clients.index("Google"), scale].sum(-1)
    assert at_scale[:5].mean() > at_scale[-5:].mean()
