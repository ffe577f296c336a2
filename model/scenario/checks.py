"""Cross-field checks pydantic cannot express field by field: names and dates.

Each check returns (field path, message) so the error names the exact place in the file.
"""

from __future__ import annotations

from labelmarket.model.scenario.fields import month_index
from labelmarket.model.scenario.problems import did_you_mean
from labelmarket.model.scenario.schema import Scenario


def unknown_name(kind: str, name: str, names: list[str]) -> str:
    """Message for a reference to a name the scenario does not declare."""
    return f"unknown {kind} '{name}'{did_you_mean(name, names) or ';'} allowed: {', '.join(names)}"


def check_references(s: Scenario) -> list[tuple[str, str]]:
    """Every cross-reference problem in a validated scenario, as (field, message)."""
    problems: list[tuple[str, str]] = []
    horizon = month_index(s.start, s.end)
    if horizon < 0:
        problems.append(("end", f"must not be before start ({s.start})"))
    names = {"vendor": [v.name for v in s.vendors], "client": [c.name for c in s.clients]}
    for kind, listed in names.items():
        for name in {n for n in listed if listed.count(n) > 1}:
            problems.append((f"{kind}s[{name}].name", "duplicate name; names must be unique"))
    for c in s.clients:
        problems += _incumbency(c, names["vendor"])
    for i, e in enumerate(s.events):
        where = f"events[{i}]"
        m = month_index(s.start, e.month)
        if not 0 <= m <= max(horizon, 0):
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
