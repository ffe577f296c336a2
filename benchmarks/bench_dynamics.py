"""The market-dynamics report: every figure issue 9's "must hold" asks for, measured.

    python benchmarks/bench_dynamics.py [--replicates 40] [--seed 2024]

Prints, for the shipped scenarios: the share of defections before the stake, defections in
the first and last year of a world without events, the worst 12-month fall of each vendor's
workforce and whether a recorded cause explains it, the share of price and pay moves that
carry a reason, the deal's effects (rivals' cuts, Scale's revenue against the world
without the deal), the rebound of rivals' spend when the conflict fades, and whether the two
drivers agree. Figures are medians over replicates; the behaviour tests assert the same
claims at 20 replicates.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from labelmarket.model.drivers.batched import run_batch
from labelmarket.model.drivers.mesa_model import run_mesa
from labelmarket.model.execution.seeds import replicate_seeds
from labelmarket.model.scenario.compile import compile_world
from labelmarket.model.scenario.files import load_scenario

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
DEAL = 17
RIVALS = ("Google", "OpenAI", "xAI")


def world(name: str):
    """A shipped scenario, compiled."""
    scenario, _ = load_scenario(SCENARIOS / f"{name}.yaml")
    return compile_world(scenario)


def rivals_share(w, result) -> np.ndarray:
    """Median share of the rival labs' spend that goes to Scale AI, per month."""
    cs = [w.clients.index(c) for c in RIVALS]
    spend = result.history["spend"][:, :, cs].sum(axis=(2, 4))
    return np.median(spend[..., w.vendors.index("Scale AI")] / spend.sum(-1), axis=1)


def workforce_falls(w, result) -> list[str]:
    """Each vendor's worst fall within 12 months, and the recorded causes around it."""
    h = result.history
    pool, target = h["workforce"].sum(-1), h["staff_target"].sum(-1)
    lines = []
    for v, name in enumerate(w.vendors):
        worst, where = 1.0, (0, 0)
        for t in range(12, w.months):
            ratio = pool[t, :, v] / np.maximum(pool[t - 12 : t, :, v].max(0), 1e-9)
            if ratio.min() < worst:
                worst, where = float(ratio.min()), (t, int(ratio.argmin()))
        t, r = where
        demand = target[t, r, v] / max(target[t - 12 : t, r, v].max(), 1e-9)
        laid = h["layoffs"][t - 12 : t + 1, r, v].sum() / max(pool[t - 12 : t, r, v].max(), 1e-9)
        lines.append(f"  {name:9s} worst 12-month ratio {worst:.2f}; demand-implied staff x"
                     f"{demand:.2f}, laid off {laid:.0%} of the peak")  # fmt: skip
    return lines


def main() -> None:
    """Run the worlds and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    seeds = replicate_seeds(args.seed, args.replicates)
    names = ("historical", "calibrated", "no_deal", "open_ecosystem")
    worlds = {n: world(n) for n in names}
    runs = {n: run_batch(worlds[n], seeds) for n in names}
    print(f"{args.replicates} replicates, seed {args.seed}\n")
    for n in ("historical", "calibrated"):
        months = runs[n].defections["month"]
        print(f"{n}: {len(months)} defections, {np.mean(months < DEAL):.1%} before the stake "
              "(must be <= 10%)")  # fmt: skip
    months = runs["no_deal"].defections["month"]
    print(
        f"no_deal: {np.sum(months < 12)} defections in the first 12 months, "
        f"{np.sum(months >= worlds['no_deal'].months - 12)} in the last 12 (first <= last)"
    )
    for n in ("historical", "calibrated", "no_deal"):
        print(f"\n{n} workforce:")
        print("\n".join(workforce_falls(worlds[n], runs[n])))
    h = runs["historical"].history
    for key, why in (("price", "price_reason"), ("wage", "wage_reason")):
        moved = np.abs(np.diff(np.log(h[key]), axis=0)) > 1e-4
        print(f"\nhistorical {key}: {moved.mean():.0%} of vendor-tier-months move; "
              f"{(h[why][:-1][moved] > 0).mean():.0%} of moves carry a reason")  # fmt: skip
    w, none = worlds["historical"], runs["no_deal"]
    v = w.vendors.index("Scale AI")
    for c in RIVALS:
        at = runs["historical"].history["spend"][:, :, w.clients.index(c), v].sum(-1)
        ratio = np.median(at[DEAL + 3 : DEAL + 9].mean(0) / at[DEAL - 3 : DEAL].mean(0))
        print(f"{c} spend at Scale, Sep 2025 - Feb 2026 over Mar - May 2025: {ratio:.2f} (< 0.5)")
    revenue = {n: np.median(runs[n].history["revenue"][12:, :, v].sum(0)) for n in
               ("historical", "no_deal")}  # fmt: skip
    print(
        f"Scale 2025-26 revenue: ${revenue['historical'] / 1e9:.2f}B with the deal, "
        f"${revenue['no_deal'] / 1e9:.2f}B without"
    )
    for n in ("historical", "open_ecosystem"):
        rel = rivals_share(w, runs[n]) / rivals_share(w, none)
        print(f"{n}: rivals' share at Scale against no deal: trough {rel[DEAL:].min():.2f}, "
              f"last six months {rel[-6:].mean():.2f}")  # fmt: skip
    mesa = run_mesa(w, int(seeds[0]), collect=False)
    same = all(np.array_equal(mesa.history[k][:, 0], a[:, 0]) for k, a in h.items())
    print(f"\nMesa driver equals the batched engine on replicate 0: {same}")


if __name__ == "__main__":
    main()
