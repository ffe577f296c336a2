"""Calibration targets: corpus facts turned into numbers measured on the model's output.

A target names a monthly series of the model (`spend` of one client at one vendor,
`workforce` of a vendor, ...), reduces it over a window of months (`sum`, `mean`, or
`ratio` = mean over the window / mean over a baseline window), and compares it with the
facts it rests on: about equal (`approx`, in log terms), `at_least` or `at_most` a bound.
Qualitative facts ("falls", "rises") become bounds on a ratio, so nothing is dropped. A
target with a `counterfactual` is measured against the same world without the stake, run
with the same seeds: the scenario's statistic over that world's (`ratio`), minus it
(`difference`), or that world's alone (`level`: what was planned before the deal). The
words each target rests on and how its number was read are in `calibration.target_spec`.

Each target's distance is 0 when it holds exactly and 1 at the edge of its tolerance;
ABC combines them into one distance per simulation, the largest: a simulation is within
tolerance 1 when every reading holds to its stated precision.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from labelmarket.calibration.audit import check_phrases
from labelmarket.calibration.errors import CalibrationInputError
from labelmarket.calibration.facts import Ledger
from labelmarket.calibration.series import SERIES, check_args, ratio
from labelmarket.calibration.target_spec import TargetSpec, check_alternatives
from labelmarket.model.core.world import World
from labelmarket.model.scenario.fields import month_index
from labelmarket.model.scenario.files import ScenarioError, read_yaml
from labelmarket.model.scenario.schema import Scenario

_TINY = 1e-12


TargetError = CalibrationInputError


@dataclass(frozen=True)
class Target:
    """A checked target: months resolved to indices, observed value filled in from facts."""

    spec: TargetSpec
    observed: float
    window: tuple[int, int]  # inclusive month indices
    baseline: tuple[int, int] | None

    @property
    def id(self) -> str:
        """The target's id (for tables and hold-outs)."""
        return self.spec.id

    @property
    def fitted(self) -> bool:
        """False for a consistency check (holds by construction: reported, never fitted)."""
        return self.spec.role == "fit"

    def describe_observed(self) -> str:
        """The observed value as a reader should see it: `~2e+08`, `>= 1e+05`, `<= 0.5`."""
        sign = {"approx": "~", "at_least": ">=", "at_most": "<="}[self.spec.relation]
        versus = {"ratio": " vs no stake", "difference": " vs no stake", "level": " (no stake)"}
        return f"{sign} {self.observed:.4g}" + versus.get(self.spec.counterfactual or "", "")

    def reading(self, which: int) -> Target:
        """The same target with its weaker (0) or stronger (1) alternative as the number."""
        if self.spec.alternatives is None:
            raise ValueError(f"{self.id} is not an interpretation")
        return replace(self, observed=float(self.spec.alternatives[which]))


def _read(path: Path) -> list[Any]:
    """The `targets:` list of a YAML file (duplicate keys refused)."""

    try:
        raw = read_yaml(path)
    except ScenarioError as exc:
        raise TargetError(str(path), "<file>", str(exc.problems[0].message)) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("targets"), list) or not raw["targets"]:
        raise TargetError(str(path), "targets", "expected a non-empty list under 'targets:'")
    extra = set(raw) - {"targets"}
    if extra:
        raise TargetError(str(path), sorted(extra)[0], "unknown key (allowed: targets)")
    return raw["targets"]


def load_targets(
    path: Path, ledger: Ledger, scenario: Scenario, corpus: Path | None = None
) -> list[Target]:
    """Read and check every target against the ledger and the scenario's names and horizon,
    and, when the articles are at hand (`corpus`), each phrase against its article."""
    out: list[Target] = []
    for i, item in enumerate(_read(Path(path))):
        target = check_target(path, i, item, ledger, scenario)
        if target.id in {t.id for t in out}:
            raise TargetError(str(path), f"targets[{i}] ({target.id}).id", "duplicate target id")
        out.append(target)
    if corpus is not None:
        check_phrases(Path(path), out, Path(corpus))
    return out


def usable_targets(path: Path, ledger: Ledger, scenario: Scenario) -> list[Target]:
    """The targets that can be measured on this scenario (its names, its horizon)."""
    out = []
    for i, item in enumerate(_read(Path(path))):
        try:
            out.append(check_target(path, i, item, ledger, scenario))
        except TargetError:
            continue
    return out


def check_target(path: Path, i: int, item: Any, ledger: Ledger, scenario: Scenario) -> Target:
    """One target checked against the ledger and the scenario (TargetError naming the field)."""
    where = f"targets[{i}]"
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        where += f" ({item['id']})"

    def fail(field: str, message: str) -> TargetError:
        return TargetError(str(path), f"{where}.{field}", message)

    try:
        spec = TargetSpec.model_validate(item)
    except ValidationError as exc:
        err = exc.errors()[0]
        message = err["msg"].removeprefix("Value error, ")
        raise fail(".".join(str(p) for p in err["loc"]) or "<item>", message) from None
    facts = {f.id: f for f in ledger.facts}
    for k, fact_id in enumerate(spec.facts):
        if fact_id not in facts:
            raise fail(f"facts[{k}]", f"unknown fact id '{fact_id}' (see `labelmarket facts`)")
    if spec.series not in SERIES:
        raise fail("series", f"unknown metric '{spec.series}'; allowed: {', '.join(SERIES)}")
    problem = check_args(spec.series, spec.args, scenario)
    if problem:
        raise fail("args", problem)
    months = {
        name: _months(getattr(spec, name), scenario, fail, name) for name in ("window", "baseline")
    }
    if (spec.statistic == "ratio") != (spec.baseline is not None):
        raise fail("baseline", "a baseline is needed by, and only by, statistic 'ratio'")
    observed = spec.observed
    if observed is None:
        observed = next((facts[f].value for f in spec.facts if facts[f].value is not None), None)
        if observed is None:
            raise fail("observed", "no value given and none of its facts has one")
    if spec.relation == "approx" and observed <= 0:
        raise fail("observed", "an 'approx' target needs a positive observed value")
    if spec.relation != "approx" and observed == 0:
        raise fail("observed", "a bound must be non-zero (use a ratio with bound 1)")
    _check_reading(spec, float(observed), ledger, scenario, fail)
    return Target(spec, float(observed), months["window"], months["baseline"])  # type: ignore[arg-type]


def _check_reading(spec: TargetSpec, observed: float, ledger: Ledger, scenario: Scenario, fail):
    """The evidence cites the facts' own sources; the number is read as it says it is."""
    cited = {s for f in ledger.facts if f.id in spec.facts for s in f.sources}
    for k, e in enumerate(spec.evidence):
        if e.file not in cited:
            allowed = ", ".join(sorted(cited))
            raise fail(
                f"evidence[{k}].file", f"'{e.file}' is not a source of its facts ({allowed})"
            )
    if spec.number == "qualitative" and observed != 1.0:
        raise fail("observed", 'a qualitative reading is a ratio bound of 1 ("falls", "largest")')
    problem = check_alternatives(spec, observed)
    if problem:
        raise fail("alternatives", problem)
    if spec.counterfactual and not any(e.type == "investment" for e in scenario.events):
        raise fail(
            "counterfactual", f"scenario '{scenario.name}' has no stake (investment) to remove"
        )


def _months(
    pair: tuple[str, str] | None, scenario: Scenario, fail, name: str
) -> tuple[int, int] | None:
    """Month indices of a (first, last) window, checked to be ordered and inside the horizon."""
    if pair is None:
        return None
    horizon = month_index(scenario.start, scenario.end)
    a, b = (month_index(scenario.start, m) for m in pair)
    if not 0 <= a <= b <= horizon:
        raise fail(
            name,
            f"{pair[0]}..{pair[1]} must be ordered and inside {scenario.start}..{scenario.end}",
        )
    return a, b


def last_month(targets: list[Target]) -> int:
    """Months a simulation must cover for every target (the rest need not be simulated)."""
    return 1 + max(max(t.window[1], (t.baseline or (0, 0))[1]) for t in targets)


# --- statistics and distances ----------------------------------------------------------------
def series(target: Target, world: World, history: dict[str, np.ndarray]) -> np.ndarray:
    """The target's monthly series (T, R) in the units its statistic uses."""
    return SERIES[target.spec.series].compute(world, history, target.spec.args)


def _measure(target: Target, world: World, history: dict[str, np.ndarray]) -> np.ndarray:
    """The target's statistic on one world's history: (R,)."""
    x = series(target, world, history)
    a, b = target.window
    if target.spec.statistic == "sum":
        return x[a : b + 1].sum(axis=0)
    value = x[a : b + 1].mean(axis=0)
    if target.spec.statistic == "ratio":
        c, d = target.baseline  # type: ignore[misc]
        value = ratio(value, x[c : d + 1].mean(axis=0))
    return value


def effect_ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """Scenario over the world without the stake; nothing in both reads as no change (1)."""
    safe = np.where(den > 0, den, 1.0)
    return np.where(den > 0, num / safe, np.where(num > 0, np.inf, 1.0))


def statistic(
    target: Target,
    world: World,
    history: dict[str, np.ndarray],
    without: dict[str, np.ndarray] | None = None,
) -> np.ndarray:
    """The target's statistic per replicate: (R,).

    `without` is the history of the same world without the stake, replicate by replicate
    with the same seeds; a target measured against it raises KeyError when it is missing
    (a single run folder cannot measure it).
    """
    how = target.spec.counterfactual
    if how is None:
        return _measure(target, world, history)
    if without is None:
        raise KeyError("the same world without the stake")
    other = _measure(target, world, without)
    if how == "level":
        return other
    mine = _measure(target, world, history)
    return effect_ratio(mine, other) if how == "ratio" else mine - other


def statistics(
    targets: list[Target],
    world: World,
    history: dict[str, np.ndarray],
    without: dict[str, np.ndarray] | None = None,
) -> np.ndarray:
    """Every target's statistic for every replicate: (R, J)."""
    return np.stack([statistic(t, world, history, without) for t in targets], axis=-1)


def needs_without(targets: list[Target]) -> bool:
    """True when some target is measured against the world without the stake."""
    return any(t.spec.counterfactual for t in targets)


def target_distances(stats: np.ndarray, targets: list[Target]) -> np.ndarray:
    """Per-target distances (..., J): 0 when the target holds, 1 at the edge of its tolerance.

    `approx` is measured in log terms (|ln(s / observed)| / ln(1 + tolerance)), bounds as
    the relative excess beyond the bound (tolerance is the relative slack allowed).
    """
    out = np.empty(stats.shape, dtype=float)
    for j, t in enumerate(targets):
        s, obs, tol = stats[..., j], t.observed, t.spec.tolerance
        if t.spec.relation == "approx":
            out[..., j] = np.abs(np.log(np.maximum(s, _TINY) / obs)) / np.log1p(tol)
        elif t.spec.relation == "at_least":
            out[..., j] = np.maximum(0.0, obs - s) / (tol * abs(obs))
        else:
            out[..., j] = np.maximum(0.0, s - obs) / (tol * abs(obs))
    return out


def combined_distance(per_target: np.ndarray) -> np.ndarray:
    """The largest per-target distance (...,): what ABC thresholds (1: every target holds)."""
    return per_target.max(axis=-1)


def without_fact(targets: list[Target], fact_id: str) -> tuple[list[Target], list[Target]]:
    """Split targets into those kept and those resting on `fact_id` (for hold-outs)."""
    held = [t for t in targets if fact_id in t.spec.facts]
    return [t for t in targets if fact_id not in t.spec.facts], held
