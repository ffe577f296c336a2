"""`labelmarket validate`: check a scenario file without running it."""

from __future__ import annotations

import argparse
from pathlib import Path

from labelmarket.cli.arguments import add_overrides

HELP = "check a scenario file without running it"


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register `validate`."""
    p = sub.add_parser("validate", help=HELP, description=HELP)
    p.add_argument("scenario", type=Path, help="scenario YAML file")
    add_overrides(p, "override a field before checking")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Load and check the scenario; print what it holds."""
    from labelmarket.model.scenario.files import load_scenario

    scenario, _ = load_scenario(args.scenario, args.overrides)
    print(
        f"{args.scenario}: OK: '{scenario.name}', {scenario.start} to {scenario.end}, "
        f"{len(scenario.vendors)} vendors, {len(scenario.clients)} clients, "
        f"{len(scenario.events)} event{'' if len(scenario.events) == 1 else 's'}"
    )
    return 0
