"""Named parameters of a compiled world, settable per replicate (sweeps, calibration).

A path names one number of the scenario, the way `--set` does:
`market.founder_exposure`, `clients.Google.conflict_sensitivity`,
`vendors.Scale AI.quality.expert`. A `*` in place of a name (or a tier) sets that field
for every client or vendor (or both tiers) at once: `clients.*.inertia`. Paths resolve to
array positions once, so setting thousands of replicates' values costs one assignment per
parameter, not one scenario validation per run.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace

import numpy as np
from labelmarket.model.core.world import STRUCTURAL, TIERS, World
from labelmarket.model.scenario.schema import ClientSpec, MarketParams, Scenario, VendorSpec
from pydantic import BaseModel

PAIR_FIELDS = ("workforce", "hours_per_worker", "wage", "quality", "reputation", "price",
               "hiring_rate", "attrition_rate", "layoff_rate")  # fmt: skip
VENDOR_FIELDS = ("overhead", "cash", "valuation_multiple")
CLIENT_FIELDS = ("budget", "budget_growth", "expert_share", "expert_trend",
                 "quality_sensitivity", "price_sensitivity", "conflict_sensitivity", "inertia",
                 "defection_threshold")  # fmt: skip


class ParameterError(ValueError):
    """A parameter path or value the scenario does not allow (with the nearest valid path)."""


@dataclass(frozen=True)
class Parameter:
    """One settable number: where it lives in the world and what values the schema allows."""

    path: str
    field: str  # World field, or "constants.<name>"
    index: tuple  # position in the un-batched array (ints or slice(None) for `*`)
    low: float  # inclusive bounds allowed by the schema (open bounds nudged inward)
    high: float
    unit: str
    description: str


def _limits(model: type[BaseModel], name: str) -> tuple[float, float, str, str]:
    """(low, high, unit, description) of a schema field, from its pydantic constraints."""
    field = model.model_fields[name]
    low, high = -np.inf, np.inf
    for item in field.metadata:
        if getattr(item, "ge", None) is not None:
            low = max(low, item.ge)
        if getattr(item, "gt", None) is not None:
            low = max(low, np.nextafter(item.gt, np.inf))
        if getattr(item, "le", None) is not None:
            high = min(high, item.le)
        if getattr(item, "lt", None) is not None:
            high = min(high, np.nextafter(item.lt, -np.inf))
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    return float(low), float(high), str(extra.get("unit", "")), field.description or ""


def _pair_limits(name: str) -> tuple[float, float, str, str]:
    """Limits of a (generalist, expert) pair field: the pair model's, with the outer unit."""
    pair = VendorSpec.model_fields[name].annotation
    pair = next(a for a in getattr(pair, "__args__", (pair,)) if isinstance(a, type))
    low, high, _, _ = _limits(pair, "expert")
    _, _, unit, description = _limits(VendorSpec, name)
    return low, high, unit, description


def parameter_paths(scenario: Scenario) -> list[str]:
    """Every settable path of this scenario (without wildcards), for listings and hints."""
    paths = [f"market.{n}" for n in MarketParams.model_fields if n not in STRUCTURAL]
    for v in scenario.vendors:
        paths += [f"vendors.{v.name}.{f}" for f in VENDOR_FIELDS]
        paths += [f"vendors.{v.name}.{f}.{t}" for f in PAIR_FIELDS for t in TIERS]
    for c in scenario.clients:
        paths += [f"clients.{c.name}.{f}" for f in CLIENT_FIELDS]
    return paths


def _unknown(path: str, scenario: Scenario) -> ParameterError:
    """An error naming the nearest valid path."""
    candidates = parameter_paths(scenario)
    if ".*." in path:  # a wildcard path: suggest wildcard forms, not one client's field
        candidates = sorted({".".join([p.split(".")[0], "*", *p.split(".")[2:]]) for p in candidates
                             if not p.startswith("market.")})  # fmt: skip
    near = difflib.get_close_matches(path, candidates, n=1, cutoff=0.6)
    hint = f"; did you mean '{near[0]}'?" if near else ""
    return ParameterError(f"unknown parameter '{path}'{hint} (see `labelmarket params`)")


def resolve(scenario: Scenario, path: str) -> Parameter:
    """Turn a path into a Parameter of this scenario, or raise ParameterError."""
    parts = path.split(".")
    if parts[0] == "market" and len(parts) == 2 and parts[1] in MarketParams.model_fields:
        if parts[1] in STRUCTURAL:
            raise ParameterError(f"'{path}' shapes the computation and cannot vary per run")
        return Parameter(path, f"constants.{parts[1]}", (), *_limits(MarketParams, parts[1]))
    if parts[0] in ("vendors", "clients") and len(parts) >= 3:
        names = [e.name for e in getattr(scenario, parts[0])]
        # entity names may contain dots: the field is what follows the longest matching name
        for cut in range(len(parts) - 1, 1, -1):
            name, rest = ".".join(parts[1:cut]), parts[cut:]
            if name == "*" or name in names:
                break
        else:
            raise _unknown(path, scenario)
        who = slice(None) if name == "*" else names.index(name)
        if parts[0] == "clients" and len(rest) == 1 and rest[0] in CLIENT_FIELDS:
            return Parameter(path, rest[0], (who,), *_limits(ClientSpec, rest[0]))
        if parts[0] == "vendors" and len(rest) == 1 and rest[0] in VENDOR_FIELDS:
            return Parameter(path, rest[0], (who,), *_limits(VendorSpec, rest[0]))
        pair = len(rest) == 2 and rest[0] in PAIR_FIELDS and rest[1] in (*TIERS, "*")
        if parts[0] == "vendors" and pair:
            tier = slice(None) if rest[1] == "*" else TIERS.index(rest[1])
            return Parameter(path, rest[0], (who, tier), *_pair_limits(rest[0]))
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
    constants: dict[str, np.ndarray] = {}
    for p, column in zip(params, values.T, strict=True):
        if p.field.startswith("constants."):
            name = p.field.split(".", 1)[1]
            constants[name] = column.copy()
            continue
        if p.field not in arrays:
            arrays[p.field] = np.array(getattr(batched, p.field), dtype=float)
        target = arrays[p.field][(slice(None), *p.index)]
        target[...] = column.reshape((-1,) + (1,) * (target.ndim - 1))
    if constants:
        arrays["constants"] = replace(batched.constants, **constants)
    return replace(batched, **arrays)
