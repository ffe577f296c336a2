"""What did Meta's June 2025 stake do to Scale AI? The effect with its uncertainty.

The history and the same world without the stake run on the same seeds (common random
numbers), each replicate drawing its uncertain parameters from the calibration's posterior
sample (`posterior=True`), so each interval below carries what the corpus leaves open as
well as chance. Run it from any folder: `python deal_effect.py --replicates 200`.
"""

from __future__ import annotations

import argparse

import labelmarket as lm


def main(argv: list[str] | None = None) -> int:
    """Run both worlds, compare them replicate by replicate, print Scale AI's losses."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=40, help="replicates per world")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--workers", type=int, default=None, help="default: every core")
    args = parser.parse_args(argv)

    shared = {"replicates": args.replicates, "seed": args.seed, "workers": args.workers}
    deal = lm.run("historical", posterior=True, **shared)
    no_deal = lm.run("no_deal", posterior=True, **shared)
    effect = lm.compare(no_deal, deal)  # the baseline first; pairs share seed and draw

    head = effect.headline
    scale = head[(head.vendor == "Scale AI") & (head.outcome == "revenue")]
    print(
        f"Meta's stake, against the same world without it ({args.replicates} pairs; "
        "5-95% ranges carry parameter and random uncertainty):"
    )
    for row in scale.itertuples():
        print(f"  {row.text}")  # e.g. "Scale AI 2026 revenue: -38% [-41%, -34%] versus no_deal"
    drivers = deal.defections.groupby("driver").size() / args.replicates
    print("defections per replicate, by what drove them:")
    print(drivers.sort_values(ascending=False).round(2).to_string())
    lm.save(effect, "runs/examples/deal_effect", force=True, charts=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
