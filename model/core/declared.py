"""What a declared parameter is: where it lives, its unit and meaning, default and range.

Every number of a world is declared once, as an annotated attribute of a class of its
scope: the world's own parameters in `model.core.parameters`, each vendor strategy's in
its policy module (`model.core.strategies`). A declaration reads

    observation_noise: Annotated[float, param(0.08, "quality (0-1)", "Std. dev. ...", ge=0.01)]

From these the compiled world is built as numpy record arrays whose fields are the
declared names (`record_dtype`), so a rule reads `market[r].observation_noise` (a typo
fails when the rules are compiled, before anything runs), and the schema, `labelmarket
params` and the parameter paths of sweeps and calibration derive from the same lines.
"""

from __future__ import annotations

import math
import typing
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

Scope = Literal["market", "vendor", "tier", "client"]
BASE_NDIM: dict[str, int] = {"market": 0, "vendor": 1, "tier": 2, "client": 1}
"""Number of axes of each scope's array before batching (tier: vendor x tier)."""

TIERED = (np.float64, (2,))
"""A field holding one value per task tier (generalist, expert)."""


@dataclass(frozen=True)
class Declared:
    """One parameter: where it lives, its unit and meaning, its default and allowed range.

    Bounds read like pydantic's: `ge`/`gt` below, `le`/`lt` above. `required` parameters
    have no default; an optional tier parameter without a value takes its `fallback`'s.
    A parameter in a `group` sits in that block of its vendor in a scenario file
    (`strategy:`), with its default taken from the vendor's business model.
    """

    name: str
    scope: Scope
    unit: str
    meaning: str
    default: float | None = None
    required: bool = False
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None
    integer: bool = False
    structural: bool = False
    fallback: str | None = None
    group: str | None = None
    tiered: bool = False  # a market-wide value per task tier (a labour market's)

    @property
    def per_tier(self) -> bool:
        """Whether the value is a (generalist, expert) pair."""
        return self.scope == "tier" or self.tiered

    @property
    def ndim(self) -> int:
        """Axes of its array before batching."""
        return BASE_NDIM[self.scope] + (1 if self.tiered else 0)

    @property
    def bounds(self) -> tuple[float, float]:
        """Inclusive (low, high) of the allowed range (open bounds nudged inward)."""
        low = -math.inf if self.ge is None else self.ge
        if self.gt is not None:
            low = max(low, math.nextafter(self.gt, math.inf))
        high = math.inf if self.le is None else self.le
        if self.lt is not None:
            high = min(high, math.nextafter(self.lt, -math.inf))
        return low, high


def param(default: float | type(...) | None, unit: str, meaning: str, **limits) -> Declared:
    """A field's declaration (its name and scope come from the record that holds it).

    A default of `...` marks a required parameter.
    """
    required = default is ...
    value = None if required else default
    return Declared("", "market", unit, meaning, value, required, **limits)


def declarations(owner: type, scope: Scope, group: str | None = None) -> tuple[Declared, ...]:
    """The declarations of a class's annotated attributes, in the order written."""
    hints = typing.get_type_hints(owner, include_extras=True)
    return tuple(
        replace(hints[name].__metadata__[0], name=name, scope=scope, group=group)
        for name in owner.__annotations__
    )


def record_dtype(fields: list[tuple]) -> np.dtype:
    """An aligned numpy record type: the compiled rules read its fields by name."""
    return np.dtype(fields, align=True)


def parameter_fields(declared: tuple[Declared, ...]) -> list[tuple]:
    """Record fields of parameters: one float, or one per tier for tier parameters."""
    return [(d.name, *TIERED) if d.per_tier else (d.name, np.float64) for d in declared]


FRACTION = {"ge": 0.0, "le": 1.0}
POSITIVE = {"gt": 0.0}
NON_NEGATIVE = {"ge": 0.0}
