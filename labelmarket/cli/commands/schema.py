"""`labelmarket schema`: write the JSON Schemas of scenario and sweep files for editors.

With the schema line at the top of a YAML file, editors that use yaml-language-server
(VS Code's YAML extension, Neovim, JetBrains) complete field names and check values:

    # yaml-language-server: $schema=scenario.schema.json
"""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "write the scenario and sweep JSON Schemas (editor completion and checks)"


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register `schema`."""
    p = sub.add_parser("schema", help=HELP, description=HELP)
    p.add_argument(
        "--out", "-o", type=Path, default=Path("."), help="folder to write into (default: .)"
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Write both schemas and say how to point a YAML file at them."""
    from labelmarket.api.schema import write_schemas

    for path in write_schemas(args.out):
        print(f"wrote {path}")
    print(
        "point a file at one with a first line such as:\n"
        f"# yaml-language-server: $schema={args.out / 'scenario.schema.json'}"
    )
    return 0
