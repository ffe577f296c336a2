"""Market-wide parameters: the same for every vendor and client of a replicate."""

from __future__ import annotations

from typing import Annotated

from labelmarket.model.core.declared import FRACTION, param


class MarketParameters:
    """Market-wide parameters, one value per replicate: (R,)."""

    # fmt: off
    observation_noise: Annotated[float, param(
        0.08, "quality (0-1)",
        "Std. dev. of the quality a client sees in one month's deliveries from a main supplier.",
        ge=0.01, le=1)]
    prior_precision: Annotated[float, param(
        25.0, "1/quality^2",
        "Precision of clients' initial beliefs about a vendor's quality (1 / variance).",
        ge=1, le=1e6)]
    belief_forgetting: Annotated[float, param(
        0.05, "per month",
        "Share of belief precision that decays back to the prior each month.",
        **FRACTION)]
    budget_noise: Annotated[float, param(
        0.05, "log $",
        "Std. dev. of the monthly log-normal shock to each client's budget.",
        **FRACTION)]
    owner_affinity: Annotated[float, param(
        0.5, "utility",
        "Utility bonus a client gives a vendor it holds a stake in.",
        ge=0, le=20)]
    founder_exposure: Annotated[float, param(
        0.25, "ownership share",
        "Extra conflict exposure rivals see when a vendor's founder joins an investor.",
        **FRACTION)]
    trial_share: Annotated[float, param(
        0.005, "share of spend",
        "Share of its spend a client keeps at a vendor it does not use, as trials, at the "
        "start.",
        ge=0.001, le=0.2)]
    spin_up_months: Annotated[float, param(
        24, "months",
        "Months of the observed relationships run before the start, so that beliefs and "
        "workforces begin where the rules settle (at least one).",
        ge=1, le=240, integer=True, structural=True)]
    conflict_half_life: Annotated[float, param(
        12.0, "months",
        "Months for half of a new conflict of interest's weight to fade while nothing leaks.",
        gt=0, le=1200)]
    conflict_floor: Annotated[float, param(
        0.5, "share",
        "Share of a conflict of interest's weight that never fades while the stake is held.",
        **FRACTION)]
    spill_rounds: Annotated[float, param(
        3, "rounds",
        "Rounds in which money a full vendor could not serve spills to the next choices.",
        ge=1, le=10, integer=True, structural=True)]
    capacity_buffer: Annotated[float, param(
        0.10, "share",
        "Spare capacity vendors hire for above the work requested from them.",
        ge=0, le=2)]
    poaching_rate: Annotated[float, param(
        0.05, "per month",
        "Extra monthly quit rate at a vendor paying nothing, relative to the best-paying rival "
        "(scales with the pay gap).",
        **FRACTION)]
    hiring_wage_elasticity: Annotated[float, param(
        1.0, "-",
        "How strongly pay below the best rival slows hiring (hiring x relative_wage^e).",
        ge=0, le=5)]
    revenue_smoothing: Annotated[float, param(
        0.3, "per month",
        "Weight of the latest month in smoothed revenue (valuations follow it).",
        gt=0, le=1)]
    valuation_reversion: Annotated[float, param(
        0.05, "per month",
        "Share of the gap between a vendor's valuation multiple and its fundamental one closed "
        "a month (a deal's mark fades).",
        **FRACTION)]
    valuation_growth_elasticity: Annotated[float, param(
        1.0, "-",
        "How the fundamental multiple follows growth: base x (recent / longer-run revenue)^e.",
        ge=0, le=10)]
    quality_pay_elasticity: Annotated[float, param(
        0.1, "quality / log $",
        "Quality gained per unit of log pay above the vendor's starting pay (efficiency wages).",
        ge=0, le=1)]
    quality_adjustment: Annotated[float, param(
        0.05, "per month",
        "Share of the gap to its target quality closed each month.",
        **FRACTION)]
    defection_window: Annotated[float, param(
        3, "months",
        "A defection is a fall in share larger than the client's threshold within this many "
        "months.",
        ge=1, le=24, integer=True, structural=True)]
    # fmt: on
