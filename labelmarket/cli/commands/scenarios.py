"""`labelmarket scenarios`: the scenarios and sweep files shipped with labelmarket.

Each can be given to `run`, `validate`, `dashboard` (scenarios) or `sweep` (sweep files) by
name, from any directory; `--path` prints where they are, to copy one and change it.
"""

from __future__ import annotations

import argparse

WIDTH = 100  # characters a line
HELP = "list the bundled scenarios and sweep files (usable by name, e.g. `run historical`)"


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register `scenarios`."""
    p = sub.add_parser("scenarios", help=HELP, description=HELP)
    p.add_argument("--path", action="store_true", help="print only the bundled folder's path")
    p.set_defaults(handler=run)


def _description(path) -> str:
    """A file's `description:` (or its name), on one line."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    text = data.get("description") if isinstance(data, dict) else None
    return " ".join(str(text or "").split())


def run(args: argparse.Namespace) -> int:
    """Print each bundled scenario and sweep with what it asks."""
    from labelmarket.bundled import SCENARIO_SUFFIXES, scenarios_dir

    folder = scenarios_dir()
    if args.path:
        print(folder)
        return 0
    for title, where, command in (
        ("scenarios", folder, "labelmarket run NAME"),
        ("sweep files", folder / "sweeps", "labelmarket sweep NAME"),
    ):
        files = sorted(p for p in where.iterdir() if p.suffix in SCENARIO_SUFFIXES)
        width = max(len(p.stem) for p in files)
        print(f"Bundled {title} ({command}; files in {where}):")
        for path in files:
            text = _description(path)
            room = max(20, WIDTH - width - 4)
            print(
                f"  {path.stem:<{width}}  {text if len(text) <= room else text[: room - 3] + '...'}"
            )
        print()
    return 0
