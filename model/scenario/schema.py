"""The scenario schema: what a scenario YAML may say, with units, defaults and ranges.

World parameters come from their one declaration (`model.core.parameters`); identity
fields (names, business model, segment) and the incumbency shares are written here;
events come from their own modules (`model.scenario.events`). Unknown keys are rejected.
Cross-references (event names, dates inside the horizon) are checked by
`model.scenario.checks`, which can name the offending field precisely.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, create_model

from labelmarket.model.core import business_models
from labelmarket.model.core.parameters import in_scope
from labelmarket.model.scenario.events import Event
from labelmarket.model.scenario.fields import (
    P,
    Strict,
    YearMonth,
    declared_field,
    strategy_block,
)

BusinessModelName = Literal[business_models.NAMES]  # type: ignore[valid-type]
StrategySpec = strategy_block()

MarketParams = create_model(
    "MarketParams",
    __base__=Strict,
    __doc__="Constants shared by the whole market.",
    **{d.name: declared_field(d) for d in in_scope("market")},
)

VendorSpec = create_model(
    "VendorSpec",
    __base__=Strict,
    __doc__="A labelling vendor: business model, workforce pools, quality, prices and finances.",
    name=(str, Field(..., min_length=1, description="Vendor name used by events and outputs.")),
    model=(
        BusinessModelName,
        Field(..., description="Business model: crowdsourced volume or expert network."),
    ),
    founded=(int | None, P(None, "year", "Year founded (documentation only).", ge=1900, le=2100)),
    **{d.name: declared_field(d) for d in in_scope("tier") + in_scope("vendor")},
    strategy=(
        StrategySpec,
        Field(default_factory=StrategySpec, description="Policies and strategy parameters."),
    ),
)

ClientSpec = create_model(
    "ClientSpec",
    __base__=Strict,
    __doc__="A buyer of labelled data: an AI lab or an enterprise segment.",
    name=(str, Field(..., min_length=1, description="Client name used by events and outputs.")),
    segment=(
        Literal["lab", "enterprise"],
        Field(
            ...,
            description="Labs compete with one another and see rivals' stakes as "
            "conflicts; enterprises do not.",
        ),
    ),
    **{d.name: declared_field(d) for d in in_scope("client")},
    current_vendors=(
        dict[str, float],
        P(
            {},
            "share of spend",
            "Vendors used before the first month, with their shares (sets incumbency).",
        ),
    ),
)


class Scenario(Strict):
    """A whole world: horizon, market constants, vendors, clients and scheduled events."""

    name: str = Field(..., min_length=1, description="Scenario name.")
    description: str = Field("", description="What this scenario asks.")
    start: YearMonth = Field(..., description="First simulated month (YYYY-MM).")
    end: YearMonth = Field(..., description="Last simulated month (YYYY-MM).")
    market: MarketParams = Field(default_factory=MarketParams)  # type: ignore[valid-type]
    vendors: list[VendorSpec] = Field(..., min_length=1)  # type: ignore[valid-type]
    clients: list[ClientSpec] = Field(..., min_length=1)  # type: ignore[valid-type]
    events: list[Event] = Field(default_factory=list)  # type: ignore[valid-type]
