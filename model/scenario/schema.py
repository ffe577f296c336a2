"""The scenario schema: what a scenario YAML may say, with units, defaults and ranges.

Every parameter is a pydantic field whose description says what it means and whose
`unit` says how it is measured; `labelmarket params` prints them all. Unknown keys are
rejected. Cross-references (event names, dates inside the horizon) are checked by
`model.scenario_check`, which can name the offending field precisely.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model

YEAR_MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


def _to_year_month(value: Any) -> Any:
    """Accept YAML dates (2025-06-12) as their month; leave other input to the pattern."""
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    return value


YearMonth = Annotated[
    str, BeforeValidator(_to_year_month), Field(pattern=YEAR_MONTH, description="YYYY-MM")
]
Tier = Literal["generalist", "expert"]


def P(default: Any, unit: str, description: str, **limits: Any) -> Any:
    """A documented parameter: default, unit and meaning travel with the field."""
    return Field(default, description=description, json_schema_extra={"unit": unit}, **limits)


class Strict(BaseModel):
    """Base for every schema block: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _pair(name: str, **limits: Any) -> type[Strict]:
    """A (generalist, expert) pair of numbers sharing the same limits."""
    fields = {tier: (float, Field(..., **limits)) for tier in ("generalist", "expert")}
    return create_model(name, __base__=Strict, **fields)


Fractions = _pair("Fractions", ge=0.0, le=1.0)
Positives = _pair("Positives", gt=0.0)
NonNegatives = _pair("NonNegatives", ge=0.0)


class MarketParams(Strict):
    """Constants shared by the whole market."""

    observation_noise: float = P(
        0.08,
        "quality (0-1)",
        "Std. dev. of the quality a client sees in one month's deliveries from a main supplier.",
        gt=0,
        le=1,
    )
    prior_precision: float = P(
        25.0,
        "1/quality^2",
        "Precision of clients' initial beliefs about a vendor's quality (1 / variance).",
        gt=0,
    )
    belief_forgetting: float = P(
        0.05,
        "per month",
        "Share of belief precision that decays back to the prior each month.",
        ge=0,
        le=1,
    )
    budget_noise: float = P(
        0.05,
        "log $",
        "Std. dev. of the monthly log-normal shock to each client's budget.",
        ge=0,
        le=1,
    )
    owner_affinity: float = P(
        0.5, "utility", "Utility bonus a client gives a vendor it holds a stake in.", ge=0
    )
    founder_exposure: float = P(
        0.25,
        "ownership share",
        "Extra conflict exposure rivals see when a vendor's founder joins an investor.",
        ge=0,
        le=1,
    )
    incumbent_min_share: float = P(
        0.02,
        "share",
        "Floor added to last month's share in the habit term inertia * ln(share + floor).",
        gt=0,
        le=1,
    )
    spill_rounds: int = P(
        3,
        "rounds",
        "Rounds in which money a full vendor could not serve spills to the next choices.",
        ge=1,
        le=10,
    )
    capacity_buffer: float = P(
        0.10,
        "share",
        "Spare capacity vendors hire for above the work requested from them.",
        ge=0,
        le=2,
    )
    poaching_rate: float = P(
        0.05,
        "per month",
        "Extra monthly quit rate at a vendor paying nothing, relative to the best-paying rival (scales with the pay gap).",
        ge=0,
        le=1,
    )
    hiring_wage_elasticity: float = P(
        1.0,
        "-",
        "How strongly pay below the best rival slows hiring (hiring x relative_wage^e).",
        ge=0,
        le=5,
    )
    revenue_smoothing: float = P(
        0.3,
        "per month",
        "Weight of the latest month in smoothed revenue (valuations follow it).",
        gt=0,
        le=1,
    )
    defection_window: int = P(
        3,
        "months",
        "A defection is a fall in share larger than the client's threshold within this many months.",
        ge=1,
        le=24,
    )


class VendorSpec(Strict):
    """A labelling vendor: business model, workforce pools, quality, prices and finances."""

    name: str = Field(..., min_length=1, description="Vendor name used by events and outputs.")
    model: Literal["crowd", "expert"] = Field(
        ..., description="Business model: crowdsourced volume or expert network."
    )
    founded: int | None = P(None, "year", "Year founded (documentation only).", ge=1900, le=2100)
    workforce: NonNegatives = P(
        ..., "workers", "Workers per skill tier at the start (or at entry)."
    )
    hours_per_worker: Positives = P(
        ..., "task-hours / worker-month", "Task-hours one worker delivers in a month."
    )
    wage: NonNegatives = P(..., "$ / worker-month", "Monthly pay per worker in each tier.")
    quality: Fractions = P(..., "quality (0-1)", "True quality delivered on each task tier.")
    reputation: Fractions | None = P(
        None,
        "quality (0-1)",
        "What clients believe the quality is before any delivery (default: the true quality).",
    )
    price: Positives = P(..., "$ / task-hour", "Price charged per task-hour in each tier.")
    hiring_rate: Fractions = P(
        ..., "per month", "Share of the gap between staff and demand filled by hiring each month."
    )
    attrition_rate: Fractions = P(
        ..., "per month", "Share of workers who leave each month at market pay."
    )
    layoff_rate: Fractions = P(
        ..., "per month", "Share of idle workers laid off each month while the vendor loses money."
    )
    overhead: float = P(0.0, "$ / month", "Fixed monthly costs besides wages.", ge=0)
    cash: float = P(0.0, "$", "Cash at the start.")
    valuation_multiple: float = P(
        10.0,
        "x annual revenue",
        "Valuation as a multiple of smoothed annualised revenue (an investment re-marks it).",
        gt=0,
        le=1000,
    )


class ClientSpec(Strict):
    """A buyer of labelled data: an AI lab or an enterprise segment."""

    name: str = Field(..., min_length=1, description="Client name used by events and outputs.")
    segment: Literal["lab", "enterprise"] = Field(
        ...,
        description="Labs compete with one another and see rivals' stakes as conflicts; enterprises do not.",
    )
    budget: float = P(..., "$ / month", "Data-labelling budget in the first month.", gt=0)
    budget_growth: float = P(
        0.02, "per month", "Monthly growth rate of the budget.", ge=-0.5, le=0.5
    )
    expert_share: float = P(
        0.2,
        "share",
        "Share of the budget going to expert-tier work in the first month.",
        gt=0,
        lt=1,
    )
    expert_trend: float = P(
        0.5, "log-odds / year", "Yearly rise in the log-odds of the expert share.", ge=-5, le=5
    )
    quality_sensitivity: float = P(
        8.0,
        "utility / quality",
        "Weight of believed quality in the choice of vendor (b_q).",
        ge=0,
        le=100,
    )
    price_sensitivity: float = P(
        1.0,
        "utility / log $",
        "Weight of log price in the choice of vendor (b_p, an elasticity).",
        ge=0,
        le=20,
    )
    conflict_sensitivity: float = P(
        4.0,
        "utility / ownership share",
        "Utility lost per unit of a vendor owned by rivals (b_c).",
        ge=0,
        le=100,
    )
    inertia: float = P(
        0.8,
        "utility / log share",
        "Habit toward incumbents (switching costs): adds inertia * ln(last share + floor).",
        ge=0,
        le=5,
    )
    defection_threshold: float = P(
        0.15,
        "share of spend",
        "Fall in a vendor's share of this client's spend that counts as a defection.",
        gt=0,
        le=1,
    )
    current_vendors: dict[str, float] = P(
        {},
        "share of spend",
        "Vendors used before the first month, with their shares (sets incumbency).",
    )


class _Event(Strict):
    month: YearMonth = Field(..., description="Month the event takes effect (YYYY-MM).")
    label: str | None = Field(None, description="Short text drawn on charts (default: generated).")


class Investment(_Event):
    """A client buys a stake in a vendor."""

    type: Literal["investment"]
    investor: str
    vendor: str
    stake: float = P(..., "ownership share", "Share of the vendor bought.", gt=0, le=1)
    amount: float = P(..., "$", "Price paid.", ge=0)
    founder_moves: bool = P(False, "-", "The vendor's founder joins the investor.")


class ClientPause(_Event):
    """A client stops buying from one vendor (or the whole market), for a while or for good."""

    type: Literal["client_pause"]
    client: str
    vendor: str | None = None
    months: int | None = P(None, "months", "Length of the pause; none means an exit.", ge=1)


class QualityShock(_Event):
    """A vendor's quality jumps by `delta`."""

    type: Literal["quality_shock"]
    vendor: str
    delta: float = P(..., "quality (0-1)", "Change in true quality.", ge=-1, le=1)
    tier: Tier | None = None
    recovery_months: int | None = P(
        None, "months", "Time scale of recovery; none means permanent.", ge=1
    )


class DemandShift(_Event):
    """Budgets scale and/or the task mix tilts toward expert work."""

    type: Literal["demand_shift"]
    client: str | None = None
    budget_factor: float = P(1.0, "x", "Multiplier on the budget path.", gt=0, le=100)
    expert_shift: float = P(
        0.0, "log-odds", "Added to the log-odds of the expert share.", ge=-10, le=10
    )


class NewEntrant(_Event):
    """A vendor listed in `vendors` opens for business this month."""

    type: Literal["new_entrant"]
    vendor: str


class VendorPivot(_Event):
    """A vendor recruits experts at higher pay; its expert quality ramps up."""

    type: Literal["vendor_pivot"]
    vendor: str
    expert_wage_factor: float = P(1.5, "x", "Multiplier on expert pay.", gt=0, le=10)
    expert_hiring_rate: float = P(0.2, "per month", "New expert hiring rate.", ge=0, le=1)
    expert_quality_target: float = P(
        0.85, "quality (0-1)", "Expert-tier quality the pivot ramps toward.", ge=0, le=1
    )
    ramp_months: int = P(12, "months", "Time scale of the quality ramp.", ge=1)


class PayCut(_Event):
    """A vendor cuts pay by `fraction`."""

    type: Literal["pay_cut"]
    vendor: str
    fraction: float = P(..., "share", "Share of pay cut.", gt=0, lt=1)
    quality_loss: float = P(0.0, "quality (0-1)", "Immediate, lasting quality loss.", ge=0, le=1)
    tier: Tier | None = None


class TalentDeparture(_Event):
    """A share of a vendor's workers leaves at once."""

    type: Literal["talent_departure"]
    vendor: str
    fraction: float = P(..., "share", "Share of the tier's workers who leave.", gt=0, le=1)
    quality_loss: float = P(
        0.0, "quality (0-1)", "Quality dent, recovered over `recovery_months`.", ge=0, le=1
    )
    tier: Tier | None = None
    recovery_months: int = P(12, "months", "Time scale of recovery.", ge=1)


Event = Annotated[
    Investment
    | ClientPause
    | QualityShock
    | DemandShift
    | NewEntrant
    | VendorPivot
    | PayCut
    | TalentDeparture,
    Field(discriminator="type"),
]
EVENT_TYPES: tuple[type[_Event], ...] = (
    Investment,
    ClientPause,
    QualityShock,
    DemandShift,
    NewEntrant,
    VendorPivot,
    PayCut,
    TalentDeparture,
)


class Scenario(Strict):
    """A whole world: horizon, market constants, vendors, clients and scheduled events."""

    name: str = Field(..., min_length=1, description="Scenario name.")
    description: str = Field("", description="What this scenario asks.")
    start: YearMonth = Field(..., description="First simulated month (YYYY-MM).")
    end: YearMonth = Field(..., description="Last simulated month (YYYY-MM).")
    market: MarketParams = Field(default_factory=MarketParams)
    vendors: list[VendorSpec] = Field(..., min_length=1)
    clients: list[ClientSpec] = Field(..., min_length=1)
    events: list[Event] = Field(default_factory=list)
