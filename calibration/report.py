"""What a calibration reports: posterior-predictive checks, the fit table, calibrated.yaml.

The fit table judges each target on fresh simulations from the posterior (one per draw):
the simulated median and 90% interval of its statistic, and pass when the median is within
the target's tolerance (distance <= 1). Held-out targets are judged the same way, which is
what a hold-out test asks: does the model fitted without a fact predict it?
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import yaml

from labelmarket.calibration.priors import FitSpec
from labelmarket.calibration.simulate import simulate
from labelmarket.calibration.targets import Target, series, statistics, target_distances
from labelmarket.model.core.world import TIERS, World
from labelmarket.model.execution.engine import Engine
from labelmarket.model.execution.seeds import step_seeds
from labelmarket.model.scenario.paths import Parameter

if TYPE_CHECKING:
    from labelmarket.calibration.abc_smc import AbcState  # noqa: F401
    from labelmarket.calibration.pipeline import Fitted, Problem
    from labelmarket.calibration.priors import AbcSettings

PREDICTIVE_KEY = 1_000_000  # seed key of the predictive draws, apart from every generation


@dataclass
class Predictive:
    """Posterior-predictive simulations: statistics and each target's monthly series."""

    theta: np.ndarray  # (M, P) parameter sets drawn from the posterior
    stats: np.ndarray  # (M, J) target statistics
    series: np.ndarray  # (J, T, M) each target's series (ratios: over its baseline mean)
    runs: int


def draw_predictive(
    world: World,
    fit: FitSpec,
    targets: list[Target],
    theta: np.ndarray,
    weights: np.ndarray,
    draws: int,
    seed: int,
    engine: Engine,
) -> Predictive:
    """Simulate `draws` parameter sets resampled from the posterior over the whole horizon."""
    rng = np.random.default_rng([seed, PREDICTIVE_KEY])
    rows = theta[rng.choice(len(theta), size=draws, p=weights)]
    params, values = fit.columns(rows)
    result = simulate(world, params, values, step_seeds(seed, PREDICTIVE_KEY, n=draws), engine)
    h = result.history
    panels = []
    for t in targets:
        x = series(t, world, h)
        if t.baseline is not None:
            a, b = t.baseline
            base = x[a : b + 1].mean(axis=0)
            x = np.where(base > 0, x / np.where(base > 0, base, 1.0), 0.0)
        panels.append(x)
    return Predictive(rows, statistics(targets, world, h), np.stack(panels), draws)


def fit_table(
    targets: list[Target], stats: np.ndarray, held_out: frozenset[str] | set[str] = frozenset()
) -> pd.DataFrame:
    """One row per target: facts, observed, simulated median and 90% interval, pass or fail."""
    lo, mid, hi = np.percentile(stats, [5, 50, 95], axis=0)
    dist = target_distances(mid[None, :], targets)[0]
    rows = []
    for j, t in enumerate(targets):
        rows.append(
            {
                "target": t.id,
                "facts": ", ".join(t.spec.facts),
                "observed": t.describe_observed(),
                "tolerance": t.spec.tolerance,
                "simulated_median": mid[j],
                "simulated_p5": lo[j],
                "simulated_p95": hi[j],
                "unit": t.spec.unit,
                "distance": round(float(dist[j]), 3),
                "pass": bool(dist[j] <= 1.0),
                "held_out": t.id in held_out,
            }
        )
    return pd.DataFrame(rows)


def _num(x: float) -> str:
    return f"{x:.3g}" if abs(x) < 1e4 else f"{x:.3e}".replace("e+0", "e").replace("e+", "e")


def markdown_table(frame: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table of a fit table."""
    head = "| target | facts | observed | simulated median [90%] | pass |"
    lines = [head, "| --- | --- | --- | --- | --- |"]
    for r in frame.to_dict("records"):
        sim = (
            f"{_num(r['simulated_median'])} [{_num(r['simulated_p5'])}, {_num(r['simulated_p95'])}]"
        )
        mark = ("pass" if r["pass"] else "**fail**") + (" (held out)" if r["held_out"] else "")
        obs = r["observed"] + (
            f" ±{r['tolerance']:.0%}"
            if r["observed"].startswith("~")
            else f" (tol {r['tolerance']:.0%})"
        )
        lines.append(f"| {r['target']} | {r['facts']} | {obs} {r['unit']} | {sim} | {mark} |")
    return "\n".join(lines)


def _set(node: dict, keys: list[str], value: float) -> None:
    for k in keys[:-1]:
        node = node.setdefault(k, {})
    node[keys[-1]] = value


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
    from labelmarket.model.scenario.files import load_scenario

    path.parent.mkdir(parents=True, exist_ok=True)
    rel = os.path.relpath(base.resolve(), path.parent.resolve())
    data = {
        "extends": rel,
        "name": "calibrated",
        "description": "historical.yaml, parameters fitted to the corpus facts (posterior medians)",
        **calibrated_mapping(world, fit.scenario_values(medians)),
    }
    header = (
        f"# Written by `labelmarket calibrate` on {dt.date.today().isoformat()}: {note}\n"
        "# Posterior medians of the fitted parameters (calibration/parameters.yaml); every other\n"
        f"# number comes from {rel}. Regenerate rather than edit by hand.\n"
    )
    text = header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    try:
        load_scenario(tmp)
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
    n_pass = int(fitted.table.loc[~fitted.table["held_out"], "pass"].sum())
    lines = [
        "# Calibration report",
        "",
        f"Command: `{command}`",
        "",
        f"- scenario: `{problem.inputs.scenario.name}`; targets: {len(problem.targets)} fitted, "
        f"{len(problem.held)} held out",
        f"- parameters fitted: {len(fit.parameters)}; seed {seed}; engine: {engine!r}",
        f"- ABC-SMC: population {settings.population}, {settings.replicates} replicate(s) per "
        f"particle, tolerance quantile {settings.quantile}, budget {settings.budget:,} simulations",
        f"- simulations: {state.runs:,} for the fit + {fitted.predictive.runs:,} "
        "posterior-predictive "
        f"= **{total_runs:,}**",
        f"- wall time: fit {state.elapsed:.1f} s (summed over resumes), this command "
        f"{fitted.wall:.1f} s including the predictive check",
        f"- stopped: {state.stop_reason}",
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
    lines += ["", "## Fit table", "", markdown_table(fitted.table), "", "## Posterior", ""]
    lines += _posterior_lines(problem, fitted)
    return "\n".join(lines) + "\n"


def _posterior_lines(problem: Problem, fitted: Fitted) -> list[str]:
    """The posterior table with each parameter's identifiability verdict."""
    from labelmarket.calibration.identifiability import identifiability

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
