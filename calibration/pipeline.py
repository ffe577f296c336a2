"""One calibration from inputs to outputs: load and check, fit (resumable), report.

`labelmarket calibrate` is a thin shell over this module. Inputs are all checked before
anything is written; outputs are staged (`.outputs.staging-*`, locked while written, removed
by the next fit if a killed one left it) and moved into place only once complete, while the
checkpoint (written after every generation) is what survives an interruption.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from labelmarket import bundled
from labelmarket.calibration import charts
from labelmarket.calibration.abc_smc import (
    CHECKPOINT,
    Abc,
    AbcState,
    config_hash,
    weighted_summary,
)
from labelmarket.calibration.checkpoint_check import read_or_set_aside
from labelmarket.calibration.errors import CalibrationInputError
from labelmarket.calibration.facts import Ledger, LedgerError, load_ledger
from labelmarket.calibration.fit_table import fit_table, markdown_table
from labelmarket.calibration.headline import answers_table, headline_answers
from labelmarket.calibration.holdout import split_holdout
from labelmarket.calibration.identifiability import identifiability
from labelmarket.calibration.predictive import Predictive, draw_predictive
from labelmarket.calibration.priors import AbcSettings, FitSpec, load_fit_spec
from labelmarket.calibration.report import report_markdown, sample_layout, write_calibrated
from labelmarket.calibration.simulate import Simulator, has_stake, without_stake
from labelmarket.calibration.targets import Target, load_targets, needs_without
from labelmarket.model.core.world import World
from labelmarket.model.execution.engine import Engine
from labelmarket.model.results.folders import publish, staging_folder
from labelmarket.model.results.posterior import SUFFIX, write_sample
from labelmarket.model.scenario.compile import compile_world
from labelmarket.model.scenario.fields import month_index
from labelmarket.model.scenario.files import may_extend, read_scenario
from labelmarket.model.scenario.schema import Scenario

BASE_COPY = "base_scenario.yaml"
"""The base scenario, resolved, when calibrated.yaml could not extend it where it is."""


@dataclass(frozen=True)
class Inputs:
    """Where the inputs live (defaults: the files shipped with the package, from any folder)."""

    scenario: Path = field(default_factory=lambda: bundled.scenarios_dir() / "historical.yaml")
    targets: Path = field(default_factory=lambda: bundled.calibration_file("targets.yaml"))
    parameters: Path = field(default_factory=lambda: bundled.calibration_file("parameters.yaml"))
    seeds: Path = field(default_factory=bundled.seeds_dir)


@dataclass
class Problem:
    """Everything a fit needs, checked: worlds, ledger, targets (fitted, held out, checks)."""

    inputs: Inputs
    scenario: Scenario
    world: World
    ledger: Ledger
    targets: list[Target]  # fitted
    held: list[Target]  # held out (predicted only)
    fit: FitSpec
    checks: list[Target] = field(default_factory=list)  # hold by construction: measured only
    without: World | None = None  # the same world without the stake (None: no stake)

    @property
    def all_targets(self) -> list[Target]:
        """Fitted, held-out, then consistency-check targets (all measured on the predictive)."""
        return self.targets + self.held + self.checks

    @property
    def worlds(self) -> int:
        """Simulations one parameter set costs: 2 when a target needs the world without the
        stake, else 1 (as the Simulator runs them)."""
        return 2 if needs_without(self.targets) else 1

    def simulator(self, engine: Engine, on_runs: Callable[[int], None] | None = None):
        """A Simulator of the fitted targets (with the world without the stake if they need it)."""
        return Simulator(self.world, self.fit, self.targets, engine, on_runs, without=self.without)


def load_problem(inputs: Inputs, holdout: str | None = None) -> Problem:
    """Load and cross-check every input (CalibrationInputError / ScenarioError on bad input)."""

    try:
        corpus = inputs.seeds.resolve().parent.parent / "shared" / "seeds"
        ledger = load_ledger(inputs.seeds, corpus if corpus.is_dir() else None)
    except LedgerError as exc:
        raise CalibrationInputError(exc.file, exc.field, exc.message) from None
    scenario = read_scenario(inputs.scenario)
    world = compile_world(scenario)
    every = load_targets(inputs.targets, ledger, scenario, corpus if corpus.is_dir() else None)
    targets, checks = [t for t in every if t.fitted], [t for t in every if not t.fitted]
    fit = load_fit_spec(inputs.parameters, scenario, world)
    held: list[Target] = []
    if holdout is not None:
        targets, held = split_holdout(targets, holdout, ledger)
    without = compile_world(without_stake(scenario)) if has_stake(scenario) else None
    return Problem(inputs, scenario, world, ledger, targets, held, fit, checks, without)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fit_config(problem: Problem, settings: AbcSettings, seed: int) -> str:
    """The hash a checkpoint must match to be resumed."""
    return config_hash(problem.fit, problem.targets, settings, seed, _sha(problem.inputs.scenario))


def prepare_checkpoint(out: Path, config: str, resume: bool) -> AbcState:
    """A fresh state, or the checkpoint's when resuming the same fit (else a clear error).

    Resuming a fit killed before its first checkpoint starts it afresh, as a sweep does;
    so does a damaged checkpoint, once reported and set aside (`checkpoint_check`).
    """
    path = out / CHECKPOINT
    if not resume or not path.is_file():
        return AbcState(config=config)
    state = read_or_set_aside(path)
    if state is None:
        return AbcState(config=config)
    if state.config != config:
        raise CalibrationInputError(
            str(path),
            "--resume",
            "the checkpoint belongs to a fit with other inputs, settings or seed",
        )
    return state


@dataclass
class Fitted:
    """A finished fit and its posterior-predictive check."""

    state: AbcState
    predictive: Predictive
    table: pd.DataFrame
    summary: np.ndarray  # (3, P) weighted 5/50/95%
    wall: float  # seconds this command spent (fit + predictive)
    answers: pd.DataFrame | None = None  # headline answers on the posterior predictive


def check_budget(settings: AbcSettings, worlds: int) -> None:
    """Refuse a budget that cannot pay for the first generation (before anything runs)."""
    least = settings.population * settings.replicates * worlds
    if settings.budget < least:
        raise CalibrationInputError(
            "`budget=`", "", f"{settings.budget:,} simulations cannot fit one generation of "
            f"{settings.population:,} parameter sets; give at least {least:,}",
        )  # fmt: skip


def run_fit(
    problem: Problem,
    settings: AbcSettings,
    seed: int,
    out: Path,
    state: AbcState,
    engine: Engine,
    on_runs: Callable[[int], None] | None = None,
    on_generation: Callable[[AbcState], None] | None = None,
) -> Fitted:
    """Fit (or finish a resumed fit), checkpointing into `out`, then draw the predictive check."""
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    sim = problem.simulator(engine, on_runs)
    check_budget(settings, sim.worlds)
    state = Abc(sim, settings, seed, out / CHECKPOINT, on_generation).run(state)
    post = state.posterior
    answers = headline_answers(problem.scenario, problem.world)
    pred = draw_predictive(
        problem.world, problem.fit, problem.all_targets, post.theta, post.weights,
        settings.predictive_draws, seed, engine, problem.without, answers,
    )  # fmt: skip
    table = fit_table(problem.all_targets, pred.stats, {t.id for t in problem.held})
    summary = weighted_summary(post.theta, post.weights)
    found = answers_table(answers, pred.answers) if pred.answers.size else None
    return Fitted(state, pred, table, summary, time.perf_counter() - started, found)


def posterior_frame(problem: Problem, state: AbcState) -> pd.DataFrame:
    """Every generation's particles (the last one is the posterior) with weights and distances."""
    frames = []
    for g, pop in enumerate(state.populations):
        frame = pd.DataFrame(pop.theta, columns=problem.fit.names)
        frame.insert(0, "generation", g)
        frame["weight"] = pop.weights
        frame["distance"] = pop.distances
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def write_outputs(
    problem: Problem,
    fitted: Fitted,
    out: Path,
    settings: AbcSettings,
    seed: int,
    engine: Engine,
    command: str,
    manifest: dict,
    charts: bool = True,
) -> list[Path]:
    """Stage every output, then move it into `out` (the checkpoint stays alongside)."""
    for legacy in out.glob(".staging-*"):  # left by a fit killed before staging was locked
        shutil.rmtree(legacy, ignore_errors=True)
    with staging_folder(out, "outputs") as staging:
        posterior_frame(problem, fitted.state).to_parquet(
            staging / "posterior.parquet", index=False
        )
        write_posterior_sample(problem, fitted, staging / f"calibrated{SUFFIX}", seed)
        if fitted.answers is not None:
            fitted.answers.to_csv(staging / "headline_answers.csv", index=False)
        fitted.table.to_csv(staging / "fit_table.csv", index=False)
        (staging / "fit_table.md").write_text(markdown_table(fitted.table) + "\n", encoding="utf-8")
        report = report_markdown(problem, fitted, settings, seed, engine, command)
        (staging / "fit_report.md").write_text(report, encoding="utf-8")
        ident = identifiability(
            problem.fit, fitted.state.posterior.theta, fitted.state.posterior.weights
        )
        pd.DataFrame(
            [
                {"parameter": i.name, "sd_ratio": i.sd_ratio, "ks": i.ks, "verdict": i.verdict}
                for i in ident
            ]
        ).to_csv(staging / "identifiability.csv", index=False)
        note = (
            f"seed {seed}, {fitted.state.runs:,} simulations, targets {problem.inputs.targets.name}"
        )
        base = problem.inputs.scenario
        if not may_extend(out, base):  # keep the folder's calibrated.yaml loadable on its own
            base = staging / BASE_COPY
            text = yaml.safe_dump(problem.scenario.resolved, sort_keys=False, allow_unicode=True)
            base.write_text(text, encoding="utf-8")
        if charts:
            _charts(problem, fitted, staging / "charts")
        text = json.dumps(manifest, indent=2, default=str) + "\n"
        (staging / "manifest.json").write_text(text, encoding="utf-8")
        moved = []
        for item in sorted(staging.iterdir()):
            dest = out / item.name
            if item.is_dir():
                publish(item, dest)  # the old folder aside, the new one in, the old one deleted
            else:
                item.replace(dest)
            moved.append(dest)
    base = out / BASE_COPY if base.parent == staging else problem.inputs.scenario
    calibrated = out / "calibrated.yaml"  # written in place: its `extends` is relative to it
    write_calibrated(calibrated, base, problem.world, problem.fit, fitted.summary[1], note)
    return [*moved, calibrated]


def write_posterior_sample(problem: Problem, fitted: Fitted, path: Path, seed: int) -> Path:
    """The last generation's particles, beside the calibrated scenario, for `--posterior`."""
    post = fitted.state.posterior
    info = {
        "base_scenario": problem.inputs.scenario.name,
        "base_scenario_sha256": _sha(problem.inputs.scenario),
        "targets_sha256": _sha(problem.inputs.targets),
        "seed": seed,
        "simulations": fitted.state.runs,
        "generation": len(fitted.state.populations) - 1,
        "held_out_targets": [t.id for t in problem.held],
    }
    layout = sample_layout(problem.fit, problem.world)
    return write_sample(path, layout, post.theta, post.weights, info)


def _charts(problem: Problem, fitted: Fitted, folder: Path) -> None:
    """Marginals, pairwise posterior and posterior-predictive series."""

    folder.mkdir()
    post = fitted.state.posterior
    charts.marginals(folder / "posterior_marginals.png", problem.fit, post.theta, post.weights)
    charts.pairwise(folder / "posterior_pairs.png", problem.fit, post.theta, post.weights)
    deal = next((e for e in problem.scenario.events if e.type == "investment"), None)
    charts.predictive(
        folder / "posterior_predictive.png", problem.all_targets, fitted.predictive,
        problem.scenario.start, month_index(problem.scenario.start, deal.month) if deal else None,
        problem.world.vendors, {t.id for t in problem.held},
    )  # fmt: skip
