"""Calibration targets: corpus facts turned into numbers measured on the model's output.

A target names a monthly series of the model (`spend` of one client at one vendor,
`workforce` of a vendor, ...), reduces it over a window of months (`sum`, `mean`, or
`ratio` = mean over the window / mean over a baseline window), and compares it with the
facts it rests on: about equal (`approx`, in log terms), `at_least` or `at_most` a bound.
Qualitative facts ("falls", "rises") become bounds on a ratio, so nothing is dropped.

Each target's distance is 0 when it holds exactly and 1 at the edge of its tolerance;
ABC combines them into one weighted distance per simulation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from labelmarket.calibration.errors import CalibrationInputError
from labelmarket.calibration.facts import Ledger
from labelmarket.model.core.world import World
from labelmarket.model.scenario.fields import YEAR_MONTH, month_index
from labelmarket.model.scenario.schema import Scenario

_TINY = 1e-12


TargetError = CalibrationInputError


def _month_text(value: Any) -> Any:
    """YAML may read 2025-06 as text and 2025-06-01 as a date; keep months as text."""
    return value.strftime("%Y-%m") if hasattr(value, "strftime") else value


class TargetSpec(BaseModel):
    """One target as written in targets.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    description: str = Field(min_length=1)
    facts: list[str] = Field(min_length=1)
    series: str
    args: dict[str, str] = Field(default_factory=dict)
    statistic: Literal["sum", "mean", "ratio"]
    window: tuple[str, str]
    baseline: tuple[str, str] | None = None
    relation: Literal["approx", "at_least", "at_most"]
    observed: float | None = None
    tolerance: float = Field(gt=0, le=10)
    weight: float = Field(default=1.0, gt=0, le=100)
    unit: str = ""

    @field_validator("window", "baseline", mode="before")
    @classmethod
    def _months(cls, v: Any) -> Any:
        if isinstance(v, list | tuple):
            v = [_month_text(x) for x in v]
            if len(v) == 1:
                v = [v[0], v[0]]
            for x in v:
                if not isinstance(x, str) or not re.match(YEAR_MONTH, x):
                    raise ValueError("months must be YYYY-MM")
        return v


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

    def describe_observed(self) -> str:
        """The observed value as a reader should see it: `~2e+08`, `>= 1e+05`, `<= 0.5`."""
        sign = {"approx": "~", "at_least": ">=", "at_most": "<="}[self.spec.relation]
        return f"{sign} {self.observed:.4g}"


# --- monthly series --------------------------------------------------------------------------
# Each series takes (world, history, args) and returns a (T, R) array.
Series = Callable[[World, dict[str, np.ndarray], dict[str, str]], np.ndarray]


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den with 0/0 read as 0 (a client that buys nothing sends nothing anywhere)."""
    return np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)


def _vendors(world: World, args: dict[str, str]) -> np.ndarray:
    """Vendor mask from `vendor: NAME` or `group: crowd|expert`."""
    if "vendor" in args:
        return np.array([v == args["vendor"] for v in world.vendors])
    return world.of_model(args["group"])


def _tiers(args: dict[str, str]) -> slice:
    """Tier slice from `tier: generalist|expert` (both when absent)."""
    return {"generalist": slice(0, 1), "expert": slice(1, 2)}.get(args.get("tier", ""), slice(None))


def _spend(world: World, h: dict[str, np.ndarray], a: dict[str, str]) -> np.ndarray:
    c = world.clients.index(a["client"])
    return h["spend"][:, :, c][:, :, _vendors(world, a)][..., _tiers(a)].sum(axis=(2, 3))


def _client_lead(world: World, h: dict[str, np.ndarray], a: dict[str, str]) -> np.ndarray:
    c, v = world.clients.index(a["client"]), world.vendors.index(a["vendor"])
    at_vendor = h["spend"][:, :, :, v].sum(-1)  # (T, R, C)
    others = np.delete(at_vendor, c, axis=2).max(axis=2)
    return _ratio(at_vendor[:, :, c], others)


def _group_share(world: World, h: dict[str, np.ndarray], a: dict[str, str]) -> np.ndarray:
    c = world.clients.index(a["client"])
    spend = h["spend"][:, :, c][..., _tiers(a)].sum(-1)  # (T, R, V)
    return _ratio(spend[..., _vendors(world, a)].sum(-1), spend.sum(-1))


def _vendor_metric(key: str) -> Series:
    def series(world: World, h: dict[str, np.ndarray], a: dict[str, str]) -> np.ndarray:
        x = h[key][:, :, _vendors(world, a)]
        return x[..., _tiers(a)].sum(axis=(2, 3)) if x.ndim == 4 else x.sum(axis=2)

    return series


def _layoff_share(world: World, h: dict[str, np.ndarray], a: dict[str, str]) -> np.ndarray:
    mask = _vendors(world, a)
    laid = h["layoffs"][:, :, mask].sum(axis=(2, 3))
    return _ratio(laid, h["workforce"][:, :, mask].sum(axis=(2, 3)))


def _expert_budget_share(world: World, h: dict[str, np.ndarray], a: dict[str, str]) -> np.ndarray:
    who = world.is_lab if a["segment"] == "lab" else ~world.is_lab
    budget = h["budget"][:, :, who].sum(axis=2)  # (T, R, 2)
    return _ratio(budget[..., 1], budget.sum(-1))


@dataclass(frozen=True)
class SeriesInfo:
    """A named monthly series, the arguments it needs and its unit."""

    compute: Series
    needs: tuple[frozenset[str], ...]  # alternatives: one of these key sets exactly
    optional: frozenset[str]
    unit: str
    meaning: str


_V = (frozenset({"vendor"}), frozenset({"group"}))
SERIES: dict[str, SeriesInfo] = {
    "spend": SeriesInfo(
        _spend,
        (frozenset({"client", "vendor"}), frozenset({"client", "group"})),
        frozenset({"tier"}),
        "$/month",
        "a client's spend at a vendor (or a group of vendors)",
    ),
    "client_lead": SeriesInfo(
        _client_lead,
        (frozenset({"client", "vendor"}),),
        frozenset(),
        "x",
        "a client's spend at a vendor over the next-largest client's",
    ),
    "group_share": SeriesInfo(
        _group_share,
        (frozenset({"client", "group"}), frozenset({"client", "vendor"})),
        frozenset({"tier"}),
        "share",
        "share of a client's (tier) spend going to a vendor or a group of vendors",
    ),
    "workforce": SeriesInfo(
        _vendor_metric("workforce"), _V, frozenset({"tier"}), "workers", "workers"
    ),
    "revenue": SeriesInfo(_vendor_metric("revenue"), _V, frozenset(), "$/month", "revenue"),
    "valuation": SeriesInfo(_vendor_metric("valuation"), _V, frozenset(), "$", "valuation"),
    "layoff_share": SeriesInfo(
        _layoff_share, _V, frozenset(), "share/month", "workers laid off over the workforce"
    ),
    "expert_budget_share": SeriesInfo(
        _expert_budget_share,
        (frozenset({"segment"}),),
        frozenset(),
        "share",
        "expert-tier share of a segment's budgets",
    ),
}


# --- loading and checking ----------------------------------------------------------------------
def _check_args(spec: TargetSpec, scenario: Scenario) -> str | None:
    """Why the series arguments are wrong for this scenario, or None."""
    info = SERIES[spec.series]
    keys = set(spec.args) - info.optional
    if not any(keys == need for need in info.needs):
        want = " or ".join("{" + ", ".join(sorted(n)) + "}" for n in info.needs)
        return f"series '{spec.series}' needs arguments {want}, got {sorted(spec.args)}"
    allowed = {
        "client": [c.name for c in scenario.clients],
        "vendor": [v.name for v in scenario.vendors],
        "group": ["crowd", "expert"],
        "tier": ["generalist", "expert"],
        "segment": ["lab", "enterprise"],
    }
    for key, value in spec.args.items():
        if value not in allowed[key]:
            return f"{key} '{value}' is not one of: {', '.join(allowed[key])}"
    return None


def _read(path: Path) -> list[Any]:
    """The `targets:` list of a YAML file (duplicate keys refused)."""
    from labelmarket.model.scenario.files import ScenarioError, read_yaml

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


def load_targets(path: Path, ledger: Ledger, scenario: Scenario) -> list[Target]:
    """Read and check every target against the ledger and the scenario's names and horizon."""
    items = _read(Path(path))
    facts = {f.id: f for f in ledger.facts}
    horizon = month_index(scenario.start, scenario.end)
    out: list[Target] = []
    for i, item in enumerate(items):
        where = f"targets[{i}]"
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            where += f" ({item['id']})"

        def fail(field: str, message: str, where: str = where) -> TargetError:
            return TargetError(str(path), f"{where}.{field}", message)

        try:
            spec = TargetSpec.model_validate(item)
        except ValidationError as exc:
            err = exc.errors()[0]
            raise fail(".".join(str(p) for p in err["loc"]) or "<item>", err["msg"]) from None
        for k, fact_id in enumerate(spec.facts):
            if fact_id not in facts:
                raise fail(f"facts[{k}]", f"unknown fact id '{fact_id}' (see `labelmarket facts`)")
        if spec.series not in SERIES:
            raise fail("series", f"unknown metric '{spec.series}'; allowed: {', '.join(SERIES)}")
        problem = _check_args(spec, scenario)
        if problem:
            raise fail("args", problem)
        months: dict[str, tuple[int, int] | None] = {"baseline": None}
        for name in ("window", "baseline"):
            pair = getattr(spec, name)
            if pair is None:
                continue
            a, b = (month_index(scenario.start, m) for m in pair)
            if not 0 <= a <= b <= horizon:
                inside = f"{scenario.start}..{scenario.end}"
                msg = f"{pair[0]}..{pair[1]} must be ordered and inside {inside}"
                raise fail(name, msg)
            months[name] = (a, b)
        if (spec.statistic == "ratio") != (spec.baseline is not None):
            raise fail("baseline", "a baseline is needed by, and only by, statistic 'ratio'")
        observed = spec.observed
        if observed is None:
            observed = next(
                (facts[f].value for f in spec.facts if facts[f].value is not None), None
            )
            if observed is None:
                raise fail("observed", "no value given and none of its facts has one")
        if spec.relation == "approx" and observed <= 0:
            raise fail("observed", "an 'approx' target needs a positive observed value")
        if spec.relation != "approx" and observed == 0:
            raise fail("observed", "a bound must be non-zero (use a ratio with bound 1)")
        if spec.id in {t.id for t in out}:
            raise fail("id", f"duplicate target id '{spec.id}'")
        out.append(Target(spec, float(observed), months["window"], months["baseline"]))  # type: ignore[arg-type]
    return out


def last_month(targets: list[Target]) -> int:
    """Months a simulation must cover for every target (the rest need not be simulated)."""
    return 1 + max(max(t.window[1], (t.baseline or (0, 0))[1]) for t in targets)


# --- statistics and distances ----------------------------------------------------------------
def series(target: Target, world: World, history: dict[str, np.ndarray]) -> np.ndarray:
    """The target's monthly series (T, R) in the units its statistic uses."""
    return SERIES[target.spec.series].compute(world, history, target.spec.args)


def statistic(target: Target, world: World, history: dict[str, np.ndarray]) -> np.ndarray:
    """The target's statistic per replicate: (R,)."""
    x = series(target, world, history)
    a, b = target.window
    if target.spec.statistic == "sum":
        return x[a : b + 1].sum(axis=0)
    value = x[a : b + 1].mean(axis=0)
    if target.spec.statistic == "ratio":
        c, d = target.baseline  # type: ignore[misc]
        value = _ratio(value, x[c : d + 1].mean(axis=0))
    return value


def statistics(targets: list[Target], world: World, history: dict[str, np.ndarray]) -> np.ndarray:
    """Every target's statistic for every replicate: (R, J)."""
    return np.stack([statistic(t, world, history) for t in targets], axis=-1)


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


def combined_distance(per_target: np.ndarray, targets: list[Target]) -> np.ndarray:
    """Weighted root-mean-square of per-target distances (...,): what ABC thresholds."""
    w = np.array([t.spec.weight for t in targets])
    return np.sqrt((per_target**2 * w).sum(axis=-1) / w.sum())


def without_fact(targets: list[Target], fact_id: str) -> tuple[list[Target], list[Target]]:
    """Split targets into those kept and those resting on `fact_id` (for hold-outs)."""
    held = [t for t in targets if fact_id in t.spec.facts]
    return [t for t in targets if fact_id not in t.spec.facts], held
