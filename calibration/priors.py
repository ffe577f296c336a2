"""Parameters to fit: priors and bounds from parameters.yaml, and how they reach the model.

ABC works in a transformed space z where each prior is simple: z = x for uniform and
normal priors, z = ln x for log-uniform ones (flat in z). Proposals are perturbed in z,
inside the bounds (`calibration.kernel`), and mapped back; `apply` writes a matrix of
parameter sets into one batched world, expanding a `relative` wildcard (`clients.*.budget`
x 1.3) into one column per client so the base scenario's differences between clients
survive.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from itertools import product
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from scipy import stats

from labelmarket.calibration.errors import CalibrationInputError
from labelmarket.model.core.world import World
from labelmarket.model.scenario.files import ScenarioError, read_yaml
from labelmarket.model.scenario.paths import Parameter, ParameterError, locate, with_parameters
from labelmarket.model.scenario.schema import Scenario


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PriorSpec(_Strict):
    """One fitted parameter as written in parameters.yaml."""

    path: str = Field(min_length=1)
    prior: Literal["uniform", "loguniform", "normal"]
    low: float
    high: float
    mean: float | None = None
    sd: float | None = Field(default=None, gt=0)
    relative: bool = False
    why: str = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> PriorSpec:
        if not (math.isfinite(self.low) and math.isfinite(self.high)):
            raise ValueError("low and high must be finite numbers")
        if self.low >= self.high:
            raise ValueError(f"bounds reversed or empty: low {self.low:g} >= high {self.high:g}")
        if self.prior == "loguniform" and self.low <= 0:
            raise ValueError("a loguniform prior needs low > 0")
        if (self.prior == "normal") != (self.mean is not None and self.sd is not None):
            raise ValueError("mean and sd are needed by, and only by, a normal prior")
        return self


class AbcSettings(_Strict):
    """Sequential Monte Carlo settings (population, tolerance schedule, budget)."""

    population: int = Field(default=600, ge=10)
    replicates: int = Field(default=1, ge=1, le=100)
    initial_factor: float = Field(default=5.0, ge=1)
    quantile: float = Field(default=0.5, gt=0, lt=1)
    tolerance: float = Field(default=1.0, gt=0, le=10)
    min_acceptance: float = Field(default=0.03, gt=0, lt=1)
    budget: int = Field(default=1_000_000, ge=100)
    predictive_draws: int = Field(default=400, ge=10)
    quick: dict[str, float] = Field(default_factory=dict)

    def for_run(self, quick: bool, budget: int | None) -> AbcSettings:
        """The settings a run uses: --quick overrides first, then an explicit --budget."""
        data = self.model_dump()
        if quick:
            data.update(self.quick)
        if budget is not None:
            data["budget"] = budget
        data["quick"] = {}
        return AbcSettings.model_validate({k: _int_if_whole(k, v) for k, v in data.items()})


def _int_if_whole(key: str, value: Any) -> Any:
    """YAML gives 150 or 150.0; integer settings must stay integers."""
    ints = {"population", "replicates", "budget", "predictive_draws"}
    return int(value) if key in ints and float(value).is_integer() else value


@dataclass(frozen=True)
class FitParameter:
    """A checked prior plus the model parameters (and base values) it drives."""

    spec: PriorSpec
    targets: tuple[Parameter, ...]
    base: np.ndarray  # base scenario value of each target (factors multiply these)

    @property
    def name(self) -> str:
        """The parameter path, as written in parameters.yaml."""
        return self.spec.path

    @property
    def log(self) -> bool:
        """True when ABC works with ln(value)."""
        return self.spec.prior == "loguniform"

    def z_bounds(self) -> tuple[float, float]:
        """Bounds in the transformed space."""
        lo, hi = self.spec.low, self.spec.high
        return (math.log(lo), math.log(hi)) if self.log else (lo, hi)

    def _normal(self) -> Any:
        s = self.spec
        a, b = (s.low - s.mean) / s.sd, (s.high - s.mean) / s.sd  # type: ignore[operator]
        return stats.truncnorm(a, b, loc=s.mean, scale=s.sd)

    def from_unit(self, u: np.ndarray) -> np.ndarray:
        """Values from uniform [0, 1) numbers (inverse CDF), for space-filling designs."""
        if self.spec.prior == "normal":
            return self._normal().ppf(u)
        lo, hi = self.z_bounds()
        z = lo + u * (hi - lo)
        return np.exp(z) if self.log else z

    def cdf(self, x: np.ndarray) -> np.ndarray:
        """Prior CDF at x (for the posterior-versus-prior KS distance)."""
        if self.spec.prior == "normal":
            return self._normal().cdf(x)
        lo, hi = self.z_bounds()
        z = np.log(np.maximum(x, 1e-300)) if self.log else x
        return np.clip((z - lo) / (hi - lo), 0.0, 1.0)

    def log_density_z(self, z: np.ndarray) -> np.ndarray:
        """Log prior density in z (up to a constant), -inf outside the bounds."""
        lo, hi = self.z_bounds()
        inside = (z >= lo) & (z <= hi)
        if self.spec.prior == "normal":
            s = self.spec
            dens = -0.5 * ((z - s.mean) / s.sd) ** 2  # type: ignore[operator]
        else:
            dens = np.zeros_like(z)
        return np.where(inside, dens, -np.inf)

    def sd_z(self) -> float:
        """Prior standard deviation in z (the yardstick for identifiability)."""
        if self.spec.prior == "normal":
            return float(self._normal().std())
        lo, hi = self.z_bounds()
        return (hi - lo) / math.sqrt(12.0)


@dataclass(frozen=True)
class FitSpec:
    """All fitted parameters, in order, and the ABC settings."""

    parameters: tuple[FitParameter, ...]
    abc: AbcSettings

    @property
    def names(self) -> list[str]:
        """Parameter paths in column order."""
        return [p.name for p in self.parameters]

    def from_unit(self, u: np.ndarray) -> np.ndarray:
        """(N, P) values from (N, P) uniform numbers."""
        return np.column_stack([p.from_unit(u[:, j]) for j, p in enumerate(self.parameters)])

    def to_z(self, theta: np.ndarray) -> np.ndarray:
        """Values to the transformed space."""
        logs = np.array([p.log for p in self.parameters])
        return np.where(logs, np.log(np.maximum(theta, 1e-300)), theta)

    def z_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """(P,) lower and upper bounds in z, which every proposal must respect."""
        lo, hi = zip(*(p.z_bounds() for p in self.parameters), strict=True)
        return np.array(lo), np.array(hi)

    def from_z(self, z: np.ndarray) -> np.ndarray:
        """Transformed space back to values (kept inside the bounds exp(ln x) may round past)."""
        logs = np.array([p.log for p in self.parameters])
        lows = [p.spec.low for p in self.parameters]
        highs = [p.spec.high for p in self.parameters]
        return np.clip(np.where(logs, np.exp(z), z), lows, highs)

    def log_prior_z(self, z: np.ndarray) -> np.ndarray:
        """Joint log prior density in z: (N,)."""
        return sum(p.log_density_z(z[:, j]) for j, p in enumerate(self.parameters))

    def columns(self, theta: np.ndarray) -> tuple[list[Parameter], np.ndarray]:
        """Model parameters and their (N, P') values for N parameter sets (wildcards expanded)."""
        params: list[Parameter] = []
        columns: list[np.ndarray] = []
        for j, p in enumerate(self.parameters):
            for target, base in zip(p.targets, p.base, strict=True):
                params.append(target)
                columns.append(theta[:, j] * base if p.spec.relative else theta[:, j])
        return params, np.column_stack(columns)

    def apply(self, world: World, theta: np.ndarray) -> World:
        """A batched world with one row per parameter set (row of theta)."""
        return with_parameters(world, *self.columns(theta))

    def scenario_values(self, theta: np.ndarray) -> list[tuple[Parameter, float]]:
        """Concrete (parameter, value) pairs one parameter set gives (for calibrated.yaml)."""
        out = []
        for j, p in enumerate(self.parameters):
            for target, base in zip(p.targets, p.base, strict=True):
                out.append((target, float(theta[j] * base if p.spec.relative else theta[j])))
        return out


def _expand(param: Parameter, world: World) -> tuple[tuple[Parameter, ...], np.ndarray]:
    """One concrete parameter per entity and tier a wildcard covers, with its base value."""
    if param.scope == "market":
        return (param,), np.array([float(world.values[param.field])])
    array = np.asarray(world.values[param.field], dtype=float)
    ranges = [
        range(array.shape[k]) if isinstance(i, slice) else [i] for k, i in enumerate(param.index)
    ]
    out, base = [], []
    for index in product(*ranges):
        out.append(replace(param, index=tuple(index)))
        base.append(array[index])
    return tuple(out), np.array(base)


def load_fit_spec(path: Path, scenario: Scenario, world: World) -> FitSpec:
    """Read parameters.yaml and check every path and bound against the scenario."""
    path = Path(path)

    def fail(field: str, message: str) -> CalibrationInputError:
        return CalibrationInputError(str(path), field, message)

    try:
        raw = read_yaml(path)
    except ScenarioError as exc:
        raise fail("<file>", exc.problems[0].message) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("parameters"), list):
        raise fail("parameters", "expected a non-empty list under 'parameters:'")
    if set(raw) - {"abc", "parameters"}:
        raise fail(
            sorted(set(raw) - {"abc", "parameters"})[0], "unknown key (allowed: abc, parameters)"
        )
    try:
        abc = AbcSettings.model_validate(raw.get("abc") or {})
        abc.for_run(True, None)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise fail("abc." + ".".join(str(p) for p in err["loc"]), err["msg"]) from None
    out: list[FitParameter] = []
    for i, item in enumerate(raw["parameters"]):
        where = f"parameters[{i}]"
        try:
            spec = PriorSpec.model_validate(item)
        except ValidationError as exc:
            err = exc.errors()[0]
            msg = err["msg"].removeprefix("Value error, ")
            field = ".".join(str(p) for p in err["loc"]) or ("prior" if "mean" in msg else "low")
            raise fail(f"{where}.{field}", msg) from None
        if spec.path in {p.name for p in out}:
            raise fail(f"{where}.path", f"'{spec.path}' is listed twice")
        try:
            resolved = locate(scenario, spec.path)
        except ParameterError as exc:
            raise fail(f"{where}.path", str(exc)) from None
        targets, base = _expand(resolved, world)
        lows, highs = (
            (spec.low * base, spec.high * base) if spec.relative else (spec.low, spec.high)
        )
        if np.min(lows) < resolved.low or np.max(highs) > resolved.high:
            what = "factor bounds times the base values" if spec.relative else "bounds"
            allowed = f"[{resolved.low:g}, {resolved.high:g}]"
            raise fail(f"{where}.high", f"{what} leave the allowed range {allowed} of {spec.path}")
        out.append(FitParameter(spec, targets, base))
    if not out:
        raise fail("parameters", "expected at least one parameter")
    return FitSpec(tuple(out), abc)
