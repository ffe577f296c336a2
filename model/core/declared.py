"""What a declared parameter is: where it lives, its unit and meaning, default and range.

Every number of a world is one `Declared`: the world's own parameters in
`model.core.parameters`, each vendor strategy's in its policy module
(`model.core.strategies`). The schema, the compiled arrays, `labelmarket params` and the
parameter paths of sweeps and calibration all derive from these declarations.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Scope = Literal["market", "vendor", "tier", "client"]
BASE_NDIM: dict[str, int] = {"market": 0, "vendor": 1, "tier": 2, "client": 1}
"""Number of axes of each scope's array before batching (tier: vendor x tier)."""


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


def declare(scope: Scope, rows: list[tuple], group: str | None = None) -> tuple[Declared, ...]:
    """Declarations of one scope from (name, default, unit, meaning, limits) rows.

    A default of `...` marks a required parameter.
    """
    out = []
    for name, default, unit, meaning, limits in rows:
        required = default is ...
        value = None if required else default
        out.append(Declared(name, scope, unit, meaning, value, required, group=group, **limits))
    return tuple(out)


FRACTION = {"ge": 0.0, "le": 1.0}
POSITIVE = {"gt": 0.0}
NON_NEGATIVE = {"ge": 0.0}
