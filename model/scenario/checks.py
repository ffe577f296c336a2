"""Cross-field checks pydantic cannot express field by field: names, dates, growth.

Each check returns (field path, message) so the error names the exact place in the file.
Every number is bounded field by field, but a budget compounds its growth over the horizon
and events multiply budgets and wages: `check_growth` bounds what they can reach, so the
money the rules handle stays finite.
"""

from __future__ import annotations

import math

from labelmarket.model.scenario.fields import month_index
from labelmarket.model.scenario.problems import did_you_mean
from labelmarket.model.scenario.schema import Scenario

MAX_BUDGET = 1e21
"""Largest monthly budget a client can reach ($): far beyond any economy, yet every sum the
rules form from it (spill-over, valuations, cash over 600 months) stays finite by a factor
of at least 1e60."""
MAX_WAGE = 1e12
"""Largest monthly wage a vendor's tier can reach ($ / worker-month), likewise."""


def unknown_name(kind: str, name: str, names: list[str]) -> str:
    """Message for a reference to a name the scenario does not declare."""
    return f"unknown {kind} '{name}'{did_you_mean(name, names) or ';'} allowed: {', '.join(names)}"


def check_references(s: Scenario) -> list[tuple[str, str]]:
    """Every cross-reference problem in a validated scenario, as (field, message)."""
    problems: list[tuple[str, str]] = []
    last = s.months - 1  # the last month's index
    names = {"vendor": [v.name for v in s.vendors], "client": [c.name for c in s.clients]}
    for kind, listed in names.items():
        for name in {n for n in listed if listed.count(n) > 1}:
            problems.append((f"{kind}s[{name}].name", "duplicate name; names must be unique"))
    for c in s.clients:
        problems += _incumbency(c, names["vendor"])
        if c.expert_share >= c.expert_share_ceiling:
            problems.append((f"clients[{c.name}].expert_share",
                             f"{c.expert_share:g} must be below its expert_share_ceiling "
                             f"({c.expert_share_ceiling:g})"))  # fmt: skip
    for i, e in enumerate(s.events):
        where = f"events[{i}]"
        m = month_index(s.start, e.month)
        if not 0 <= m <= max(last, 0):
            problems.append(
                (f"{where}.month", f"{e.month} is outside the horizon {s.start} to {s.end}")
            )
        for field, kind in e.references.items():
            name = getattr(e, field, None)
            if name is not None and name not in names[kind]:
                problems.append((f"{where}.{field}", unknown_name(kind, name, names[kind])))
    return problems


def _incumbency(c, vendors: list[str]) -> list[tuple[str, str]]:
    """Problems with one client's starting shares: unknown vendors, negatives, a sum above 1."""
    problems = []
    for v, share in c.current_vendors.items():
        if v not in vendors:
            problems.append(
                (f"clients[{c.name}].current_vendors", unknown_name("vendor", v, vendors))
            )
        if share < 0:
            problems.append((f"clients[{c.name}].current_vendors.{v}", "must be >= 0"))
    if sum(c.current_vendors.values()) > 1.0 + 1e-9:
        problems.append((f"clients[{c.name}].current_vendors", "shares must sum to at most 1"))
    return problems


def check_growth(s: Scenario) -> list[tuple[str, str]]:
    """Budgets and wages that compound past MAX_BUDGET / MAX_WAGE over the horizon."""
    steps = s.months - 1  # months over which a budget grows
    shifts: dict[str | None, float] = {}  # client (None: all) -> log10 of the rises
    pivots: dict[str, float] = {}  # vendor -> log10 of its expert pay rises
    for e in s.events:
        if e.type == "demand_shift":
            shifts[e.client] = shifts.get(e.client, 0.0) + math.log10(max(e.budget_factor, 1.0))
        elif e.type == "vendor_pivot":
            pivots[e.vendor] = pivots.get(e.vendor, 0.0) + math.log10(e.expert_wage_factor)
    problems = []
    for c in s.clients:
        growth = steps * math.log10(max(1.0 + c.budget_growth, 1.0))
        reach = math.log10(c.budget) + growth + shifts.get(None, 0.0) + shifts.get(c.name, 0.0)
        if reach > math.log10(MAX_BUDGET):
            problems.append((
                f"clients[{c.name}].budget",
                f"with its growth and demand shifts it reaches 1e{reach:.0f} $ a month; at most "
                f"{MAX_BUDGET:g} is allowed (lower the budget, budget_growth or the shifts)",
            ))  # fmt: skip
    for v in s.vendors:
        reach = math.log10(max(v.wage.expert, 1.0)) + max(pivots.get(v.name, 0.0), 0.0)
        if reach > math.log10(MAX_WAGE):
            problems.append((
                f"vendors[{v.name}].wage.expert",
                f"its pivots raise it to 1e{reach:.0f} $ a month; at most {MAX_WAGE:g} is allowed",
            ))  # fmt: skip
    return problems
