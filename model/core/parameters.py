"""Every number of a world, declared once: where it lives, its unit, default, range, meaning.

The scenario schema, the compiled arrays (`World.values`), `labelmarket params` and the
parameter paths of sweeps and calibration all derive from these declarations, so adding a
parameter is one entry here plus the rule that reads it. Scopes say where a value lives:
`market` (one number), `vendor` (one per vendor), `tier` (one per vendor and task tier,
the last axis), `client` (one per client). Once batched, every array gains a leading
replicate axis, except `structural` values, which shape the computation itself.
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


def _declare(scope: Scope, rows: list[tuple]) -> tuple[Declared, ...]:
    """Declarations of one scope from (name, default, unit, meaning, limits) rows."""
    out = []
    for name, default, unit, meaning, limits in rows:
        required = default is ...
        out.append(
            Declared(name, scope, unit, meaning, None if required else default, required, **limits)
        )
    return tuple(out)


FRACTION = {"ge": 0.0, "le": 1.0}
POSITIVE = {"gt": 0.0}
NON_NEGATIVE = {"ge": 0.0}

MARKET = _declare("market", [
    ("observation_noise", 0.08, "quality (0-1)",
     "Std. dev. of the quality a client sees in one month's deliveries from a main supplier.",
     {"ge": 0.01, "le": 1}),
    ("prior_precision", 25.0, "1/quality^2",
     "Precision of clients' initial beliefs about a vendor's quality (1 / variance).",
     {"ge": 1, "le": 1e6}),
    ("belief_forgetting", 0.05, "per month",
     "Share of belief precision that decays back to the prior each month.", FRACTION),
    ("budget_noise", 0.05, "log $",
     "Std. dev. of the monthly log-normal shock to each client's budget.", FRACTION),
    ("owner_affinity", 0.5, "utility",
     "Utility bonus a client gives a vendor it holds a stake in.", {"ge": 0, "le": 20}),
    ("founder_exposure", 0.25, "ownership share",
     "Extra conflict exposure rivals see when a vendor's founder joins an investor.", FRACTION),
    ("incumbent_min_share", 0.02, "share",
     "Floor added to last month's share in the habit term inertia * ln(share + floor).",
     {"ge": 0.001, "le": 1}),
    ("spill_rounds", 3, "rounds",
     "Rounds in which money a full vendor could not serve spills to the next choices.",
     {"ge": 1, "le": 10, "integer": True, "structural": True}),
    ("capacity_buffer", 0.10, "share",
     "Spare capacity vendors hire for above the work requested from them.", {"ge": 0, "le": 2}),
    ("poaching_rate", 0.05, "per month",
     "Extra monthly quit rate at a vendor paying nothing, relative to the best-paying rival "
     "(scales with the pay gap).", FRACTION),
    ("hiring_wage_elasticity", 1.0, "-",
     "How strongly pay below the best rival slows hiring (hiring x relative_wage^e).",
     {"ge": 0, "le": 5}),
    ("revenue_smoothing", 0.3, "per month",
     "Weight of the latest month in smoothed revenue (valuations follow it).", {"gt": 0, "le": 1}),
    ("defection_window", 3, "months",
     "A defection is a fall in share larger than the client's threshold within this many "
     "months.", {"ge": 1, "le": 24, "integer": True, "structural": True}),
])  # fmt: skip

TIER = _declare("tier", [
    ("workforce", ..., "workers", "Workers per skill tier at the start (or at entry).",
     {"ge": 0, "le": 1e8}),
    ("hours_per_worker", ..., "task-hours / worker-month",
     "Task-hours one worker delivers in a month.", {"ge": 1, "le": 744}),
    ("wage", ..., "$ / worker-month", "Monthly pay per worker in each tier.",
     {"ge": 0, "le": 1e6}),
    ("quality", ..., "quality (0-1)", "True quality delivered on each task tier.", FRACTION),
    ("reputation", None, "quality (0-1)",
     "What clients believe the quality is before any delivery (default: the true quality).",
     {**FRACTION, "fallback": "quality"}),
    ("price", ..., "$ / task-hour", "Price charged per task-hour in each tier.",
     {"ge": 0.01, "le": 1e4}),
    ("hiring_rate", ..., "per month",
     "Share of the gap between staff and demand filled by hiring each month.", FRACTION),
    ("attrition_rate", ..., "per month", "Share of workers who leave each month at market pay.",
     FRACTION),
    ("layoff_rate", ..., "per month",
     "Share of idle workers laid off each month while the vendor loses money.", FRACTION),
])  # fmt: skip

VENDOR = _declare("vendor", [
    ("overhead", 0.0, "$ / month", "Fixed monthly costs besides wages.", {"ge": 0, "le": 1e12}),
    ("cash", 0.0, "$", "Cash at the start.", {"ge": -1e13, "le": 1e13}),
    ("valuation_multiple", 10.0, "x annual revenue",
     "Valuation as a multiple of smoothed annualised revenue (an investment re-marks it).",
     {"gt": 0, "le": 1000}),
])  # fmt: skip

CLIENT = _declare("client", [
    ("budget", ..., "$ / month", "Data-labelling budget in the first month.",
     {"gt": 0, "le": 1e12}),
    ("budget_growth", 0.02, "per month", "Monthly growth rate of the budget.",
     {"ge": -0.5, "le": 0.5}),
    ("expert_share", 0.2, "share",
     "Share of the budget going to expert-tier work in the first month.", {"gt": 0, "lt": 1}),
    ("expert_trend", 0.5, "log-odds / year", "Yearly rise in the log-odds of the expert share.",
     {"ge": -5, "le": 5}),
    ("quality_sensitivity", 8.0, "utility / quality",
     "Weight of believed quality in the choice of vendor (b_q).", {"ge": 0, "le": 100}),
    ("price_sensitivity", 1.0, "utility / log $",
     "Weight of log price in the choice of vendor (b_p, an elasticity).", {"ge": 0, "le": 10}),
    ("conflict_sensitivity", 4.0, "utility / ownership share",
     "Utility lost per unit of a vendor owned by rivals (b_c).", {"ge": 0, "le": 100}),
    ("inertia", 0.8, "utility / log share",
     "Habit toward incumbents (switching costs): adds inertia * ln(last share + floor).",
     {"ge": 0, "le": 5}),
    ("defection_threshold", 0.15, "share of spend",
     "Fall in a vendor's share of this client's spend that counts as a defection.",
     {"gt": 0, "le": 1}),
])  # fmt: skip

DECLARED: tuple[Declared, ...] = MARKET + TIER + VENDOR + CLIENT
"""Every declared parameter, market first, in the order the schema lists them."""
BY_NAME: dict[str, Declared] = {d.name: d for d in DECLARED}


def in_scope(scope: Scope) -> tuple[Declared, ...]:
    """The declarations of one scope, in declaration order."""
    return tuple(d for d in DECLARED if d.scope == scope)
