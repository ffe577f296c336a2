"""The scenario schema: what a scenario YAML may say, with units, defaults and ranges.

World parameters come from their one declaration (`model.core.parameters`); identity
fields (names, business model, segment) and the incumbency shares are written here;
events come from their own modules (`model.scenario.events`). Unknown keys are rejected.
Cross-references (event names, dates inside the horizon) are checked by
`model.scenario.checks`, which can name the offending field precisely. The horizon and the
numbers of vendors, clients and events are bounded here (docs/limits.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, PrivateAttr, ValidationInfo, create_model, field_validator

from labelmarket.model.core import business_models
from labelmarket.model.core.parameters import in_scope
from labelmarket.model.scenario.events import Event
from labelmarket.model.scenario.fields import (
    P,
    Slug,
    Strict,
    YearMonth,
    declared_field,
    month_index,
    strategy_block,
)

MAX_MONTHS = 600
"""Longest horizon: 50 years of months, far beyond what the corpus can inform (it covers
2016-2025); one replicate's monthly history of the 1,000-client, 100-vendor benchmark world
takes 1.6 MB a month, so 600 months stay under 1 GB."""
MAX_VENDORS, MAX_CLIENTS, MAX_EVENTS = 1_000, 10_000, 1_000

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


def horizon_months(start: str, end: str) -> int:
    """Months simulated from `start` to `end`, both included (the one place that counts them)."""
    return month_index(start, end) + 1


class Scenario(Strict):
    """A whole world: horizon, market constants, vendors, clients and scheduled events."""

    # Loaded by `model.scenario.loading.load_scenario`, it also knows the file it was read
    # from and the overrides applied to it (`file`, `overrides`); `resolved` is the whole
    # scenario as plain data, as a run's manifest records it.
    _file: Path | None = PrivateAttr(None)
    _overrides: tuple[str, ...] = PrivateAttr(())

    name: Slug = Field(..., description="Scenario name (the default output folder runs/<name>).")
    description: str = Field("", description="What this scenario asks.")
    start: YearMonth = Field(..., description="First simulated month (YYYY-MM).")
    end: YearMonth = Field(..., description="Last simulated month (YYYY-MM).")
    market: MarketParams = Field(default_factory=MarketParams)  # type: ignore[valid-type]
    vendors: list[VendorSpec] = Field(  # type: ignore[valid-type]
        ..., min_length=1, max_length=MAX_VENDORS
    )
    clients: list[ClientSpec] = Field(  # type: ignore[valid-type]
        ..., min_length=1, max_length=MAX_CLIENTS
    )
    events: list[Event] = Field(  # type: ignore[valid-type]
        default_factory=list, max_length=MAX_EVENTS
    )

    @field_validator("end")
    @classmethod
    def _horizon(cls, end: str, info: ValidationInfo) -> str:
        """The end is not before the start, and at most MAX_MONTHS months after it."""
        start = info.data.get("start")
        if start is None:
            return end
        months = horizon_months(start, end)
        if months < 1:
            raise ValueError(f"must not be before start ({start})")
        if months > MAX_MONTHS:
            raise ValueError(
                f"{start} to {end} is {months:,} months; the horizon is at most {MAX_MONTHS} "
                f"months ({MAX_MONTHS // 12} years)"
            )
        return end

    @property
    def months(self) -> int:
        """Months simulated, from `start` to `end` included."""
        return horizon_months(self.start, self.end)

    @property
    def file(self) -> Path | None:
        """The YAML file it was read from (bundled or the user's); None if built in memory."""
        return self._file

    @property
    def overrides(self) -> tuple[str, ...]:
        """The `path=value` overrides applied after reading the file, in order."""
        return self._overrides

    @property
    def resolved(self) -> dict[str, Any]:
        """The whole scenario as plain data (`extends` and overrides applied)."""
        return self.model_dump(mode="json")

    def read_from(self, file: Path | None, overrides: tuple[str, ...] = ()) -> Scenario:
        """Record where it was read from and what was overridden (the loader calls this)."""
        self._file, self._overrides = file, tuple(overrides)
        return self
