"""`labelmarket validate`: check a scenario file without running it."""

from __future__ import annotations

import argparse
from pathlib import Path

from labelmarket.cli.arguments import add_overrides


def add_arguments(p: argparse.ArgumentParser) -> None:
    """`validate`'s options."""
    p.add_argument("scenario", type=Path, help="scenario YAML file, or a bundled scenario's name")
    add_overrides(p, "override a field before checking")


def run(args: argparse.Namespace) -> int:
    """Load and check the scenario; print what it holds."""
    # the API loads when the command runs, not for its --help
    from labelmarket.api.scenarios import load_scenario

    scenario = load_scenario(args.scenario, args.overrides)
    events = len(scenario.events)
    print(
        f"{scenario.file}: OK: '{scenario.name}', {scenario.start} to {scenario.end}, "
        f"{len(scenario.vendors)} vendors, {len(scenario.clients)} clients, "
        f"{events} event{'' if events == 1 else 's'}"
    )
    return 0
