"""Client parameters: per client."""

from __future__ import annotations

from typing import Annotated

from labelmarket.model.core.declared import param


class ClientParameters:
    """Per client: (R, C)."""

    # fmt: off
    budget: Annotated[float, param(
        ..., "$ / month",
        "Data-labelling budget in the first month.",
        gt=0, le=1e12)]
    budget_growth: Annotated[float, param(
        0.02, "per month",
        "Monthly growth rate of the budget.",
        ge=-0.5, le=0.5)]
    expert_share: Annotated[float, param(
        0.2, "share",
        "Share of the budget going to expert-tier work in the first month.",
        gt=0, lt=1)]
    expert_share_ceiling: Annotated[float, param(
        1.0, "share",
        "Expert share of the budget the trend levels off at (volume work never disappears "
        "below 1 - ceiling).",
        gt=0, le=1)]
    expert_trend: Annotated[float, param(
        0.5, "log-odds / year",
        "Yearly rise in the log-odds of the expert share.",
        ge=-5, le=5)]
    quality_sensitivity: Annotated[float, param(
        8.0, "utility / quality",
        "Weight of believed quality in the choice of vendor (b_q).",
        ge=0, le=100)]
    price_sensitivity: Annotated[float, param(
        1.0, "utility / log $",
        "Weight of log price in the choice of vendor (b_p, an elasticity).",
        ge=0, le=10)]
    conflict_sensitivity: Annotated[float, param(
        4.0, "utility / ownership share",
        "Utility lost per unit of a vendor owned by rivals (b_c).",
        ge=0, le=100)]
    defection_threshold: Annotated[float, param(
        0.5, "share of the share held",
        "Fall of a vendor's share of this client's spend, as a share of the share it held, "
        "that counts as a defection (0.5: at least half of it).",
        gt=0, le=1)]
    # fmt: on
