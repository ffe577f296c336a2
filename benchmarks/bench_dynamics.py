"""The market-dynamics report: every figure the soundness checklist (issue 17) asks for.

    python benchmarks/bench_dynamics.py [--replicates 40] [--seed 2024]

Prints, with each figure's bound: nine quiet years of `historical` and `calibrated` (pay,
margins, cash spells, exits, HHI), and of `calibrated` with each replicate's parameters drawn
from the posterior sample (the share of replicates breaking each bound); the start against
its scenario; Scale's quality shock without the stake (the fall, its cause, the return);
Meta after its stake (expert work, what it adds at Scale and why); price sensitivity; the
lag of layoffs; the story (no defection before the stake, rivals' cuts, firewalls, expert
vendors, Scale's revenue); whether the two drivers agree. Medians over replicates with
common random numbers; the tests (`tests/test_soundness.py`, `tests/test_behaviour.py`)
assert the same claims at 20-30 replicates. Every figure comes from `model.experiments.claims`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from labelmarket.model.drivers.batched import run_batch
from labelmarket.model.drivers.mesa_model import run_mesa
from labelmarket.model.execution.seeds import replicate_seeds
from labelmarket.model.experiments import claims

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
DEAL, SHOCK = 17, 14
LABS = ("Google", "OpenAI", "xAI", "Anthropic", "Microsoft")
CLIENTS = (*LABS, "Meta", "Enterprise")


def runs(name: str, seeds, **how):
    """A shipped scenario (changed as `claims.scenario_world` allows) and its run."""
    world = claims.scenario_world(SCENARIOS / f"{name}.yaml", **how)
    return world, run_batch(world, seeds)


def quiet(seeds) -> None:
    """Nine years without events."""
    for name in ("historical", "calibrated"):
        world, result = runs(name, seeds, keep_events=(), end="2032-12")
        q = claims.quiet_years(world, result)
        print(f"\n{name}, no events to 2032-12 (pay 0.5-2x, margins -25%..+60%, "
              f"negative cash <= 12 months, HHI 0.5-2x):")  # fmt: skip
        print(q.vendors.round(2).to_string())
        print(f"HHI 2032 / 2024: {q.hhi_ratio:.2f}; defections per replicate: {q.defections:.2f}")


def quiet_posterior(seeds) -> None:
    """Nine quiet years with the parameters each replicate draws from the posterior."""
    world = claims.quiet_on_posterior(SCENARIOS / "calibrated.yaml", seeds)
    breaks = claims.bound_breaks(world, run_batch(world, seeds))
    print(
        f"\ncalibrated, no events to 2032-12, parameters drawn from the posterior "
        f"({len(seeds)} replicates): share of replicates where a vendor breaks a bound"
    )
    for what, broken in breaks.items():
        print(f"  {what}: {broken.mean():.0%}")
    print(f"  any of them: {np.any(list(breaks.values()), axis=0).mean():.0%}")


def start(seeds) -> None:
    """Month 0 against the scenario."""
    print("\nthe start (workforce within 5% of stated, unspent < 1%, utilisation <= 95%):")
    for name in ("historical", "calibrated", "no_deal"):
        world = claims.scenario_world(SCENARIOS / f"{name}.yaml")
        s = claims.start_state(world, run_batch(world, seeds[:2], months=1))
        print(f"  {name:11s} workforce gap {s['workforce_gap']:.1%}, unspent {s['unspent']:.2%}, "
              f"highest utilisation {s['utilisation']:.0%}")  # fmt: skip


def quality(seeds) -> None:
    """Scale's quality shock without the stake."""
    longer = {"end": "2027-06"}
    shocked, s_run = runs("scale_quality_shock", seeds, keep_events=("quality_shock",), **longer)
    base, b_run = runs("no_deal", seeds, **longer)
    ratio = np.median(claims.spend_at(shocked, s_run, LABS, "Scale AI")
                      / claims.spend_at(base, b_run, LABS, "Scale AI"), axis=1)  # fmt: skip
    trough = ratio[SHOCK : SHOCK + 7].min()
    back = (ratio[SHOCK + 24] - trough) / (1 - trough)
    causes = dict(claims.defection_causes(shocked, s_run, "Scale AI", since=SHOCK))
    print(f"\nquality shock without the stake: labs' spend at Scale against no shock, lowest in "
          f"six months {trough:.2f} (<= 0.8); {back:.0%} of the loss back two years on "
          f"(>= 50%); defections at Scale by cause: {causes}")  # fmt: skip


def meta_price_lags(seeds) -> dict:
    """Meta after its stake, price sensitivity, the lag of layoffs; the runs for the story."""
    w = {k: runs(k, seeds) for k in ("historical", "no_deal", "open_ecosystem")}
    w["no_rights"] = runs("historical", seeds, sets=["events.0.cash_flow_rights=false"])
    world, hist = w["historical"]
    meta = world.clients.index("Meta")
    tier = hist.history["spend"][DEAL + 4 : DEAL + 7, :, meta, :, 1]
    networks = np.median(tier[..., world.of_model("expert")].sum(-1) / tier.sum(-1))
    after = slice(DEAL + 1, DEAL + 13)
    at = {k: claims.spend_at(*w[k], ["Meta"], "Scale AI") for k in w}
    print(f"\nMeta: expert-tier spend at expert networks, Oct-Dec 2025: {networks:.2f} (>= 0.5); "
          f"spend at Scale Jul 2025-Jun 2026 against no stake {claims.paired_ratio(at['historical'], at['no_deal'], after):.2f}, "  # noqa: E501
          f"without cash-flow rights {claims.paired_ratio(at['no_rights'], at['no_deal'], after):.2f}")  # fmt: skip  # noqa: E501
    v = world.vendors.index("Scale AI")
    revenue = []
    for b_p in (0.5, 3.0):
        sets = [f"clients.{c}.price_sensitivity={b_p}" for c in CLIENTS]
        _, run_p = runs("historical", seeds, sets=sets)
        revenue.append(np.median(run_p.history["revenue"][24:36, :, v].sum(0)))
    change = revenue[1] / revenue[0] - 1
    print(f"Scale 2026 revenue with price sensitivity 0.5: ${revenue[0] / 1e6:.0f}M, with 3: "
          f"${revenue[1] / 1e6:.0f}M ({change:+.0%}; at least 10% apart)")  # fmt: skip
    lag = claims.first_layoffs(hist, w["no_deal"][1], v, DEAL)
    print(f"Scale's first layoffs beyond no stake, months after it: median {np.median(lag):.0f}, "
          f"earliest {lag.min()} (>= 1)")  # fmt: skip
    return w


def story(w: dict, seeds) -> None:
    """The history's story and the drivers' agreement."""
    world, hist = w["historical"]
    _, none = w["no_deal"]
    months = hist.defections["month"]
    print(f"\nhistorical: {len(months) / len(seeds):.1f} defections per replicate, "
          f"{np.mean(months < DEAL):.1%} before the stake; no_deal: "
          f"{len(none.defections['month']) / len(seeds):.1f} per replicate")  # fmt: skip
    print(f"causes after the stake: {dict(claims.defection_causes(world, hist, since=DEAL))}")
    for c in LABS:
        at = {k: claims.spend_at(*w[k], [c], "Scale AI") for k in ("historical", "no_deal")}
        print(f"  {c:9s} spend at Scale Sep 2025-Feb 2026 against no stake: "
              f"{claims.paired_ratio(at['historical'], at['no_deal'], slice(DEAL + 3, DEAL + 9)):.2f}")  # fmt: skip  # noqa: E501
    rivals = ("Google", "OpenAI", "xAI")
    for k in ("historical", "open_ecosystem"):
        ratio = claims.paired_ratio(claims.spend_at(*w[k], rivals, "Scale AI"),
                                    claims.spend_at(*w["no_deal"], rivals, "Scale AI"), slice(30, 36))  # fmt: skip  # noqa: E501
        print(f"  {k}: rivals' spend at Scale, last six months against no stake {ratio:.2f}")
    v = world.vendors.index("Scale AI")
    rev = {
        k: np.median(w[k][1].history["revenue"][12:, :, v].sum(0)) / 1e9
        for k in ("historical", "no_deal")
    }
    with_, without = rev["historical"], rev["no_deal"]
    print(f"Scale 2025-26 revenue ${with_:.2f}B with the stake, ${without:.2f}B without")
    share = hist.history["revenue"][..., world.of_model("expert")].sum(-1) / hist.history[
        "revenue"
    ].sum(-1)
    early, late = np.median(share[:12]), np.median(share[24:])
    print(f"expert networks' share of revenue: 2024 {early:.2f}, 2026 {late:.2f}")
    mesa = run_mesa(world, int(seeds[0]), collect=False)
    same = all(np.array_equal(mesa.history[k][:, 0], a[:, 0]) for k, a in hist.history.items())
    print(f"Mesa driver equals the batched engine on replicate 0: {same}")


def main() -> None:
    """Run the worlds and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    seeds = replicate_seeds(args.seed, args.replicates)
    print(f"{args.replicates} replicates, seed {args.seed}")
    quiet(seeds)
    quiet_posterior(seeds)
    start(seeds)
    quality(seeds)
    story(meta_price_lags(seeds), seeds)


if __name__ == "__main__":
    main()
