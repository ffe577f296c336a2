"""Every number of a world, declared once: where it lives, its unit, default, range, meaning.

The scenario schema, the compiled arrays (`World.values`), `labelmarket params` and the
parameter paths of sweeps and calibration all derive from these declarations, so adding a
parameter is one entry here (or in the strategy module that reads it) plus the rule that
reads it. Scopes say where a value lives: `market` (one number), `vendor` (one per vendor),
`tier` (one per vendor and task tier, the last axis), `client` (one per client). Once
batched, every array gains a leading replicate axis, except `structural` values, which
shape the computation itself.
"""

from __future__ import annotations

from labelmarket.model.core import strategies
from labelmarket.model.core.declared import (
    BASE_NDIM,
    FRACTION,
    NON_NEGATIVE,
    POSITIVE,
    Declared,
    Scope,
    declare,
)

__all__ = ["BASE_NDIM", "BY_NAME", "DECLARED", "Declared", "in_scope"]

MARKET = declare("market", [
    ("observation_noise", 0.08, "quality (0-1)",
     "Std. dev. of the quality a client sees in one month's deliveries from a main supplier.",
     {"gt": 0, "le": 1}),
    ("prior_precision", 25.0, "1/quality^2",
     "Precision of clients' initial beliefs about a vendor's quality (1 / variance).",
     {"gt": 0}),
    ("belief_forgetting", 0.05, "per month",
     "Share of belief precision that decays back to the prior each month.", FRACTION),
    ("budget_noise", 0.05, "log $",
     "Std. dev. of the monthly log-normal shock to each client's budget.", FRACTION),
    ("owner_affinity", 0.5, "utility",
     "Utility bonus a client gives a vendor it holds a stake in.", {"ge": 0}),
    ("founder_exposure", 0.25, "ownership share",
     "Extra conflict exposure rivals see when a vendor's founder joins an investor.", FRACTION),
    ("trial_share", 0.005, "share of spend",
     "Share of its spend a client keeps at a vendor it does not use, as trials, at the start.",
     {"gt": 0, "le": 0.2}),
    ("spin_up_months", 24, "months",
     "Months of the observed relationships run before the start, so that beliefs and "
     "workforces begin where the rules settle (at least one).",
     {"ge": 1, "le": 240, "integer": True, "structural": True}),
    ("conflict_half_life", 12.0, "months",
     "Months for half of a new conflict of interest's weight to fade while nothing leaks.",
     {"gt": 0, "le": 1200}),
    ("conflict_floor", 0.5, "share",
     "Share of a conflict of interest's weight that never fades while the stake is held.",
     FRACTION),
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
    ("valuation_reversion", 0.05, "per month",
     "Share of the gap between a vendor's valuation multiple and its fundamental one closed "
     "a month (a deal's mark fades).", FRACTION),
    ("valuation_growth_elasticity", 1.0, "-",
     "How the fundamental multiple follows growth: base x (recent / longer-run revenue)^e.",
     {"ge": 0, "le": 10}),
    ("quality_pay_elasticity", 0.1, "quality / log $",
     "Quality gained per unit of log pay above the vendor's starting pay (efficiency wages).",
     {"ge": 0, "le": 1}),
    ("quality_adjustment", 0.05, "per month",
     "Share of the gap to its target quality closed each month.", FRACTION),
    ("defection_window", 3, "months",
     "A defection is a fall in share larger than the client's threshold within this many "
     "months.", {"ge": 1, "le": 24, "integer": True, "structural": True}),
])  # fmt: skip

TIER = declare("tier", [
    ("workforce", ..., "workers", "Workers per skill tier at the start (or at entry).",
     NON_NEGATIVE),
    ("hours_per_worker", ..., "task-hours / worker-month",
     "Task-hours one worker delivers in a month.", POSITIVE),
    ("wage", ..., "$ / worker-month", "Monthly pay per worker in each tier.", NON_NEGATIVE),
    ("quality", ..., "quality (0-1)", "True quality delivered on each task tier.", FRACTION),
    ("reputation", None, "quality (0-1)",
     "What clients believe the quality is before any delivery (default: the true quality).",
     {**FRACTION, "fallback": "quality"}),
    ("price", ..., "$ / task-hour", "Price charged per task-hour in each tier.", POSITIVE),
    ("hiring_rate", ..., "per month",
     "Share of the gap between staff and demand filled by hiring each month.", FRACTION),
    ("attrition_rate", ..., "per month", "Share of workers who leave each month at market pay.",
     FRACTION),
    ("layoff_rate", ..., "per month",
     "Share of idle workers laid off each month while the vendor loses money.", FRACTION),
    ("recruiting_capacity", 0.2, "per month",
     "Most workers a vendor can add in a month, as a share of its larger of current and "
     "starting pool (recruiting and onboarding).", {"gt": 0, "le": 5}),
])  # fmt: skip

VENDOR = declare("vendor", [
    ("overhead", 0.0, "$ / month", "Fixed monthly costs besides wages.", NON_NEGATIVE),
    ("cash", 0.0, "$", "Cash at the start.", {}),
    ("valuation_multiple", 10.0, "x annual revenue",
     "Valuation as a multiple of smoothed annualised revenue (an investment re-marks it).",
     {"gt": 0, "le": 1000}),
])  # fmt: skip

CLIENT = declare("client", [
    ("budget", ..., "$ / month", "Data-labelling budget in the first month.", POSITIVE),
    ("budget_growth", 0.02, "per month", "Monthly growth rate of the budget.",
     {"ge": -0.5, "le": 0.5}),
    ("expert_share", 0.2, "share",
     "Share of the budget going to expert-tier work in the first month.", {"gt": 0, "lt": 1}),
    ("expert_trend", 0.5, "log-odds / year", "Yearly rise in the log-odds of the expert share.",
     {"ge": -5, "le": 5}),
    ("quality_sensitivity", 8.0, "utility / quality",
     "Weight of believed quality in the choice of vendor (b_q).", {"ge": 0, "le": 100}),
    ("price_sensitivity", 1.0, "utility / log $",
     "Weight of log price in the choice of vendor (b_p, an elasticity).", {"ge": 0, "le": 20}),
    ("conflict_sensitivity", 4.0, "utility / ownership share",
     "Utility lost per unit of a vendor owned by rivals (b_c).", {"ge": 0, "le": 100}),
    ("defection_threshold", 0.15, "share of spend",
     "Fall in a vendor's share of this client's spend that counts as a defection.",
     {"gt": 0, "le": 1}),
])  # fmt: skip

STRATEGY = tuple(d for d in strategies.PARAMETERS if d.group == "strategy")
CLIENT = CLIENT + tuple(d for d in strategies.PARAMETERS if d.scope == "client")

DECLARED: tuple[Declared, ...] = MARKET + TIER + VENDOR + STRATEGY + CLIENT
"""Every declared parameter, market first, in the order the schema lists them."""
BY_NAME: dict[str, Declared] = {d.name: d for d in DECLARED}


def in_scope(scope: Scope, group: str | None = None) -> tuple[Declared, ...]:
    """The declarations of one scope (and block of a vendor), in declaration order."""
    return tuple(d for d in DECLARED if d.scope == scope and d.group == group)
