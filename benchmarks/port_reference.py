"""Headline outcomes of 1,000 replicates per world, to compare two versions of the rules.

    python benchmarks/port_reference.py --out tests/snapshots/port_reference.npz

Written once with the numpy rules just before they were compiled (issue 16): the compiled
kernel must keep these outcomes' distributions (`tests/drivers/test_port.py`, two-sample
Kolmogorov-Smirnov tests). Outcomes per replicate: each vendor's revenue in the last two
years, its end share, workforce and valuation; the market's end HHI and crowd share; the
number of defections; the rival labs' spend at the first vendor after the stake over before.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_world import synthetic_world

from labelmarket.model.drivers.batched import run_batch
from labelmarket.model.execution.seeds import replicate_seeds
from labelmarket.model.scenario.compile import compile_world
from labelmarket.model.scenario.loading import load_scenario

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
REPLICATES = 1000
SEED = 16


def worlds() -> dict:
    """The three worlds compared: two shipped scenarios and a synthetic market."""
    names = ("historical", "no_deal")
    out = {n: compile_world(load_scenario(SCENARIOS / f"{n}.yaml")) for n in names}
    out["synthetic"] = synthetic_world(24, 8, months=48, seed=3)
    return out


def headline(world, result) -> dict[str, np.ndarray]:
    """Outcomes per replicate, (R,) each, from a run's history."""
    h = result.history
    revenue = h["revenue"]  # (T, R, V)
    t = revenue.shape[0]
    share = revenue / revenue.sum(-1, keepdims=True)
    out = {}
    for v, name in enumerate(world.vendors):
        out[f"revenue_last_year[{name}]"] = revenue[t - 12 :, :, v].sum(0)
        out[f"revenue_year_before[{name}]"] = revenue[t - 24 : t - 12, :, v].sum(0)
        out[f"end_share[{name}]"] = share[-1, :, v]
        out[f"end_workforce[{name}]"] = h["workforce"][-1, :, v].sum(-1)
        out[f"end_valuation[{name}]"] = h["valuation"][-1, :, v]
    crowd = world.of_model("crowd")
    out["end_hhi"] = (share[-1] ** 2).sum(-1)
    out["end_crowd_share"] = share[-1][:, crowd].sum(-1)
    out["defections"] = np.bincount(result.defections["replicate"], minlength=result.replicates)
    labs = np.flatnonzero(world.is_lab)
    at_first = h["spend"][:, :, labs, 0].sum(axis=(2, 3))  # (T, R)
    ratio = at_first[20:26].mean(0) / at_first[12:17].mean(0)
    out["labs_at_first_vendor_after_over_before"] = ratio
    return out


def main() -> None:
    """Run every world and save its outcomes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    seeds = replicate_seeds(SEED, REPLICATES)
    saved = {}
    for name, world in worlds().items():
        for key, values in headline(world, run_batch(world, seeds)).items():
            saved[f"{name}/{key}"] = values
    np.savez_compressed(args.out, **saved)
    print(f"wrote {len(saved)} outcomes x {REPLICATES} replicates to {args.out}")


if __name__ == "__main__":
    main()
