"""Vendor parameters: per vendor and task tier, and per vendor."""

from __future__ import annotations

from typing import Annotated

from labelmarket.model.core.declared import FRACTION, param


class TierParameters:
    """Per vendor and task tier (generalist, expert): (R, V, 2)."""

    # fmt: off
    workforce: Annotated[float, param(
        ..., "workers",
        "Contractors per skill tier at the start (or at entry): kept as stated.",
        ge=0, le=1e8)]
    hours_per_worker: Annotated[float, param(
        ..., "task-hours / worker-month",
        "Task-hours one contractor can deliver in a month.",
        ge=1, le=744)]
    wage: Annotated[float, param(
        ..., "$ / worker-month",
        "Pay of a contractor working full hours for a month; contractors are paid per "
        "task-hour worked (wage / hours_per_worker an hour).",
        ge=0, le=1e6)]
    quality: Annotated[float, param(
        ..., "quality (0-1)",
        "True quality delivered on each task tier.",
        **FRACTION)]
    reputation: Annotated[float, param(
        None, "quality (0-1)",
        "What clients believe the quality is before any delivery (default: the true "
        "quality).",
        **FRACTION, fallback="quality")]
    price: Annotated[float, param(
        ..., "$ / task-hour",
        "Price charged per task-hour in each tier at the start.",
        ge=0.01, le=1e4)]
    hiring_rate: Annotated[float, param(
        ..., "per month",
        "Share of the gap between staff and the staff the work needs filled by hiring each "
        "month.",
        **FRACTION)]
    attrition_rate: Annotated[float, param(
        ..., "per month",
        "Share of contractors who leave each month whatever the pay (and are replaced).",
        **FRACTION)]
    layoff_rate: Annotated[float, param(
        ..., "per month",
        "Share of the contractors beyond the staff the work needs released each month.",
        **FRACTION)]
    recruiting_capacity: Annotated[float, param(
        0.2, "per month",
        "Most workers a vendor can add in a month, as a share of its larger of current and "
        "starting pool (recruiting and onboarding).",
        gt=0, le=5)]
    # fmt: on


class VendorParameters:
    """Per vendor: (R, V)."""

    # fmt: off
    overhead: Annotated[float, param(
        0.0, "$ / month",
        "Cost of the salaried core and platform a month at the start; it follows revenue "
        "slowly and is cut when cash runs short.",
        ge=0, le=1e12)]
    cash: Annotated[float, param(
        0.0, "$",
        "Cash at the start.",
        ge=-1e13, le=1e13)]
    valuation_multiple: Annotated[float, param(
        10.0, "x annual revenue",
        "Valuation as a multiple of smoothed annualised revenue at the start (an investment "
        "re-marks it).",
        gt=0, le=1000)]
    # fmt: on
