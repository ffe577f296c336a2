"""`labelmarket schema`: write the JSON Schemas of scenario and sweep files for editors.

With the schema line at the top of a YAML file, editors that use yaml-language-server
(VS Code's YAML extension, Neovim, JetBrains) complete field names and check values:

    # yaml-language-server: $schema=scenario.schema.json
"""

from __future__ import annotations

import argparse
from pathlib import Path

from labelmarket.cli.logs import say


def add_arguments(p: argparse.ArgumentParser) -> None:
    """`schema`'s options."""
    p.add_argument(
        "--out", "-o", type=Path, default=Path("."), help="folder to write into (default: .)"
    )


def run(args: argparse.Namespace) -> int:
    """Write both schemas and say how to point a YAML file at them."""
    # the API loads when the command runs, not for its --help
    from labelmarket.api.schema import write_schemas

    for path in write_schemas(args.out):
        say(f"wrote {path}")
    say(
        "point a file at one with a first line such as: "
        f"# yaml-language-server: $schema={args.out / 'scenario.schema.json'}"
    )
    return 0
