"""Cross-field checks pydantic cannot express field by field: names and dates.

Each check returns (field path, message) so the error names the exact place in the file.
"""

from __future__ import annotations

import difflib

from labelmarket.model.scenario.schema import Scenario


def month_index(start: str, month: str) -> int:
    """Months from `start` to `month` (both YYYY-MM); month 0 is the first simulated month."""
    y0, m0 = (int(x) for x in start.split("-"))
    y1, m1 = (int(x) for x in month.split("-"))
    return (y1 - y0) * 12 + (m1 - m0)


def _unknown(kind: str, name: str, names: list[str]) -> str:
    """Message for a reference to a name the scenario does not declare."""
    near = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
    hint = f"; did you mean '{near[0]}'?" if near else ";"
    return f"unknown {kind} '{name}'{hint} allowed: {', '.join(names)}"


def check_references(s: Scenario) -> list[tuple[str, str]]:
    """Every cross-reference problem in a validated scenario, as (field, message)."""
    problems: list[tuple[str, str]] = []
    horizon = month_index(s.start, s.end)
    if horizon < 0:
        problems.append(("end", f"must not be before start ({s.start})"))
    vendors = [v.name for v in s.vendors]
    clients = [c.name for c in s.clients]
    for kind, names in (("vendors", vendors), ("clients", clients)):
        for name in {n for n in names if names.count(n) > 1}:
            problems.append((f"{kind}[{name}].name", "duplicate name; names must be unique"))
    for c in s.clients:
        for v, share in c.current_vendors.items():
            if v not in vendors:
                problems.append(
                    (f"clients[{c.name}].current_vendors", _unknown("vendor", v, vendors))
                )
            if share < 0:
                problems.append((f"clients[{c.name}].current_vendors.{v}", "must be >= 0"))
        if sum(c.current_vendors.values()) > 1.0 + 1e-9:
            problems.append((f"clients[{c.name}].current_vendors", "shares must sum to at most 1"))
    for i, e in enumerate(s.events):
        where = f"events[{i}]"
        m = month_index(s.start, e.month)
        if not 0 <= m <= max(horizon, 0):
            problems.append(
                (f"{where}.month", f"{e.month} is outside the horizon {s.start} to {s.end}")
            )
        for field, kind, names in (
            ("vendor", "vendor", vendors),
            ("client", "client", clients),
            ("investor", "client", clients),
        ):
            name = getattr(e, field, None)
            if name is not None and name not in names:
                problems.append((f"{where}.{field}", _unknown(kind, name, names)))
    return problems
