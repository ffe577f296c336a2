"""Every number of a world, declared once: where it lives, its unit, default, range, meaning.

Each scope is a class whose annotated attributes are its parameters (see
`model.core.declared`): `MarketParameters` (one number per replicate, `market.py`),
`TierParameters` (per vendor and task tier) and `VendorParameters` (per vendor,
`vendor.py`), `ClientParameters` (per client, `client.py`); each vendor strategy declares
its own in its policy module. The scenario schema, the compiled record arrays, `labelmarket
params` and the parameter paths of sweeps and calibration all derive from these
declarations, so adding a parameter is one attribute (or one in the strategy module that
reads it) plus the rule that reads it. `structural`
values shape the computation itself (months, rounds) and are the same in every replicate.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from labelmarket.model.core import strategies
from labelmarket.model.core.declared import (
    BASE_NDIM,
    Declared,
    Scope,
    declarations,
    parameter_fields,
    record_dtype,
)
from labelmarket.model.core.parameters.client import ClientParameters
from labelmarket.model.core.parameters.market import MarketParameters
from labelmarket.model.core.parameters.vendor import TierParameters, VendorParameters

__all__ = ["BASE_NDIM", "BY_NAME", "DECLARED", "Declared", "Parameters", "in_scope"]


MARKET = declarations(MarketParameters, "market")
TIER = declarations(TierParameters, "tier")
VENDOR = declarations(VendorParameters, "vendor")
STRATEGY = strategies.VENDOR_PARAMETERS
CLIENT = declarations(ClientParameters, "client") + strategies.CLIENT_PARAMETERS

DECLARED: tuple[Declared, ...] = MARKET + TIER + VENDOR + STRATEGY + CLIENT
"""Every declared parameter, market first, in the order the schema lists them."""
BY_NAME: dict[str, Declared] = {d.name: d for d in DECLARED}

MARKET_RECORD = record_dtype(parameter_fields(MARKET))
"""What the rules read of the market, one record per replicate: (R,)."""
VENDOR_RECORD = record_dtype(parameter_fields(TIER + VENDOR + STRATEGY))
"""What the rules read of each vendor (tier parameters hold a pair): (R, V)."""
CLIENT_RECORD = record_dtype(parameter_fields(CLIENT))
"""What the rules read of each client: (R, C)."""


class Parameters(NamedTuple):
    """Every parameter of a batched world as the compiled rules read them."""

    market: np.ndarray  # (R,) MARKET_RECORD
    vendor: np.ndarray  # (R, V) VENDOR_RECORD
    client: np.ndarray  # (R, C) CLIENT_RECORD


def in_scope(scope: Scope, group: str | None = None) -> tuple[Declared, ...]:
    """The declarations of one scope (and block of a vendor), in declaration order."""
    return tuple(d for d in DECLARED if d.scope == scope and d.group == group)
