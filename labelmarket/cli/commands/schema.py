"""`labelmarket schema`: write the JSON Schemas of scenario and sweep files for editors.

With the schema line at the top of a YAML file, editors that use yaml-language-server
(VS Code's YAML extension, Neovim, JetBrains) complete field names and check values:

    # yaml-language-server: $schema=scenario.schema.json
"""

from __future__ import annotations

import argparse

from labelmarket.api.schema import write_schemas
from labelmarket.cli.logs import say


def run(args: argparse.Namespace) -> int:
    """Write both schemas and say how to point a YAML file at them."""
    for path in write_schemas(args.out):
        say(f"wrote {path}")
    say(
        "point a file at one with a first line such as: "
        f"# yaml-language-server: $schema={args.out / 'scenario.schema.json'}"
    )
    return 0
