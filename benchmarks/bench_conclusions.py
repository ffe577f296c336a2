"""What the headline answers rest on: the stake's effect with the priors' levers pulled.

    python benchmarks/bench_conclusions.py [--replicates 200] [--seed 3] [--scenario FILE]

The figures of docs/calibration.md's "What the conclusions rest on" and the README's
calibration section: on the calibrated scenario with each replicate's parameters drawn from
its posterior sample (as `run calibrated --posterior` gives them), the stake's paired
effect on Scale AI's 2025 and 2026 revenue against the same world without the stake,
median and 5-95% range, under the posterior itself and with one prior-dominated lever set
for every replicate (a value a scenario sets stays its own: `--set` beats the draw):
price sensitivity low and high, every lab's conflict weight at about the least the
articles allow, the labs the corpus is silent on ignoring the conflict (and OpenAI too);
then Meta's and the enterprise buyers' spend at Scale from July 2025 to December 2026
against no stake, which no target tests.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from labelmarket.calibration.headline import headline_answers, measure
from labelmarket.calibration.simulate import without_stake
from labelmarket.model.drivers.batched import run_batch
from labelmarket.model.execution.seeds import replicate_seeds
from labelmarket.model.experiments.claims import spend_at
from labelmarket.model.results.metrics import month_dates
from labelmarket.model.results.posterior import apply_sample, read_sample
from labelmarket.model.scenario.compile import compile_world
from labelmarket.model.scenario.loading import load_scenario

CALIBRATED = Path(__file__).resolve().parents[1] / "scenarios" / "calibrated.yaml"
LABS = ("Google", "OpenAI", "xAI", "Anthropic", "Microsoft")
CLIENTS = (*LABS, "Meta", "Enterprise")
REVENUE = ("scale_revenue_2025", "scale_revenue_2026")  # headline answers it prints
LEVERS: dict[str, list[str]] = {
    "the posterior itself": [],
    "every client's price sensitivity 0.6": [f"clients.{c}.price_sensitivity=0.6" for c in CLIENTS],
    "every client's price sensitivity 3.5": [f"clients.{c}.price_sensitivity=3.5" for c in CLIENTS],
    "every lab's conflict weight 3": [f"clients.{c}.conflict_sensitivity=3" for c in LABS],
    "Anthropic and Microsoft ignore the conflict": [
        "clients.Anthropic.conflict_sensitivity=0",
        "clients.Microsoft.conflict_sensitivity=0",
    ],
    "... and OpenAI too": [
        f"clients.{c}.conflict_sensitivity=0" for c in ("Anthropic", "Microsoft", "OpenAI")
    ],
}


def paired(path: Path, sets: list[str], seeds: np.ndarray) -> tuple[dict, dict, tuple]:
    """Histories of the calibrated world (with `sets`) and of its twin without the stake,
    both on the posterior draws of `seeds`; and the scenario and its world."""
    scenario = load_scenario(path, sets)
    sample = read_sample(path.with_suffix(".posterior.parquet"))
    out = []
    for s in (scenario, without_stake(scenario)):
        world, _ = apply_sample(sample, s, compile_world(s), seeds)
        out.append(run_batch(world, seeds))
    return out[0], out[1], (scenario, compile_world(scenario))


def band(x: np.ndarray) -> str:
    """Median [5%, 95%] of a % change."""
    lo, mid, hi = np.percentile(x, [5, 50, 95])
    return f"{mid:+.0f}% [{lo:+.0f}%, {hi:+.0f}%]"


def main() -> None:
    """Print the stake's effect under each lever, then Meta's and enterprise spend."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--scenario", type=Path, default=CALIBRATED, help="with its sample beside")
    args = parser.parse_args()
    seeds = replicate_seeds(args.seed, args.replicates)
    print(f"calibrated on its posterior, {args.replicates} paired replicates, seed {args.seed}")
    print("the stake's effect on Scale AI's revenue: median [5%, 95%] against no stake")
    for label, sets in LEVERS.items():
        mine, other, (scenario, world) = paired(args.scenario, sets, seeds)
        answers = [a for a in headline_answers(scenario, world) if a.id in REVENUE]
        effects = measure(answers, mine.history, other.history)  # the fit's own answers
        cells = [f"{a.id[-4:]} {band(effects[:, k])}" for k, a in enumerate(answers)]
        print(f"  {label}: {'; '.join(cells)}")
        if not sets:
            after = np.asarray(month_dates(scenario.start, world.months) >= "2025-07-01")
            for client in ("Meta", "Enterprise"):
                spend, before = (spend_at(world, r, [client], "Scale AI") for r in (mine, other))
                change = (spend[after].sum(0) / before[after].sum(0) - 1.0) * 100.0
                print(f"  {client}'s spend at Scale AI, 2025-07..2026-12: {band(change)}")


if __name__ == "__main__":
    main()
