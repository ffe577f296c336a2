"""What the history must show (median of 20 replicates, fixed seed), deal versus no deal.

Nothing here is scripted in historical.yaml: the rivals' retreat comes from the
conflict-of-interest term and from what clients learn about quality; the expert shift
from the task mix and quality.
"""

from __future__ import annotations

import numpy as np
import pytest

from labelmarket.model.drivers.batched import run_batch
from labelmarket.model.execution.seeds import replicate_seeds
from labelmarket.model.scenario.compile import compile_world
from labelmarket.model.scenario.files import load_scenario
from tests.support import SCENARIOS

DEAL = 17  # June 2025, month 0 = January 2024
RIVALS = ("Google", "OpenAI", "xAI")


@pytest.fixture(scope="module")
def runs() -> dict:
    """historical and no_deal, 20 replicates each, same seeds (common random numbers)."""
    out = {}
    for name in ("historical", "no_deal"):
        scenario, _ = load_scenario(SCENARIOS / f"{name}.yaml")
        world = compile_world(scenario)
        out[name] = (world, run_batch(world, replicate_seeds(2024, 20)))
    return out


def spend_at(world, result, client: str, vendor: str) -> np.ndarray:
    """Monthly spend of a client at a vendor, median across replicates: (T,)."""
    c, v = world.clients.index(client), world.vendors.index(vendor)
    return np.median(result.history["spend"][:, :, c, v].sum(-1), axis=1)


def test_historical_scenario_scripts_no_defection() -> None:
    """The history holds the stake and nothing else: no pause, exit or shock."""
    scenario, _ = load_scenario(SCENARIOS / "historical.yaml")
    assert [e.type for e in scenario.events] == ["investment"]


@pytest.mark.parametrize("rival", RIVALS)
def test_rivals_spend_at_scale_falls_after_the_stake(runs: dict, rival: str) -> None:
    """After June 2025 each rival lab spends less at Scale than before, and than without it."""
    world, hist = runs["historical"]
    _, none = runs["no_deal"]
    with_deal = spend_at(world, hist, rival, "Scale AI")
    without = spend_at(world, none, rival, "Scale AI")
    before = with_deal[DEAL - 3 : DEAL].mean()
    after = with_deal[DEAL + 1 : DEAL + 7].mean()
    assert after < 0.5 * before
    assert after < 0.5 * without[DEAL + 1 : DEAL + 7].mean()


def test_scale_revenue_2025_2026_lower_with_the_deal(runs: dict) -> None:
    """Scale's 2025-2026 revenue is lower with the deal than without it."""
    world, hist = runs["historical"]
    _, none = runs["no_deal"]
    v = world.vendors.index("Scale AI")
    with_deal = np.median(hist.history["revenue"][12:, :, v].sum(0))
    without = np.median(none.history["revenue"][12:, :, v].sum(0))
    assert with_deal < without
    # and identical before the deal: the same seeds give the same history up to May 2025
    np.testing.assert_array_equal(hist.history["revenue"][:DEAL], none.history["revenue"][:DEAL])


@pytest.mark.parametrize("name", ["historical", "no_deal"])
def test_expert_vendors_share_rises(runs: dict, name: str) -> None:
    """Expert vendors' share of market revenue rises over 2024-2026 in both worlds."""
    world, result = runs[name]
    revenue = result.history["revenue"]
    share = revenue[..., world.of_model("expert")].sum(-1) / revenue.sum(-1)
    median = np.median(share, axis=1)
    assert median[24:].mean() > median[12:24].mean() > median[:12].mean()
    assert median[-1] > median[0] + 0.2


def test_rivals_defections_are_attributed_to_the_conflict(runs: dict) -> None:
    """Rival labs' defections from Scale right after the stake are driven by the conflict."""
    world, hist = runs["historical"]
    d = hist.defections
    scale = world.vendors.index("Scale AI")
    rivals = [world.clients.index(c) for c in RIVALS]
    mask = (d["vendor"] == scale) & np.isin(d["client"], rivals)
    mask &= (d["month"] >= DEAL) & (d["month"] <= DEAL + 3)
    assert mask.sum() >= 20  # most replicates record rivals leaving
    assert (d["driver"][mask] == 2).mean() > 0.8  # 2 = conflict of interest
    _, none = runs["no_deal"]
    nd = none.defections
    none_mask = (nd["vendor"] == scale) & np.isin(nd["client"], rivals)
    none_mask &= (nd["month"] >= DEAL) & (nd["month"] <= DEAL + 3)
    assert none_mask.sum() < mask.sum() / 4


def test_google_is_scales_largest_client_before_the_deal(runs: dict) -> None:
    """In the year to May 2025 Google is Scale's largest client, at about $200M a year."""
    world, hist = runs["historical"]
    at_scale = hist.history["spend"][5:DEAL, :, :, world.vendors.index("Scale AI")].sum(axis=(0, 3))
    yearly = np.median(at_scale, axis=0)  # (C,) $ in June 2024 - May 2025
    google = world.clients.index("Google")
    assert yearly.argmax() == google
    assert 150e6 < yearly[google] < 250e6


def test_calibrated_scenario_shows_the_same_directions() -> None:
    """The fitted scenario keeps the history's story: rivals leave Scale, Scale earns less."""
    from labelmarket.model.scenario.schema import Scenario

    scenario, data = load_scenario(SCENARIOS / "calibrated.yaml")
    worlds = {
        "deal": compile_world(scenario),
        "none": compile_world(Scenario.model_validate({**data, "events": []})),
    }
    seeds = replicate_seeds(2024, 20)
    runs = {k: run_batch(w, seeds) for k, w in worlds.items()}
    world = worlds["deal"]
    v = world.vendors.index("Scale AI")
    revenue = {k: np.median(r.history["revenue"][12:, :, v].sum(0)) for k, r in runs.items()}
    assert revenue["deal"] < revenue["none"]
    google = spend_at(world, runs["deal"], "Google", "Scale AI")
    assert google[DEAL + 1 : DEAL + 7].mean() < 0.5 * google[DEAL - 3 : DEAL].mean()
