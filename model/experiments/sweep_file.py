"""The sweep file: a base scenario, parameters with ranges or lists, a design and outcomes.

Validated by a strict schema (unknown keys refused) so a typo fails before any run starts.
Paths and names that need the scenario (parameter paths, vendors, years) are checked when
the sweep is planned (`model.sweep.plan_sweep`), still before anything is written.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from labelmarket.errors import InputError
from labelmarket.model.experiments.outcomes import UNITS
from labelmarket.model.scenario.fields import Slug, Strict
from labelmarket.model.scenario.files import ScenarioError, check_looks_like, read_yaml
from labelmarket.model.scenario.problems import MAX_SHOWN, shorten

MAX_RUNS = 10_000_000
"""Largest `max_runs`: ten million runs take about 1.5 hours on 2 cores; results hold a row each."""
MAX_SEED = 2**63 - 1

DESIGNS = ("grid", "lhs", "sobol", "morris")
METRICS = tuple(UNITS)


class SweepError(InputError):
    """A sweep file that cannot be used: one line per problem, naming file and field."""

    heading = "error in sweep file"


class ParameterSpec(Strict):
    """One varied number: a scenario path and either a range or a list of values."""

    path: str = Field(..., min_length=1, description="Parameter path, as in `labelmarket params`.")
    range: tuple[float, float] | None = Field(None, description="[low, high], inclusive.")
    values: list[float] | None = Field(None, min_length=1, description="Explicit values (grid).")
    levels: int | None = Field(None, ge=2, le=1000, description="Grid levels across the range.")
    scale: Literal["linear", "log"] = Field("linear", description="Spacing across the range.")

    @model_validator(mode="after")
    def _one_source(self) -> ParameterSpec:
        """Exactly one of range/values; a range runs from low to high (positive if log)."""
        if (self.range is None) == (self.values is None):
            raise ValueError("give either `range: [low, high]` or `values: [...]`, not both")
        if self.range is not None:
            low, high = self.range
            if low > high:
                raise ValueError(f"range low {low:g} is above high {high:g}")
            if self.scale == "log" and low <= 0:
                raise ValueError(f"a log scale needs a positive range, got low {low:g}")
        if self.values is not None and self.levels is not None:
            raise ValueError("`levels` spaces a range; a list of `values` has its own")
        return self


class OutcomeSpec(Strict):
    """One number summarised per run (see `model.outcomes` for what each metric means)."""

    metric: Literal[METRICS]  # type: ignore[valid-type]
    vendor: str | None = None
    client: str | None = None
    year: int | None = Field(None, ge=1900, le=2200, description="Calendar year (default: end).")
    versus_baseline: bool = Field(False, description="Run minus the baseline run, same seed.")
    name: str | None = Field(None, min_length=1, description="Column name (default: derived).")


class SweepSpec(Strict):
    """A whole sweep file."""

    name: Slug = Field(..., description="Sweep name (the default output runs/sweeps/<name>).")
    description: str = ""
    scenario: str = Field(..., description="Base scenario file, relative to the sweep file.")
    overrides: list[str] = Field(default_factory=list, description="`path=value`, like --set.")
    baseline: str | None = Field(None, description="Scenario for paired `versus_baseline`.")
    parameters: list[ParameterSpec] = Field(..., min_length=1)
    design: Literal[DESIGNS]  # type: ignore[valid-type]
    points: int | None = Field(
        None, ge=1, le=MAX_RUNS, description="lhs: points; sobol: base N; morris: r."
    )
    morris_levels: int = Field(4, ge=2, le=100, description="Morris grid levels (even).")
    replicates: int = Field(1, ge=1, le=100_000)
    seed: int = Field(0, ge=0, le=MAX_SEED)
    common_random_numbers: bool = Field(
        False, description="Replicate r of every point uses one seed: less noise between points."
    )
    max_runs: int = Field(
        100_000, ge=1, le=MAX_RUNS, description="Budget: points x replicates allowed."
    )
    outcomes: list[OutcomeSpec] = Field(..., min_length=1)

    @model_validator(mode="after")
    def _design_fits(self) -> SweepSpec:
        """Each design gets the inputs it needs."""
        ranged = [p.path for p in self.parameters if p.range is None]
        if self.design == "grid":
            if self.points is not None:
                raise ValueError("a grid takes `levels` per parameter, not `points`")
            missing = [p.path for p in self.parameters if p.range is not None and not p.levels]
            if missing:
                raise ValueError(f"grid parameters with a range need `levels`: {missing}")
            return self
        if ranged:
            raise ValueError(f"design '{self.design}' needs a `range` for {ranged}")
        if any(p.levels for p in self.parameters):
            raise ValueError(f"`levels` is for grids; design '{self.design}' uses `points`")
        if self.points is None:
            raise ValueError(f"design '{self.design}' needs `points`")
        if self.design == "sobol" and self.points & (self.points - 1):
            raise ValueError(f"sobol needs `points` a power of 2 (got {self.points})")
        if self.design == "morris" and self.morris_levels % 2:
            raise ValueError(f"morris needs an even `morris_levels` (got {self.morris_levels})")
        if self.design in ("sobol", "morris") and len(self.parameters) < 2:
            raise ValueError(f"design '{self.design}' needs at least 2 parameters")
        return self

    @model_validator(mode="after")
    def _unique(self) -> SweepSpec:
        """A parameter varied twice, or two outcomes with one name, is a mistake."""
        paths = [p.path for p in self.parameters]
        if len(set(paths)) != len(paths):
            raise ValueError(f"a parameter appears twice: {paths}")
        if any(o.versus_baseline for o in self.outcomes) and self.baseline is None:
            raise ValueError("`versus_baseline` outcomes need a `baseline:` scenario")
        return self


def _where(loc: tuple, data: dict) -> str:
    """`parameters[clients.*.contract_renewal].range` from a pydantic location."""
    out, node = "", data
    for part in loc:
        if isinstance(part, int) and isinstance(node, list) and part < len(node):
            node = node[part]
            label = node.get("path") or node.get("name") if isinstance(node, dict) else None
            out += f"[{label}]" if label else f"[{part}]"
        else:
            node = node.get(part) if isinstance(node, dict) else None
            out += f".{part}" if out else str(part)
    return out


def _unknown_field(loc: tuple) -> str:
    """`unknown field; did you mean 'x'? allowed: ...` for the block the key sits in."""

    block = {"parameters": ParameterSpec, "outcomes": OutcomeSpec}.get(loc[0], SweepSpec)
    model = block if len(loc) > 2 else SweepSpec
    allowed = sorted(model.model_fields)
    near = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.5)
    hint = f"; did you mean '{near[0]}'?" if near else ";"
    return f"unknown field{hint} allowed: {', '.join(allowed)}"


def load_sweep(path: Path) -> SweepSpec:
    """Read and validate a sweep file, raising SweepError with every problem found."""

    try:
        data = read_yaml(path, "sweep")
        check_looks_like(path, data, set(SweepSpec.model_fields), "sweep")
    except ScenarioError as exc:
        raise SweepError(str(exc)) from None
    try:
        return SweepSpec.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors(include_url=False)[:MAX_SHOWN]:
            where = shorten(_where(tuple(err["loc"]), data), 120)
            message = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                message = _unknown_field(tuple(err["loc"]))
            lines.append(f"{path}: {where}: {message}" if where else f"{path}: {message}")
        if exc.error_count() > len(lines):
            lines.append(f"... and {exc.error_count() - len(lines):,} more problems")
        raise SweepError("\n".join(lines)) from None
