"""Where do labs leave Scale AI? A Latin-hypercube sweep and scenario discovery.

Labs' weight on a rival's stake (`clients.*.conflict_sensitivity`) and the speed at which
their demand moves to expert work (`clients.*.expert_trend`) are drawn over wide ranges;
PRIM (the EMA Workbench) then finds the box of the two where Scale AI loses at least one
client, and CART says the same as rules. Needs the `discovery` extra:
`pip install "labelmarket[discovery]"`, then `python sweep_discovery.py --points 200`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

import labelmarket as lm

SWEEP = {
    "name": "where_labs_leave",
    "description": "Conflict weight against the expert trend: when does Scale AI lose clients?",
    "scenario": "historical",  # a bundled scenario, by its name
    "design": "lhs",
    "parameters": [
        {"path": "clients.*.conflict_sensitivity", "range": [0, 8]},  # utility / ownership
        {"path": "clients.*.expert_trend", "range": [0.0, 1.2]},  # log-odds per year
    ],
    "seed": 11,
    "outcomes": [
        {"metric": "defections", "vendor": "Scale AI"},
        {"metric": "revenue", "vendor": "Scale AI", "year": 2026},
    ],
}


def main(argv: list[str] | None = None) -> int:
    """Write the sweep file, run it, discover where Scale AI loses a client."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=60, help="Latin-hypercube points")
    parser.add_argument("--replicates", type=int, default=2, help="replicates per point")
    parser.add_argument("--workers", type=int, default=None, help="default: every core")
    args = parser.parse_args(argv)

    folder = Path("runs/examples")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "where_labs_leave.yaml"
    sweep = {**SWEEP, "points": args.points, "replicates": args.replicates}
    path.write_text(yaml.safe_dump(sweep, sort_keys=False), encoding="utf-8")
    done = lm.sweep(path, out=folder / "sweep", force=True, workers=args.workers, charts=False)
    print(
        f"{len(done.results)} runs; Scale AI lost a client in "
        f"{(done.results['defections_total[Scale AI]'] >= 1).mean():.0%} of them"
    )
    found = lm.discover(folder / "sweep", "defections_total[Scale AI] >= 1")
    print("PRIM's box (where it happens):")
    print(found.discovery.limits.to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
