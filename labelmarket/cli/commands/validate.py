"""`labelmarket validate`: check a scenario file without running it."""

from __future__ import annotations

import argparse

from labelmarket.api.scenarios import load_scenario


def run(args: argparse.Namespace) -> int:
    """Load and check the scenario; print what it holds."""
    scenario = load_scenario(args.scenario, args.overrides)
    events = len(scenario.events)
    print(
        f"{scenario.file}: OK: '{scenario.name}', {scenario.start} to {scenario.end}, "
        f"{len(scenario.vendors)} vendors, {len(scenario.clients)} clients, "
        f"{events} event{'' if events == 1 else 's'}"
    )
    return 0
