"""`labelmarket dashboard SCENARIO`: a Solara page on localhost stepping the Mesa model, one
market per browser session, with a baseline beside it, replicate bands and live charts.

Needs the optional `viz` extra (`pip install -e ".[viz]"`). Everything is checked before the
server starts, so a bad file, a sweep file given for a scenario or a port already in use
gets one line and exit code 2, never a server traceback.
"""

from __future__ import annotations

import argparse
import errno
import os
import socket
from pathlib import Path

from labelmarket.errors import UsageError


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register `dashboard`."""
    p = subparsers.add_parser(
        "dashboard",
        help="interactive dashboard (Solara, the Mesa model) for a scenario, on localhost",
    )
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
    p.set_defaults(handler=run)


def _scenario(text: Path, option: str) -> Path:
    """A scenario file checked like any other; a sweep file named instead is told so."""
    from labelmarket.bundled import BundledDataError, resolve_scenario
    from labelmarket.model.scenario.files import load_scenario

    try:
        path = resolve_scenario(text)
    except BundledDataError as missing:
        try:
            sweep = resolve_scenario(text, sweeps=True)
        except BundledDataError:
            raise missing from None
        raise UsageError(_sweep_message(sweep, option)) from None
    if _is_sweep(path):
        raise UsageError(_sweep_message(path, option))
    load_scenario(path)  # a ScenarioError is reported by the CLI (exit 2)
    return path


def _is_sweep(path: Path) -> bool:
    """A YAML file with a sweep's own fields (a design and outcomes)."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False  # the scenario loader says what is wrong with it
    return isinstance(data, dict) and {"design", "outcomes"} <= set(data)


def _sweep_message(path: Path, option: str) -> str:
    """What to do with a sweep file: sweep it, or open its scenario."""
    return (
        f"{path}: is a sweep file; {option} takes a scenario (run the sweep with "
        f"`labelmarket sweep {path}`, then `labelmarket report` its folder; or open the "
        "scenario it names under `scenario:`)"
    )


def free_port(host: str, port: int) -> int:
    """`port` if nothing listens there (0: any free one); else a one-line error."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
        try:
            s.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UsageError(
                    f"--port {port}: already in use on {host}; stop what uses it or choose "
                    "another (--port 0 takes any free port)"
                ) from None
            raise UsageError(f"--host {host}: cannot listen there ({exc.strerror})") from None
        return s.getsockname()[1]


def run(args: argparse.Namespace) -> int:
    """Check the scenario, baseline and port, then hand over to the Solara server."""
    scenario = _scenario(args.scenario, "`labelmarket dashboard`")
    baseline = _scenario(args.baseline, "--baseline") if args.baseline else None
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
    port = free_port(args.host, args.port)
    os.environ["LABELMARKET_DASHBOARD_SCENARIO"] = str(scenario.resolve())
    if baseline is not None:
        os.environ["LABELMARKET_DASHBOARD_BASELINE"] = str(baseline.resolve())
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    from solara.__main__ import cli

    app = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
    argv = ["run", str(app), "--host", args.host, "--port", str(port), "--production"]
    argv += ["--no-check-version", "--open" if args.open else "--no-open"]
    print(f"labelmarket dashboard: {scenario} at http://{args.host}:{port} (Ctrl-C stops)")
    cli.main(argv, prog_name="labelmarket dashboard", standalone_mode=False)
    return 0
