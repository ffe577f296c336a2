"""A posterior sample, and runs whose replicates each draw their parameters from it.

`labelmarket calibrate` writes the posterior as a small Parquet file: one row per particle
(its weight and the fitted values, named as in calibration/parameters.yaml, a relative one
as its factor) and, in the file's metadata, how each fitted value reaches the scenario (the
concrete parameter paths and the base values a factor multiplies). A run with
`--posterior` gives replicate i the particle its own seed picks (weighted, by a hash of the
seed), so a replicate keeps its draw whatever the chunking, the workers or the number of
replicates, and two scenarios run with the same seed and sample pair replicate by replicate
on both the random numbers and the parameters. A value the scenario itself sets to
something other than the fit's base or the posterior median is the scenario's point and is
kept (the manifest lists it).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from labelmarket import bundled
from labelmarket.errors import InputError
from labelmarket.model.core.world import World
from labelmarket.model.scenario.paths import Parameter, ParameterError, locate, with_parameters
from labelmarket.model.scenario.schema import Scenario

SUFFIX = ".posterior.parquet"
"""A scenario's own sample sits beside it: calibrated.yaml, calibrated.posterior.parquet."""
META_KEY = b"labelmarket.posterior"
DRAW_KEY = np.uint64(0x5EED_0F_D2A5)  # mixed into replicate seeds: draws apart from the run's
COLUMN = "posterior[{}]"
"""How summary.csv names a replicate's fitted value."""


class PosteriorError(InputError):
    """A posterior sample that cannot be read or does not fit the scenario."""


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser: a uint64 hash (array arithmetic wraps, as it should here)."""
    z = x + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


@dataclass(frozen=True)
class PosteriorSample:
    """Weighted particles of the fitted parameters, and how they reach a scenario."""

    path: Path
    sha256: str
    theta: np.ndarray  # (N, P) fitted values (relative ones as factors)
    weights: np.ndarray  # (N,) normalised
    layout: list[dict[str, Any]]  # per fitted value: name, relative, columns [[path, base]]
    info: dict[str, Any]  # what the fit ran on (base scenario, seed, simulations)

    @property
    def names(self) -> list[str]:
        """Fitted parameter names, in column order."""
        return [p["name"] for p in self.layout]

    def draws(self, seeds: np.ndarray) -> np.ndarray:
        """The particle each replicate seed draws (weighted): (R,) ints."""
        seeds = np.asarray(seeds, dtype=np.uint64)
        u = (_mix(seeds ^ DRAW_KEY) >> np.uint64(11)).astype(np.float64) * 2.0**-53
        cumulative = np.cumsum(self.weights)
        picks = np.searchsorted(cumulative / cumulative[-1], u, side="right")
        return np.minimum(picks, len(self.weights) - 1)

    def concrete(self, rows: np.ndarray) -> tuple[list[str], np.ndarray]:
        """Scenario paths and their values (R, P') for particles `rows` (later paths win)."""
        paths, columns = [], []
        for j, p in enumerate(self.layout):
            for path, base in p["columns"]:
                paths.append(path)
                columns.append(self.theta[rows, j] * (base if p["relative"] else 1.0))
        return paths, np.column_stack(columns)

    def summary_columns(self, seeds: np.ndarray) -> pd.DataFrame:
        """A replicate's draw and fitted values, for summary.csv (one row per seed)."""
        draws = self.draws(seeds)
        data = {"draw": draws}
        data |= {COLUMN.format(n): self.theta[draws, j] for j, n in enumerate(self.names)}
        return pd.DataFrame(data)

    def with_draws(self, summary: pd.DataFrame) -> pd.DataFrame:
        """A summary table with each replicate's draw and fitted values after its seed."""
        extra = self.summary_columns(summary["seed"].to_numpy(dtype=np.uint64))
        at = list(summary.columns).index("seed") + 1
        parts = [summary.iloc[:, :at], extra.set_index(summary.index), summary.iloc[:, at:]]
        return pd.concat(parts, axis=1)

    def medians(self) -> dict[str, float]:
        """Weighted median of every concrete value (what calibrated.yaml holds)."""
        paths, values = self.concrete(np.arange(len(self.weights)))
        order = np.argsort(values, axis=0)
        cum = np.cumsum(self.weights[order], axis=0)
        at = np.argmax(cum >= 0.5 * cum[-1], axis=0)
        return dict(
            zip(paths, values[order[at, range(len(paths))], range(len(paths))], strict=True)
        )


def read_sample(path: Path) -> PosteriorSample:
    """Read a sample written by `write_sample` (PosteriorError naming the file otherwise)."""

    path = Path(path)
    try:
        table = pq.read_table(path)
        layout = json.loads(table.schema.metadata[META_KEY])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PosteriorError(f"{path}: not a posterior sample written by `labelmarket "
                             f"calibrate` ({type(exc).__name__}: {exc})") from None  # fmt: skip
    frame = table.to_pandas()
    names = [p["name"] for p in layout["parameters"]]
    missing = [n for n in ["weight", *names] if n not in frame]
    if missing:
        raise PosteriorError(f"{path}: column '{missing[0]}' is missing")
    weights = frame["weight"].to_numpy(dtype=float)
    if (
        not len(weights)
        or not np.isfinite(weights).all()
        or (weights < 0).any()
        or weights.sum() <= 0
    ):
        raise PosteriorError(f"{path}: weights must be finite, non-negative, not all zero")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    theta = frame[names].to_numpy(dtype=float)
    return PosteriorSample(
        path, digest, theta, weights / weights.sum(), layout["parameters"], layout.get("info", {})
    )


def write_sample(
    path: Path, layout: list[dict[str, Any]], theta: np.ndarray, weights: np.ndarray, info: dict
) -> Path:
    """Write particles and their layout as one Parquet file (through a temporary file)."""

    frame = pd.DataFrame(theta, columns=[p["name"] for p in layout])
    frame.insert(0, "weight", np.asarray(weights, dtype=float))
    table = pa.Table.from_pandas(frame, preserve_index=False)
    meta = json.dumps({"parameters": layout, "info": info}, default=str).encode()
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), META_KEY: meta})
    temporary = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, temporary)
    temporary.replace(path)
    return path


@dataclass(frozen=True)
class Ensemble:
    """A run's parameter draws: the sample, each replicate's particle, what was kept."""

    sample: PosteriorSample
    draws: np.ndarray  # (R,) particle per replicate
    kept: dict[str, float]  # scenario values that stay the scenario's own

    def manifest(self) -> dict[str, Any]:
        """What the manifest records of the draws."""
        return {
            "file": str(self.sample.path),
            "sha256": self.sample.sha256,
            "particles": len(self.sample.weights),
            "effective_sample_size": round(float(1.0 / np.sum(self.sample.weights**2)), 1),
            "parameters": self.sample.names,
            "draws": [int(d) for d in self.draws],
            "kept_scenario_values": self.kept,
            "fit": self.sample.info,
        }


@dataclass(frozen=True)
class Placement:
    """Which of a sample's concrete values reach a scenario, and which the scenario keeps."""

    params: list[Parameter]
    columns: list[int]  # positions in `PosteriorSample.concrete`'s columns
    kept: dict[str, float]  # scenario values that stay the scenario's own


def place(sample: PosteriorSample, scenario: Scenario, world: World) -> Placement:
    """Resolve the sample's paths in this scenario (PosteriorError when one is missing)."""
    paths = [path for p in sample.layout for path, _ in p["columns"]]
    medians = sample.medians()
    bases = {path: base for p in sample.layout for path, base in p["columns"]}
    params, columns, kept = [], [], {}
    for k, path in enumerate(paths):
        try:
            param = locate(scenario, path)
        except ParameterError as exc:
            message = f"{sample.path}: {exc} (the sample does not fit this scenario)"
            raise PosteriorError(message) from None
        now = float(np.asarray(world.values[param.field], dtype=float)[param.index])
        if not (_close(now, bases[path], 1e-9) or _close(now, medians[path], 1e-3)):
            kept[path] = now  # the scenario's (or an override's) own value
            continue
        params.append(param)
        columns.append(k)
    return Placement(params, columns, kept)


def drawn_world(
    sample: PosteriorSample, placement: Placement, world: World, seeds: np.ndarray
) -> World:
    """A batched world whose replicate i has the parameters seed i draws."""
    _, values = sample.concrete(sample.draws(seeds))
    return with_parameters(world, placement.params, values[:, placement.columns])


def drawn_for(
    sample: PosteriorSample | None,
    placements: tuple[Placement, ...],
    which: int,
    world: World,
    seeds: np.ndarray,
) -> World:
    """`world` as it is without a sample, else drawn with placement `which` (a sweep's
    scenario 0 or baseline 1)."""
    return world if sample is None else drawn_world(sample, placements[which], world, seeds)


def apply_sample(
    sample: PosteriorSample, scenario: Scenario, world: World, seeds: np.ndarray
) -> tuple[World, Ensemble]:
    """A batched world whose replicate i has the parameters its seed draws, and the draws."""
    placement = place(sample, scenario, world)
    batched = drawn_world(sample, placement, world, seeds)
    return batched, Ensemble(sample, sample.draws(seeds), placement.kept)


def _close(a: float, b: float, rel: float) -> bool:
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-300)


def interval_kind(ensemble: Ensemble | None) -> str:
    """The sentence a manifest (and the report) gives for the intervals it shows."""
    if ensemble is None:
        return ("5-95% ranges across replicates: random draws only (every replicate runs the "
                "scenario's own parameter values)")  # fmt: skip
    name = ensemble.sample.path.name
    return (f"5-95% ranges across replicates: parameter and random uncertainty (each replicate "
            f"draws its parameters from the posterior sample {name})")  # fmt: skip


def find_sample(scenario_file: Path, given: str | Path | bool) -> Path:
    """The sample `--posterior [WHERE]` names: WHERE (a sample file, or a folder holding one
    *.posterior.parquet, as `labelmarket calibrate` writes); without WHERE, the sample beside
    the scenario file, else the bundled calibrated scenario's."""

    if given is True or given == "":
        beside = Path(scenario_file).with_name(Path(scenario_file).stem + SUFFIX)
        default = bundled.scenarios_dir() / f"calibrated{SUFFIX}"
        found = beside if beside.is_file() else default
        if not found.is_file():
            raise PosteriorError(f"no posterior sample beside {scenario_file} nor at {default}")
        return found
    where = Path(str(given))
    if where.is_dir():
        inside = sorted(where.glob(f"*{SUFFIX}"))
        if len(inside) != 1:
            raise PosteriorError(
                f"`posterior=` {where}: expected one *{SUFFIX} file in the folder (a "
                f"`labelmarket calibrate` output), found {len(inside)}"
            )
        return inside[0]
    if not where.is_file():
        raise PosteriorError(f"`posterior=` {where}: no such file or folder")
    return where
