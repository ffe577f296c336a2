"""Named parameters of a compiled world, settable per replicate (sweeps, calibration).

A path names one number of the scenario, the way `--set` does:
`market.founder_exposure`, `clients.Google.conflict_sensitivity`,
`vendors.Scale AI.quality.expert`. A `*` in place of a name (or a tier) sets that field
for every client or vendor (or both tiers) at once: `clients.*.contract_renewal`. Paths come from
the parameter declarations (`model.core.parameters`) and resolve to array positions once,
so setting thousands of replicates' values costs one assignment per parameter, not one
scenario validation per run.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from labelmarket.errors import InputError
from labelmarket.model.core.parameters import BY_NAME, Declared, in_scope
from labelmarket.model.core.world import TIERS, World
from labelmarket.model.scenario.problems import did_you_mean
from labelmarket.model.scenario.schema import Scenario

GROUPS = {"vendors": ("vendor", "tier"), "clients": ("client",)}
"""Scenario list -> the scopes of the parameters its items hold."""


class ParameterError(InputError):
    """A parameter path or value the scenario does not allow (with the nearest valid path)."""


@dataclass(frozen=True)
class Parameter:
    """One settable number: where it lives in the world and what values the schema allows."""

    path: str
    declared: Declared
    index: tuple  # position in the un-batched array (ints or slice(None) for `*`)

    @property
    def field(self) -> str:
        """Name of the World value it sets."""
        return self.declared.name

    @property
    def scope(self) -> str:
        """Where the value lives: market, vendor, tier or client."""
        return self.declared.scope

    @property
    def low(self) -> float:
        """Smallest allowed value (inclusive)."""
        return self.declared.bounds[0]

    @property
    def high(self) -> float:
        """Largest allowed value (inclusive)."""
        return self.declared.bounds[1]

    @property
    def unit(self) -> str:
        """Unit of the value."""
        return self.declared.unit

    @property
    def description(self) -> str:
        """What the value means."""
        return self.declared.meaning


def _settable(scope: str, group: str | None = None) -> list[Declared]:
    """Declarations of a scope (and vendor block) that may vary between runs."""
    return [d for d in in_scope(scope, group) if not d.structural]  # type: ignore[arg-type]


def parameter_paths(scenario: Scenario, wildcards: bool = False) -> list[str]:
    """Every settable path of this scenario (or its `*` forms), for listings and hints."""
    market = _settable("market")
    paths = [f"market.{d.name}" for d in market if not d.tiered]
    paths += [f"market.{d.name}.{t}" for d in market if d.tiered for t in TIERS]
    for group in GROUPS:
        names = ["*"] if wildcards else [e.name for e in getattr(scenario, group)]
        for name in names:
            paths += [f"{group}.{name}.{d.name}" for d in _settable(GROUPS[group][0])]
            if group == "vendors":
                paths += [f"vendors.{name}.{d.name}.{t}" for d in _settable("tier") for t in TIERS]
                paths += [
                    f"vendors.{name}.strategy.{d.name}" for d in _settable("vendor", "strategy")
                ]
    return paths


def _unknown(path: str, scenario: Scenario) -> ParameterError:
    """An error naming the nearest valid path (a wildcard form for a wildcard path)."""
    hint = did_you_mean(path, parameter_paths(scenario, ".*." in path), cutoff=0.6)
    return ParameterError(f"unknown parameter '{path}'{hint} (see `labelmarket params`)")


def locate(scenario: Scenario, path: str) -> Parameter:
    """Turn a path into a Parameter of this scenario, or raise ParameterError."""
    parts = path.split(".")
    if parts[0] == "market" and len(parts) in (2, 3) and parts[1] in BY_NAME:
        d = BY_NAME[parts[1]]
        if d.scope == "market" and d.structural:
            raise ParameterError(f"'{path}' shapes the computation and cannot vary per run")
        if d.scope == "market" and not d.tiered and len(parts) == 2:
            return Parameter(path, d, ())
        if d.scope == "market" and d.tiered and len(parts) == 3 and parts[2] in (*TIERS, "*"):
            return Parameter(path, d, (slice(None) if parts[2] == "*" else TIERS.index(parts[2]),))
    if parts[0] in GROUPS and len(parts) >= 3:
        names = [e.name for e in getattr(scenario, parts[0])]
        # entity names may contain dots: the field is what follows the longest matching name
        for cut in range(len(parts) - 1, 1, -1):
            name, rest = ".".join(parts[1:cut]), parts[cut:]
            if name == "*" or name in names:
                break
        else:
            raise _unknown(path, scenario)
        who = slice(None) if name == "*" else names.index(name)
        if parts[0] == "vendors" and len(rest) == 2 and rest[0] == "strategy":
            d = BY_NAME.get(rest[1])
            if d is not None and d.group == "strategy":
                return Parameter(path, d, (who,))
        d = BY_NAME.get(rest[0])
        if d is not None and d.group is None and d.scope in GROUPS[parts[0]] and not d.structural:
            if d.scope != "tier" and len(rest) == 1:
                return Parameter(path, d, (who,))
            if d.scope == "tier" and len(rest) == 2 and rest[1] in (*TIERS, "*"):
                tier = slice(None) if rest[1] == "*" else TIERS.index(rest[1])
                return Parameter(path, d, (who, tier))
    raise _unknown(path, scenario)


def with_parameters(world: World, params: list[Parameter], values: np.ndarray) -> World:
    """A batched world, one replicate per row of `values` (R, P), with those values set."""
    values = np.asarray(values, dtype=float)
    if values.ndim != 2 or values.shape[1] != len(params):
        raise ValueError(f"values must be (replicates, {len(params)}), got {values.shape}")
    for p, column in zip(params, values.T, strict=True):
        bad = (column < p.low) | (column > p.high) | ~np.isfinite(column)
        if bad.any():
            allowed = f"[{p.low:g}, {p.high:g}]"
            raise ParameterError(f"{p.path} = {column[bad][0]:g} is outside the allowed {allowed}")
    batched = world.batched(len(values))
    arrays: dict[str, np.ndarray] = {}
    for p, column in zip(params, values.T, strict=True):
        if p.scope == "market" and not p.declared.tiered:
            arrays[p.field] = column.copy()
            continue
        if p.field not in arrays:
            arrays[p.field] = np.array(batched.values[p.field], dtype=float)
        target = arrays[p.field][(slice(None), *p.index)]
        target[...] = column.reshape((-1,) + (1,) * (target.ndim - 1))
    return replace(batched, values={**batched.values, **arrays})
