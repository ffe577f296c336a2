"""The `labelmarket` command: parse arguments, call one function below, report errors cleanly.

Each sub-command is one module of `labelmarket.cli.commands` with `add_parser(subparsers)`
and `run(args) -> int`. Heavy modules (mesa, pandas, matplotlib, the model itself) are
imported inside the commands that need them, so `labelmarket --help` answers at once.
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
import pkgutil
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

from labelmarket import __version__
from labelmarket.cli import commands, logs
from labelmarket.cli.arguments import Parser
from labelmarket.errors import (
    EXIT_BAD_INPUT,
    EXIT_FAULT,
    EXIT_INTERRUPTED,
    EXIT_TERMINATED,
    FaultError,
    InputError,
    is_actionable,
    os_error_message,
)

ORDER = ("run", "validate", "params", "facts")  # then the rest, alphabetically


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every sub-command."""
    parser = Parser(
        prog="labelmarket",
        description="Agent-based simulation of the market for AI training-data labelling.",
        epilog="Example: labelmarket run scenarios/historical.yaml --replicates 20 --seed 1",
    )
    parser.add_argument("--version", action="version", version=f"labelmarket {__version__}")
    logs.add_verbosity(parser)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    names = [info.name for info in pkgutil.iter_modules(commands.__path__)]
    for name in sorted(names, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n)):
        importlib.import_module(f"labelmarket.cli.commands.{name}").add_parser(sub)
    for command in sub.choices.values():  # -v/-q after the sub-command too
        logs.add_verbosity(command, suppress=True)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser().parse_args(argv)
    args.argv = argv
    logs.configure(logs.level(args.verbose, args.quiet))
    terminated: list[bool] = []
    with _sigterm_as_interrupt(terminated), _folders_released():
        code = _handle(args)
    return EXIT_TERMINATED if terminated and code == EXIT_INTERRUPTED else code


def _handle(args: argparse.Namespace) -> int:
    """Run the command; turn every error a user can act on into one line and an exit code."""
    try:
        _tidy_named_folders(args)
        return args.handler(args)
    except InputError as exc:
        print(f"labelmarket: {_describe(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except FaultError as exc:
        print(f"labelmarket: {exc}", file=sys.stderr)
        return EXIT_FAULT
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
        print(f"labelmarket: {os_error_message(exc)}", file=sys.stderr)
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
        from labelmarket.model.results import folder_lock

        folder_lock.release_all()


def _tidy_named_folders(args: argparse.Namespace) -> None:
    """Remove what dead writers left beside every folder the command names (never raises)."""
    from labelmarket.model.results.leftovers import tidy

    for value in vars(args).values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, Path):
                tidy(item)


def _describe(exc: InputError) -> str:
    """The message, with the scenario's problems under one heading."""
    from labelmarket.model.experiments.sweep_file import SweepError
    from labelmarket.model.scenario.problems import ScenarioError

    if isinstance(exc, ScenarioError):
        return f"error in scenario:\n{exc}"
    return f"error in sweep file:\n{exc}" if isinstance(exc, SweepError) else str(exc)
