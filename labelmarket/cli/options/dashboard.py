"""What `labelmarket dashboard` accepts: its arguments, options and --help."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(p: argparse.ArgumentParser) -> None:
    """`dashboard`'s arguments and options."""
    p.add_argument("scenario", type=Path, help="scenario YAML file, or a bundled scenario's name")
    p.add_argument(
        "--baseline",
        type=Path,
        help="scenario drawn dashed beside it, same seeds (default: no_deal for the bundled "
        "market's scenarios; the page can change it)",
    )
    p.add_argument("--port", type=int, default=8765, help="port (default: 8765; 0: any free)")
    p.add_argument("--host", default="localhost", help="interface (default: localhost)")
    p.add_argument("--open", action="store_true", help="open a browser once the server is up")
