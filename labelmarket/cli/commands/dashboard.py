"""`labelmarket dashboard SCENARIO`: a Solara page on localhost stepping the Mesa model, one
market per browser session, with a baseline beside it, replicate bands and live charts.

Needs the optional `viz` extra (`pip install -e ".[viz]"`). Everything is checked before the
server starts, so a bad file, a sweep file given for a scenario or a port already in use
gets one line and exit code 2, never a server traceback.
"""

from __future__ import annotations

import argparse

from labelmarket.api.dashboard import prepare, serve
from labelmarket.cli.logs import say


def run(args: argparse.Namespace) -> int:
    """Check the scenario, baseline and port, then hand over to the Solara server."""
    ready = prepare(args.scenario, baseline=args.baseline, host=args.host, port=args.port)
    say(f"labelmarket dashboard: {ready.scenario} at {ready.url} (Ctrl-C stops)")
    serve(ready, open_browser=args.open)
    return 0
