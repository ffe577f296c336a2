"""The `labelmarket` command: parse arguments, call one function below, report errors cleanly.

Each sub-command is one module of `labelmarket.cli.commands` with `add_parser(subparsers)`
and `run(args) -> int`. Heavy modules (mesa, pandas, matplotlib, the model itself) are
imported inside the commands that need them, so `labelmarket --help` answers at once.
Any input error from any layer (`labelmarket.errors.InputError`) is printed as one message
with exit code 2. `-v`/`-q`, before or after the sub-command, set how much goes to stderr
(`labelmarket.cli.logs`).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from labelmarket import __version__
from labelmarket.cli import commands, logs
from labelmarket.cli.arguments import Parser
from labelmarket.errors import EXIT_BAD_INPUT, InputError

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
    try:
        return args.handler(args)
    except InputError as exc:
        print(f"labelmarket: {_describe(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("labelmarket: interrupted; nothing was written", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `labelmarket facts | head`
        sys.stderr.close()
        return 0


def _describe(exc: InputError) -> str:
    """The message, with the scenario's problems under one heading."""
    from labelmarket.model.experiments.sweep_file import SweepError
    from labelmarket.model.scenario.problems import ScenarioError

    if isinstance(exc, ScenarioError):
        return f"error in scenario:\n{exc}"
    return f"error in sweep file:\n{exc}" if isinstance(exc, SweepError) else str(exc)
