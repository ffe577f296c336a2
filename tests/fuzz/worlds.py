"""Valid but extreme scenarios, generated from the parameter declarations (hypothesis).

Every number is drawn at a bound of its declared range, at its default or anywhere in
between, so the worlds include one vendor or a hundred, one client, sensitivities at zero
and at their maximum, budgets of a fraction of a cent and of a trillion dollars a month.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from labelmarket.model.core.business_models import NAMES
from labelmarket.model.core.parameters import Declared, in_scope
from labelmarket.model.core.strategies import POLICIES, VENDOR_DECISIONS
from labelmarket.model.core.world import TIERS

START = "2024-01"


def number(d: Declared) -> st.SearchStrategy[float]:
    """A value of a declared parameter: a bound, the default, or anywhere in the range."""
    low, high = d.bounds
    if d.integer:
        return st.integers(int(low), int(high))
    default = d.default if not isinstance(d.default, dict) else None
    picks = [low, high] + ([default] if default is not None else [])
    one = st.one_of(st.sampled_from(picks), st.floats(low, high))
    return st.fixed_dictionaries({t: one for t in TIERS}) if d.tiered else one


def _block(scope: str) -> st.SearchStrategy[dict[str, Any]]:
    """Every parameter of a scope, drawn with `number` (tier ones as a pair)."""
    fields: dict[str, st.SearchStrategy] = {}
    for d in in_scope(scope):  # type: ignore[arg-type]
        fields[d.name] = number(d)
    return st.fixed_dictionaries(fields)


def _strategy() -> st.SearchStrategy[dict[str, Any]]:
    """A vendor's `strategy:` block: any policy per decision, parameters at their edges."""
    fields: dict[str, st.SearchStrategy] = {
        decision: st.sampled_from(sorted(POLICIES[decision])) for decision in VENDOR_DECISIONS
    }
    fields.update({d.name: number(d) for d in in_scope("vendor", "strategy")})
    return st.fixed_dictionaries({}, optional=fields)


def _vendor(name: str) -> st.SearchStrategy[dict[str, Any]]:
    tiers = {d.name: st.fixed_dictionaries({t: number(d) for t in TIERS}) for d in in_scope("tier")}
    base = {"name": st.just(name), "model": st.sampled_from(NAMES), "strategy": _strategy()}
    return st.fixed_dictionaries({**base, **tiers}).flatmap(
        lambda v: _block("vendor").map(lambda extra: {**v, **extra})
    )


def _client(name: str, vendors: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    share = st.dictionaries(st.sampled_from(vendors), st.floats(0, 1 / len(vendors)), max_size=3)
    base = {"name": st.just(name), "segment": st.sampled_from(["lab", "enterprise"])}
    return st.fixed_dictionaries({**base, "current_vendors": share}).flatmap(
        lambda c: _block("client").map(lambda extra: {**c, **extra})
    )


def _month(months: int) -> st.SearchStrategy[str]:
    return st.integers(0, months - 1).map(lambda m: f"{2024 + m // 12}-{m % 12 + 1:02d}")


def _events(vendors: list[str], clients: list[str], months: int) -> st.SearchStrategy[list]:
    v, c, m = st.sampled_from(vendors), st.sampled_from(clients), _month(months)
    one = st.one_of(
        st.fixed_dictionaries({"type": st.just("investment"), "month": m, "investor": c,
                               "vendor": v, "stake": st.sampled_from([1e-4, 0.49, 1.0]),
                               "amount": st.sampled_from([0.0, 1e13]),
                               "founder_moves": st.booleans()}),
        st.fixed_dictionaries({"type": st.just("demand_shift"), "month": m,
                               "budget_factor": st.sampled_from([1e-300, 0.5, 100.0]),
                               "expert_shift": st.sampled_from([-10.0, 0.0, 10.0])}),
        st.fixed_dictionaries({"type": st.just("quality_shock"), "month": m, "vendor": v,
                               "delta": st.sampled_from([-1.0, 1.0])}),
        st.fixed_dictionaries({"type": st.just("pay_cut"), "month": m, "vendor": v,
                               "fraction": st.sampled_from([1e-9, 0.999999])}),
        st.fixed_dictionaries({"type": st.just("talent_departure"), "month": m, "vendor": v,
                               "fraction": st.just(1.0)}),
        st.fixed_dictionaries({"type": st.just("client_pause"), "month": m, "client": c}),
        st.fixed_dictionaries({"type": st.just("vendor_pivot"), "month": m, "vendor": v,
                               "expert_wage_factor": st.sampled_from([1e-9, 10.0])}),
    )  # fmt: skip
    return st.lists(one, max_size=4)


@st.composite
def extreme_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """A whole scenario mapping at the edges of what the schema accepts."""
    n_vendors = draw(st.sampled_from([1, 2, 5, 100]))
    n_clients = draw(st.sampled_from([1, 2, 7]))
    months = draw(st.sampled_from([1, 13, 36]))
    vendors = [f"V{i}" for i in range(n_vendors)]
    clients = [f"C{i}" for i in range(n_clients)]
    return {
        "name": "extreme",
        "start": START,
        "end": f"{2024 + (months - 1) // 12}-{(months - 1) % 12 + 1:02d}",
        "market": draw(_block("market")),
        "vendors": [draw(_vendor(name)) for name in vendors],
        "clients": [draw(_client(name, vendors)) for name in clients],
        "events": draw(_events(vendors, clients, months)),
    }
