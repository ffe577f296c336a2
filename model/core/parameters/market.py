"""Market-wide parameters: the same for every vendor and client of a replicate.

Labour-market parameters hold one value per task tier (generalist, expert): each tier has
its own pool of annotators, outside option and supply elasticity (`model.core.labour`).
"""

from __future__ import annotations

from typing import Annotated

from labelmarket.model.core.declared import FRACTION, param


class MarketParameters:
    """Market-wide parameters, one value (or one per tier) per replicate: (R,)."""

    # fmt: off
    observation_noise: Annotated[float, param(
        0.08, "quality (0-1)",
        "Std. dev. of the quality a client sees in one month's deliveries from a main supplier.",
        ge=0.01, le=1)]
    prior_precision: Annotated[float, param(
        25.0, "1/quality^2",
        "Precision of clients' initial beliefs about a vendor's quality (1 / variance).",
        ge=1, le=1e6)]
    quality_volatility: Annotated[float, param(
        0.03, "quality (0-1) / month",
        "Std. dev. of the monthly random walk clients take a vendor's quality to follow (the "
        "Kalman filter's process noise): how fast old deliveries are discounted.",
        ge=0, le=0.5)]
    budget_growth_halflife: Annotated[float, param(
        36.0, "months",
        "Months in which the monthly growth of every budget halves: labelling budgets cannot "
        "grow 30-50% a year for ever (a very long half-life keeps the growth constant).",
        ge=1, le=1e6)]
    budget_noise: Annotated[float, param(
        0.05, "log $",
        "Std. dev. of the monthly log-normal shock to each client's budget.",
        **FRACTION)]
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
        "Months of the observed relationships run before the start, so that clients' beliefs "
        "begin where their deliveries settle them (at least one).",
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
    supply_elasticity: Annotated[float, param(
        {"generalist": 0.5, "expert": 2.0}, "log workers / log $",
        "Weight of log pay in annotators' choice of employer (a logit with an outside "
        "option): a vendor with a small share of its labour market faces this supply "
        "elasticity.",
        ge=0.01, le=20, tiered=True)]
    outside_share: Annotated[float, param(
        {"generalist": 0.8, "expert": 0.6}, "share of the pool",
        "Share of a tier's pool of annotators working for no vendor at the start (the outside "
        "option: other work).",
        ge=0.01, le=0.99, tiered=True)]
    pool_growth: Annotated[float, param(
        {"generalist": 0.01, "expert": 0.005}, "per month",
        "Monthly growth of a tier's pool of annotators at the pay of the start.",
        ge=-0.1, le=0.2, tiered=True)]
    entry_elasticity: Annotated[float, param(
        {"generalist": 1.0, "expert": 2.0}, "log workers / log $",
        "Long-run elasticity of a tier's pool to its market's pay against the start (people "
        "train for and join work that pays; they leave work that does not).",
        ge=0, le=10, tiered=True)]
    pool_adjustment: Annotated[float, param(
        0.05, "per month",
        "Share of the gap between a pool and the level its pay calls for closed a month.",
        **FRACTION)]
    poaching_rate: Annotated[float, param(
        0.2, "per month",
        "Share of the workers beyond a vendor's labour supply (those its pay no longer holds) "
        "who leave each month for rivals or the outside option.",
        **FRACTION)]
    revenue_smoothing: Annotated[float, param(
        0.3, "per month",
        "Weight of the latest month in smoothed revenue and profit (valuations, budgets of "
        "cash and overhead follow them).",
        gt=0, le=1)]
    overhead_adjustment: Annotated[float, param(
        0.02, "per month",
        "Share of the gap between a vendor's overhead (its salaried core) and its usual share "
        "of revenue closed a month.",
        **FRACTION)]
    funding_runway: Annotated[float, param(
        6.0, "months",
        "Months of cash left at the current losses below which a vendor raises money or cuts "
        "costs.",
        ge=0, le=120)]
    funding_months: Annotated[float, param(
        18.0, "months", "Months of losses one raise of money covers.", ge=1, le=120)]
    max_dilution: Annotated[float, param(
        0.25, "share of valuation",
        "Largest raise investors make, as a share of the vendor's valuation.",
        ge=0, le=1)]
    cost_cut_rate: Annotated[float, param(
        0.05, "per month",
        "Share of overhead cut a month while cash is short and no raise is possible.",
        **FRACTION)]
    exit_months: Annotated[float, param(
        6.0, "months",
        "Months with negative cash after which a vendor exits: its contracts end and its "
        "workers return to the pool.",
        ge=1, le=120)]
    valuation_reversion: Annotated[float, param(
        0.05, "per month",
        "Share of the gap between a vendor's valuation multiple and its fundamental one closed "
        "a month (a deal's mark fades).",
        **FRACTION)]
    valuation_growth_elasticity: Annotated[float, param(
        1.0, "-",
        "How the fundamental multiple follows growth: base x (recent / year-long revenue)^e.",
        ge=0, le=10)]
    valuation_margin_elasticity: Annotated[float, param(
        2.0, "log multiple / margin",
        "How the fundamental multiple follows profitability: x exp(e (margin - margin at the "
        "start, or 0 if that was a loss)); a vendor losing money is never marked up.",
        ge=0, le=20)]
    quality_pay_elasticity: Annotated[float, param(
        0.1, "quality / log $",
        "Quality gained per unit of log pay above the vendor's starting pay (efficiency "
        "wages).",
        ge=0, le=1)]
    quality_adjustment: Annotated[float, param(
        0.05, "per month",
        "Share of the gap to its target quality closed each month.",
        **FRACTION)]
    defection_window: Annotated[float, param(
        6, "months",
        "A defection is a fall of a vendor's share of a client's spend, by at least the "
        "client's threshold of the share held, within this many months.",
        ge=1, le=24, integer=True, structural=True)]
    defection_floor: Annotated[float, param(
        0.05, "share of spend",
        "Smallest share of a client's spend whose fall can count as a defection (trial "
        "shares do not).",
        ge=0, le=1)]
    # fmt: on
