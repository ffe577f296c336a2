"""The `labelmarket` command: parse arguments, call the API, report errors cleanly.

Each sub-command has two modules, listed in `COMMANDS` with its one-line help: what it
accepts (`labelmarket.cli.options.<name>.add_arguments(parser)`, light) and what it does
(`labelmarket.cli.commands.<name>.run(args) -> int`, which imports the API it calls at its
top). Only the named command's options are read to parse the line, and its `run` module is
imported only to run it, so every --help answers at once (no numerical stack loaded) and a
command loads only what it uses.
Any input error from any layer (`labelmarket.errors.InputError`) is printed as one message
with exit code 2; a fault while working (a lost worker or scheduler, a full disk, a folder
turned read-only: `FaultError` or such an `OSError`) as one message with exit code 1.
Ctrl-C exits 130 and SIGTERM 143, after the same cleanup. Before a command runs, what a
dead writer left beside any folder it names is cleaned; when it ends, the output folders it
locked are released. `-v`/`-q`, before or after the sub-command, set how much goes to
stderr (`labelmarket.cli.logs`).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import re
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

from labelmarket import __version__
from labelmarket.api.folders import release_all, tidy
from labelmarket.api.head_start import head_start
from labelmarket.cli import logs
from labelmarket.cli.arguments import Parser
from labelmarket.errors import (
    EXIT_BAD_INPUT,
    EXIT_FAULT,
    EXIT_INTERRUPTED,
    EXIT_TERMINATED,
    FaultError,
    InputError,
    Interrupted,
    is_actionable,
    os_error_message,
)

COMMANDS = {  # name -> one-line help; the module is labelmarket.cli.commands.<name>
    "run": "run a scenario and write tables, charts and a manifest",
    "validate": "check a scenario file without running it",
    "params": "list every scenario parameter with its unit, default and meaning",
    "facts": "print the corpus facts ledger (seeds/) as a table",
    "calibrate": "fit the uncertain parameters to the corpus facts (ABC-SMC)",
    "compare": "compare scenarios with a baseline: paired differences with 90%% intervals",
    "dashboard": "interactive dashboard (Solara, the Mesa model) for a scenario, on localhost",
    "discover": "find the parameter regions of a sweep where an outcome condition holds "
    "(PRIM, CART)",
    "plot": "draw a sweep's charts (response curves, heatmaps, sensitivity bars)",
    "report": "write one self-contained report.html for a run or a sweep",
    "scenarios": "list the bundled scenarios and sweep files (usable by name, e.g. `run "
    "historical`)",
    "schema": "write the scenario and sweep JSON Schemas (editor completion and checks)",
    "sweep": "run a parameter sweep (grid, lhs, sobol, morris) and its sensitivity analysis",
}


FLAGS = {  # how the API's messages name a Python argument -> the option that sets it here
    "out=": "--out", "force=True": "--force", "resume=True": "--resume", "overrides=": "--set",
    "workers=": "--workers", "scheduler=": "--scheduler", "posterior=": "--posterior",
    "unpaired=True": "--unpaired", "seed=": "--seed", "seeds=": "--seeds",
    "charts=False": "--no-charts", "condition=": "--outcome", "holdout=": "--holdout",
    "baseline=": "--baseline", "port=": "--port", "host=": "--host",
    "scenario_out=": "--scenario-out", "min_coverage=": "--min-coverage",
    "peel_alpha=": "--peel-alpha", "replicates=": "--replicates", "budget=": "--budget",
}  # fmt: skip
ARGUMENT = re.compile(r"`([a-z_]+=[A-Za-z]*)`")


def spoken(message: str) -> str:
    """An API message in the command line's words: `force=True` becomes --force."""
    return ARGUMENT.sub(lambda m: FLAGS.get(m.group(1), m.group(0)), message)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: every command listed, `command`'s own options loaded."""
    parser = Parser(
        prog="labelmarket",
        description="Agent-based simulation of the market for AI training-data labelling.",
        epilog="Example: labelmarket run historical --replicates 20 --seed 1",
    )
    parser.add_argument("--version", action="version", version=f"labelmarket {__version__}")
    logs.add_verbosity(parser)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if name == command:
            importlib.import_module(f"labelmarket.cli.options.{name}").add_arguments(p)
        logs.add_verbosity(p, suppress=True)  # -v/-q after the sub-command too
    return parser


def _command(argv: list[str]) -> str | None:
    """The sub-command named on the line (the first word that is not an option)."""
    return next((a for a in argv if not a.startswith("-")), None)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(_command(argv)).parse_args(argv)
    args.argv = argv
    logs.configure(logs.level(args.verbose, args.quiet))
    terminated: list[bool] = []
    with _sigterm_as_interrupt(terminated), _folders_released():
        code = _handle(args)
    return EXIT_TERMINATED if terminated and code == EXIT_INTERRUPTED else code


def _head_start_workers(args: argparse.Namespace) -> None:
    """A command that runs on an engine (its options carry --workers and --scheduler)
    starts its local workers' fork server before importing what it runs, so that the
    server's preloading and the command's own imports go on side by side."""
    if hasattr(args, "scheduler"):
        head_start(args.workers, args.scheduler, getattr(args, "replicates", 2))


def _handle(args: argparse.Namespace) -> int:
    """Run the command; turn every error a user can act on into one line and an exit code."""
    try:
        _tidy_named_folders(args)
        _head_start_workers(args)
        return importlib.import_module(f"labelmarket.cli.commands.{args.command}").run(args)
    except InputError as exc:
        heading = f"{exc.heading}:\n" if exc.heading else ""
        print(f"labelmarket: {heading}{spoken(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except FaultError as exc:
        print(f"labelmarket: {spoken(str(exc))}", file=sys.stderr)
        return EXIT_FAULT
    except Interrupted as exc:  # the job says what it kept and how to go on
        print(f"labelmarket: {spoken(str(exc))}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except KeyboardInterrupt as exc:
        how = "terminated (SIGTERM)" if isinstance(exc, _Terminated) else "interrupted"
        print(f"labelmarket: {how}; nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `labelmarket facts | head`
        sys.stderr.close()
        return 0
    except OSError as exc:
        if not is_actionable(exc):
            raise
        print(f"labelmarket: {spoken(os_error_message(exc))}", file=sys.stderr)
        return EXIT_FAULT


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the command is so that it cleans up as it does for Ctrl-C."""


@contextlib.contextmanager
def _sigterm_as_interrupt(terminated: list[bool]) -> Iterator[None]:
    """While a command runs, SIGTERM interrupts it like Ctrl-C (once: a second is ignored)."""

    def interrupt(signum: int, frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        terminated.append(True)
        raise _Terminated()

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread (a server calling main): leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _folders_released() -> Iterator[None]:
    """Release the output folders' locks a command took, however it ended."""
    try:
        yield
    finally:
        release_all()


def _tidy_named_folders(args: argparse.Namespace) -> None:
    """Remove what dead writers left beside every folder the command names (never raises)."""
    for value in vars(args).values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, Path):
                tidy(item)
