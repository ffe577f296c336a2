"""`labelmarket scenarios`: the scenarios and sweep files shipped with labelmarket.

Each can be given to `run`, `validate`, `dashboard` (scenarios) or `sweep` (sweep files) by
name, from any directory; `--path` prints where they are, to copy one and change it.
"""

from __future__ import annotations

import argparse

from labelmarket.api.scenarios import bundled

WIDTH = 100  # characters a line


def run(args: argparse.Namespace) -> int:
    """Print each bundled scenario and sweep with what it asks."""
    if args.path:
        print(bundled()[0])
        return 0
    for title, sweeps, command in (
        ("scenarios", False, "labelmarket run NAME"),
        ("sweep files", True, "labelmarket sweep NAME"),
    ):
        where, files = bundled(sweeps)
        width = max(len(name) for name, _ in files)
        print(f"Bundled {title} ({command}; files in {where}):")
        room = max(20, WIDTH - width - 4)
        for name, text in files:
            print(f"  {name:<{width}}  {text if len(text) <= room else text[: room - 3] + '...'}")
        print()
    return 0
