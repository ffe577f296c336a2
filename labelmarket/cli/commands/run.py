"""`labelmarket run`: run a scenario's replicates and write tables, charts and a manifest."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from labelmarket.cli.arguments import (
    add_engine,
    add_output,
    add_overrides,
    replicates,
    scenario_file,
    seed_number,
)

HELP = "run a scenario and write tables, charts and a manifest"


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register `run` and its options."""
    p = sub.add_parser("run", help=HELP, description=HELP)
    p.add_argument(
        "scenario", type=Path, help="scenario YAML file, or a bundled scenario's name (historical)"
    )
    p.add_argument(
        "--replicates", "-n", type=replicates, default=20, help="replicate runs (default: 20)"
    )
    p.add_argument(
        "--seed", "-s", type=seed_number, default=0,
        help="root seed; replicate seeds are spawned from it (default: 0)",
    )  # fmt: skip
    add_overrides(p)
    add_output(p, "runs/<scenario name>", "replace a non-empty output folder")
    add_engine(p)
    p.add_argument("--no-charts", action="store_true", help="skip the PNG charts")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Load and check everything, simulate, write the folder, print the summary."""
    from labelmarket.api.run import simulate, write_run
    from labelmarket.model.results.folders import check_out, default_out
    from labelmarket.model.results.manifest import command_line
    from labelmarket.model.scenario.files import load_scenario
    from labelmarket.report.text import format_summary

    args.scenario = scenario_file(args.scenario)
    scenario, resolved = load_scenario(args.scenario, args.overrides)
    out: Path = args.out or default_out(scenario.name)
    check_out(out, args.force)
    from labelmarket.cli.arguments import engine_from

    engine = engine_from(args)
    logging.getLogger("labelmarket").debug("%s on %r", args.scenario, engine)
    try:
        sim = simulate(
            scenario, resolved, args.scenario, args.replicates, args.seed, engine, args.overrides
        )
    finally:
        engine.close()
    summary = write_run(out, sim, command_line(args.argv), charts=not args.no_charts)
    print(format_summary(summary, sim.world, scenario.start, args.replicates, sim.elapsed))
    files = "timeseries.parquet, summary.csv, defections.csv, decisions.csv, manifest.json"
    print(f"\nwrote {out}/ ({files}{'' if args.no_charts else ', charts/'})")
    return 0
