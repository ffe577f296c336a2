"""What a calibration reports: the fit report and the calibrated scenario.

The report opens with the target audit (the words each target rests on), then the fit:
generations, the fit table judged on fresh simulations from the posterior (median within
tolerance, and the coverage: the share of draws within it), the consistency checks apart,
the headline answers with their posterior-ensemble intervals, and what the facts pin down.
Held-out targets are judged like fitted ones, which is what a hold-out asks: does the model
fitted without a fact predict it?
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import yaml

from labelmarket import bundled
from labelmarket.calibration.audit import audit_markdown
from labelmarket.calibration.fit_table import coverage_line, markdown_table
from labelmarket.calibration.headline import answers_markdown
from labelmarket.calibration.identifiability import identifiability
from labelmarket.calibration.priors import FitSpec
from labelmarket.model.core.world import TIERS, World
from labelmarket.model.execution.engine import Engine
from labelmarket.model.scenario.files import read_scenario
from labelmarket.model.scenario.paths import Parameter

if TYPE_CHECKING:
    from labelmarket.calibration.abc_smc import AbcState
    from labelmarket.calibration.pipeline import Fitted, Problem
    from labelmarket.calibration.priors import AbcSettings


def _set(node: dict, keys: list[str], value: float) -> None:
    for k in keys[:-1]:
        node = node.setdefault(k, {})
    node[keys[-1]] = value


def concrete_path(p: Parameter, world: World) -> str:
    """The `--set` path of one expanded parameter (`clients.Google.budget`)."""
    if p.scope == "market":
        return f"market.{p.field}"
    if p.path.startswith("clients."):
        return f"clients.{world.clients[p.index[0]]}.{p.field}"
    head = f"vendors.{world.vendors[p.index[0]]}."
    if p.declared.group is not None:
        head += f"{p.declared.group}."
    return head + p.field + (f".{TIERS[p.index[1]]}" if len(p.index) == 2 else "")


def sample_layout(fit: FitSpec, world: World) -> list[dict]:
    """How each fitted value reaches a scenario, for the posterior sample's metadata."""
    return [
        {
            "name": p.name,
            "relative": p.spec.relative,
            "columns": [
                [concrete_path(t, world), float(b)] for t, b in zip(p.targets, p.base, strict=True)
            ],
        }
        for p in fit.parameters
    ]


def calibrated_mapping(world: World, values: list[tuple[Parameter, float]]) -> dict:
    """The scenario fields the fitted values set (market, vendors and clients by name)."""
    market: dict = {}
    vendors: dict[str, dict] = {}
    clients: dict[str, dict] = {}
    for p, v in values:
        value = float(f"{v:.4g}")
        if p.scope == "market":
            market[p.field] = value
        elif p.path.startswith("clients."):
            clients.setdefault(world.clients[p.index[0]], {})[p.field] = value
        else:
            keys = [p.field] if len(p.index) == 1 else [p.field, TIERS[p.index[1]]]
            if p.declared.group is not None:
                keys = [p.declared.group, *keys]
            _set(vendors.setdefault(world.vendors[p.index[0]], {}), keys, value)
    out: dict = {}
    if market:
        out["market"] = market
    if vendors:
        out["vendors"] = [{"name": n, **f} for n, f in vendors.items()]
    if clients:
        out["clients"] = [{"name": n, **f} for n, f in clients.items()]
    return out


def write_calibrated(
    path: Path, base: Path, world: World, fit: FitSpec, medians: np.ndarray, note: str
) -> None:
    """Write a scenario extending `base` with the fitted medians, checked before it lands."""

    path.parent.mkdir(parents=True, exist_ok=True)
    rel = os.path.relpath(base.resolve(), path.parent.resolve())
    data = {
        "extends": rel,
        "name": "calibrated",
        "description": "historical.yaml, parameters fitted to the corpus facts (posterior medians)",
        **calibrated_mapping(world, fit.scenario_values(medians)),
    }
    schema = os.path.relpath(bundled.scenarios_dir() / bundled.SCENARIO_SCHEMA, path.parent)
    header = (
        f"# yaml-language-server: $schema={schema}\n"
        f"# Written by `labelmarket calibrate` on {dt.date.today().isoformat()}: {note}\n"
        "# Posterior medians of the fitted parameters (calibration/parameters.yaml); every other\n"
        f"# number comes from {rel}. Regenerate rather than edit by hand.\n"
    )
    text = header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    try:
        read_scenario(tmp)
    except Exception:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)


def report_markdown(
    problem: Problem, fitted: Fitted, settings: AbcSettings, seed: int, engine: Engine, command: str
) -> str:
    """The fit report: what was fitted, its cost, how well each target fits, what is pinned."""
    state, fit = fitted.state, problem.fit
    total_runs = state.runs + fitted.predictive.runs
    n_pass = int(fitted.table.loc[fitted.table["role"] == "fit", "pass"].sum())
    lines = [
        "# Calibration report",
        "",
        f"Command: `{command}`",
        "",
        f"- scenario: `{problem.inputs.scenario.name}`; targets: {len(problem.targets)} fitted, "
        f"{len(problem.held)} held out, {len(problem.checks)} consistency checks (not fitted)",
        f"- parameters fitted: {len(fit.parameters)}; seed {seed}; engine: {engine!r}",
        f"- ABC-SMC: population {settings.population}, {settings.replicates} replicate(s) per "
        f"particle, tolerance quantile {settings.quantile}, budget {settings.budget:,} simulations",
        f"- simulations: {state.runs:,} for the fit + {fitted.predictive.runs:,} "
        "posterior-predictive "
        f"= **{total_runs:,}**",
        f"- wall time: fit {state.elapsed:.1f} s (summed over resumes), this command "
        f"{fitted.wall:.1f} s including the predictive check",
        f"- stopped: {state.stop_reason}",
        _tolerance_line(state, settings),
        f"- fitted targets passed: {n_pass} of {len(problem.targets)}",
        "",
        "## Generations",
        "",
        "| generation | tolerance | proposals | simulations | acceptance | ESS |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for g, p in enumerate(state.populations):
        lines.append(
            f"| {g} | {p.epsilon:.3f} | {p.proposed:,} | {p.runs:,} | {p.acceptance:.3f} "
            f"| {p.ess():.0f} |"
        )
    lines += ["", "## Fit table", "", markdown_table(fitted.table), ""]
    lines += [coverage_line(fitted.table), "", "## Headline answers", ""]
    lines += _answer_lines(fitted)
    lines += ["", "## Posterior", "", *_posterior_lines(problem, fitted)]
    lines += ["", "## What the targets rest on", "", audit_markdown(problem.all_targets)]
    return "\n".join(lines) + "\n"


def _tolerance_line(state: AbcState, settings: AbcSettings) -> str:
    """What the posterior is: reached, the prior given every reading within its tolerance."""
    last = state.posterior.epsilon
    if last <= settings.tolerance:
        return (
            f"- posterior: the prior given every fitted target within {settings.tolerance:g} x "
            "its stated tolerance (reached)"
        )
    return (
        f"- posterior: **the final tolerance ({settings.tolerance:g}) was not reached**; the last "
        f"generation's is {last:.3f}, so the posterior is wider than the readings make it"
    )


def _answer_lines(fitted: Fitted) -> list[str]:
    """The headline answers on the posterior ensemble, or why there are none."""

    if fitted.answers is None or fitted.answers.empty:
        return ["None: the scenario holds no stake to measure against."]
    return [
        "Each answer is the paired change against the same world without the stake, on the "
        f"{fitted.predictive.theta.shape[0]} posterior-predictive draws (each its own parameter "
        "set and seed): the interval carries parameter and random uncertainty. How each moves "
        "when a reading of the text changes: `labelmarket calibrate --interpretations` "
        "(interpretations.md).",
        "",
        answers_markdown(fitted.answers),
    ]


def _posterior_lines(problem: Problem, fitted: Fitted) -> list[str]:
    """The posterior table with each parameter's identifiability verdict."""

    fit, post = problem.fit, fitted.state.posterior
    lines = [
        "| parameter | prior | posterior 5% | median | 95% | sd / prior sd | KS to prior "
        "| verdict |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    ident = identifiability(fit, post.theta, post.weights)
    for j, (p, ide) in enumerate(zip(fit.parameters, ident, strict=True)):
        lo, mid, hi = fitted.summary[:, j]
        relative = " x base" if p.spec.relative else ""
        prior = f"{p.spec.prior} [{p.spec.low:g}, {p.spec.high:g}]{relative}"
        lines.append(
            f"| {p.name} | {prior} | {lo:.3g} | {mid:.3g} | {hi:.3g} | {ide.sd_ratio:.2f} | "
            f"{ide.ks:.2f} | {ide.verdict} |"
        )
    weak = [i.name for i in ident if i.verdict == "prior-dominated"]
    return [
        *lines,
        "",
        "Identifiability: sd ratio and KS distance are measured where ABC works (log scale for "
        "log-uniform priors); prior-dominated = sd ratio > 0.7 and KS < 0.2.",
        "",
        "Not pinned down by the facts: " + (", ".join(weak) if weak else "none") + ".",
    ]
