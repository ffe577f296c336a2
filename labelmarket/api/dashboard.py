"""The dashboard: a Solara page on localhost stepping the Mesa model, one market per session.

Everything is checked before the server starts, so a bad file, a sweep file given for a
scenario or a port already in use gets one message (exit code 2), never a server
traceback. Needs the optional `viz` extra.
"""

from __future__ import annotations

import errno
import os
import socket
import warnings
from dataclasses import dataclass
from pathlib import Path

import yaml

from labelmarket.bundled import BundledDataError, resolve_scenario
from labelmarket.dashboard.model import APP, BASELINE_ENV, SCENARIO_ENV
from labelmarket.errors import UsageError, install_hint
from labelmarket.model.scenario.loading import load_scenario


@dataclass(frozen=True)
class Dashboard:
    """A dashboard ready to serve: its scenario, baseline and address, all checked."""

    scenario: Path
    baseline: Path | None
    host: str
    port: int

    @property
    def url(self) -> str:
        """Where the page is served."""
        return f"http://{self.host}:{self.port}"


def prepare(
    scenario: str | Path,
    *,
    baseline: str | Path | None = None,
    host: str = "localhost",
    port: int = 8765,
) -> Dashboard:
    """Check the scenario, the baseline, the `viz` extra and the port (0: any free one)."""
    found = _scenario(scenario, "`labelmarket dashboard`")
    base = _scenario(baseline, "`baseline=`") if baseline is not None else None
    if not 0 <= port <= 65535:
        raise UsageError(f"`port=` must be between 0 and 65535, got {port}")
    # mesa 3.3's SolaraViz module trips solara's hook linter at import; nothing to fix here.
    warnings.filterwarnings("ignore", message=".*use_state.*found despite early return")
    try:
        import solara  # noqa: F401 - the optional viz extra
    except ImportError as exc:
        raise UsageError(
            f"the dashboard needs the optional 'viz' extra ({exc.name} is missing): "
            f"{install_hint('viz')}"
        ) from None
    return Dashboard(found, base, host, free_port(host, port))


def serve(dashboard: Dashboard, open_browser: bool = False) -> None:
    """Serve the page until Ctrl-C (the Solara server, in this process)."""
    from solara.__main__ import cli  # the optional viz extra

    os.environ[SCENARIO_ENV] = str(dashboard.scenario.resolve())
    if dashboard.baseline is not None:
        os.environ[BASELINE_ENV] = str(dashboard.baseline.resolve())
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    argv = ["run", str(APP), "--host", dashboard.host, "--port", str(dashboard.port)]
    argv += ["--production", "--no-check-version", "--open" if open_browser else "--no-open"]
    cli.main(argv, prog_name="labelmarket dashboard", standalone_mode=False)


def _scenario(text: str | Path, option: str) -> Path:
    """A scenario file checked like any other; a sweep file named instead is told so."""
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
                    f"`port=` {port}: already in use on {host}; stop what uses it or choose "
                    "another (`port=` 0 takes any free port)"
                ) from None
            raise UsageError(f"`host=` {host}: cannot listen there ({exc.strerror})") from None
        return s.getsockname()[1]
