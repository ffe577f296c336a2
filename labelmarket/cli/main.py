"""The `labelmarket` command: parse arguments, call the packages, report errors cleanly.

Heavy modules (mesa, pandas, matplotlib, the model itself) are imported inside the
commands that need them so `labelmarket --help` answers at once.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from labelmarket import __version__
from labelmarket.errors import EXIT_BAD_INPUT, UsageError

__all__ = ["EXIT_BAD_INPUT", "UsageError", "build_parser", "main"]


def _whole_number(minimum: int) -> Callable[[str], int]:
    """argparse type: a whole number of at least `minimum`."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


_positive = _whole_number(1)
_seed = _whole_number(0)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every sub-command."""
    parser = argparse.ArgumentParser(
        prog="labelmarket",
        description="Agent-based simulation of the market for AI training-data labelling.",
        epilog="Example: labelmarket run scenarios/historical.yaml --replicates 20 --seed 1",
    )
    parser.add_argument("--version", action="version", version=f"labelmarket {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run a scenario and write tables, charts and a manifest")
    run.add_argument("scenario", type=Path, help="scenario YAML file")
    run.add_argument(
        "--replicates", "-n", type=_positive, default=20, help="replicate runs (default: 20)"
    )
    run.add_argument(
        "--seed",
        "-s",
        type=_seed,
        default=0,
        help="root seed; replicate seeds are spawned from it (default: 0)",
    )
    run.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="override a field, e.g. --set 'vendors.Scale AI.price.expert=80' (repeatable)",
    )
    run.add_argument("--out", "-o", type=Path, help="output folder (default: runs/<scenario name>)")
    run.add_argument(
        "--workers",
        "-w",
        type=_positive,
        help="worker processes (default: all cores); results do not depend on it",
    )
    run.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run the replicates on a Dask cluster (tcp://HOST:PORT); same numbers as locally",
    )
    run.add_argument("--force", action="store_true", help="replace a non-empty output folder")
    run.add_argument("--no-charts", action="store_true", help="skip the PNG charts")

    val = sub.add_parser("validate", help="check a scenario file without running it")
    val.add_argument("scenario", type=Path, help="scenario YAML file")
    val.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="override a field before checking (repeatable)",
    )

    sub.add_parser(
        "params", help="list every scenario parameter with its unit, default and meaning"
    )

    facts = sub.add_parser("facts", help="print the corpus facts ledger (seeds/) as a table")
    facts.add_argument(
        "--conflicts", action="store_true", help="show the conflicts between sources instead"
    )
    facts.add_argument("--seeds", type=Path, default=None, help="ledger folder (default: ./seeds)")
    _add_plugin_commands(sub)
    return parser


def _add_plugin_commands(sub: argparse._SubParsersAction) -> None:
    """Register every module of `labelmarket.cli.commands` (see its docstring)."""
    import importlib
    import pkgutil

    from labelmarket.cli import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        importlib.import_module(f"labelmarket.cli.commands.{info.name}").add_parser(sub)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    args = build_parser().parse_args(argv)
    from labelmarket.model.scenario.files import ScenarioError
    from labelmarket.model.scenario.paths import ParameterError

    try:
        if getattr(args, "handler", None) is not None:
            return args.handler(args)
        if args.command == "run":
            from labelmarket.api.run import run_command

            return run_command(args, argv if argv is not None else sys.argv[1:])
        if args.command == "validate":
            return _validate(args)
        if args.command == "params":
            from labelmarket.cli.params import print_params

            print_params()
            return 0
        if args.command == "facts":
            return _facts(args)
    except ScenarioError as exc:
        print(f"labelmarket: error in scenario:\n{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (UsageError, ParameterError) as exc:
        print(f"labelmarket: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("labelmarket: interrupted; nothing was written", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `labelmarket facts | head`
        sys.stderr.close()
        return 0
    return 0


def _validate(args: argparse.Namespace) -> int:
    """`labelmarket validate`: load and check a scenario, print what it holds."""
    from labelmarket.model.scenario.files import load_scenario

    scenario, _ = load_scenario(args.scenario, args.overrides)
    print(
        f"{args.scenario}: OK: '{scenario.name}', {scenario.start} to {scenario.end}, "
        f"{len(scenario.vendors)} vendors, {len(scenario.clients)} clients, "
        f"{len(scenario.events)} events"
    )
    return 0


def _facts(args: argparse.Namespace) -> int:
    """`labelmarket facts`: print the ledger, or its conflicts."""
    from labelmarket.calibration.facts import LedgerError, format_facts, load_ledger

    seeds = args.seeds or Path("seeds")
    if not seeds.is_dir():
        raise UsageError(f"{seeds}: ledger folder not found (use --seeds DIR)")
    corpus = seeds.resolve().parent.parent / "shared" / "seeds"
    try:
        ledger = load_ledger(seeds, corpus if corpus.is_dir() else None)
    except LedgerError as exc:
        raise UsageError(str(exc)) from None
    print(format_facts(ledger, conflicts=args.conflicts))
    return 0
