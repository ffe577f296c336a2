"""`labelmarket dashboard SCENARIO`: a Solara page on localhost stepping the Mesa model, one
market per browser session, with a baseline beside it, replicate bands and live charts.

Needs the optional `viz` extra (`pip install -e ".[viz]"`). Everything is checked before the
server starts, so a bad file, a sweep file given for a scenario or a port already in use
gets one line and exit code 2, never a server traceback.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from labelmarket.cli.logs import say


def add_arguments(p: argparse.ArgumentParser) -> None:
    """`dashboard`'s options."""
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


def run(args: argparse.Namespace) -> int:
    """Check the scenario, baseline and port, then hand over to the Solara server."""
    # the API loads when the command runs, not for its --help
    from labelmarket.api.dashboard import prepare, serve

    ready = prepare(args.scenario, baseline=args.baseline, host=args.host, port=args.port)
    say(f"labelmarket dashboard: {ready.scenario} at {ready.url} (Ctrl-C stops)")
    serve(ready, open_browser=args.open)
    return 0
