"""`labelmarket dashboard SCENARIO`: a Solara page on localhost stepping the Mesa model, one
market per browser session, with sliders and live charts.

Needs the optional `viz` extra (`pip install -e ".[viz]"`). The scenario is checked before the
server starts, so a bad file gets the usual one-line error and exit code 2.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from labelmarket.errors import UsageError


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register `dashboard`."""
    p = subparsers.add_parser(
        "dashboard",
        help="interactive dashboard (Solara, the Mesa model) for a scenario, on localhost",
    )
    p.add_argument("scenario", type=Path, help="scenario YAML file")
    p.add_argument("--port", type=int, default=8765, help="port (default: 8765; 0: any free)")
    p.add_argument("--host", default="localhost", help="interface (default: localhost)")
    p.add_argument("--open", action="store_true", help="open a browser once the server is up")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Validate the scenario, then hand over to the Solara server until Ctrl-C."""
    from labelmarket.model.scenario.files import load_scenario

    load_scenario(args.scenario)  # a ScenarioError is reported by the CLI (exit 2)
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port must be between 0 and 65535, got {args.port}")
    import warnings

    # mesa 3.3's SolaraViz module trips solara's hook linter at import; nothing to fix here.
    warnings.filterwarnings("ignore", message=".*use_state.*found despite early return")
    try:
        import solara  # noqa: F401
    except ImportError as exc:
        raise UsageError(
            f"the dashboard needs the optional 'viz' extra ({exc.name} is missing): "
            "pip install -e '.[viz]'"
        ) from None
    os.environ["LABELMARKET_DASHBOARD_SCENARIO"] = str(args.scenario.resolve())
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    from solara.__main__ import cli

    app = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
    argv = ["run", str(app), "--host", args.host, "--port", str(args.port), "--production"]
    argv += ["--no-check-version", "--open" if args.open else "--no-open"]
    print(
        f"labelmarket dashboard: {args.scenario} at http://{args.host}:{args.port} (Ctrl-C stops)"
    )
    cli.main(argv, prog_name="labelmarket dashboard", standalone_mode=False)
    return 0
