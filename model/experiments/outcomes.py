"""Outcome metrics: one number per run, computed from a chunk's `RunResult` at once.

Flows (revenue, a client's spend at a vendor, unserved money, defections) add up over a calendar year, or over the whole
horizon when no year is given. Shares and concentration (HHI) are of revenue over that year,
or of the last month. Stocks (workforce, valuation) are read at the year's last simulated
month, or at the end. `leave_month` is the month (counted from the scenario's first month,
0-based) of a client's first defection from a vendor, NaN if it never leaves. An outcome
`versus_baseline` is the run minus the baseline scenario's run with the same seed and
parameters: common random numbers, so the difference carries little replicate noise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from labelmarket.model.core.business_models import BUSINESS_MODELS
from labelmarket.model.core.world import World
from labelmarket.model.drivers.batched import RunResult
from labelmarket.model.results.metrics import ordered_sum
from labelmarket.model.scenario.problems import did_you_mean

if TYPE_CHECKING:
    from labelmarket.model.experiments.sweep_file import OutcomeSpec

SHARE_OF_MODEL = {m.share_metric: m.name for m in BUSINESS_MODELS}
"""Market metrics that are one business model's share of revenue, with that model."""
UNITS = {
    "revenue": "$",
    "spend": "$",
    "market_share": "share of revenue",
    **dict.fromkeys(SHARE_OF_MODEL, "share of revenue"),
    "hhi": "HHI (0-1)",
    "defections": "defections",
    "leave_month": "months after start",
    "workforce": "workers",
    "valuation": "$",
    "unserved": "$",
}
"""Every outcome metric a sweep may ask for, with its unit."""
NEEDS_VENDOR = {"revenue", "spend", "market_share", "leave_month", "workforce", "valuation"}
NEEDS_CLIENT = {"leave_month", "spend"}
TAKES_VENDOR = NEEDS_VENDOR | {"defections"}
TAKES_CLIENT = NEEDS_CLIENT | {"defections", "unserved"}


@dataclass(frozen=True)
class Outcome:
    """An outcome resolved against a world: indices instead of names, months instead of years."""

    spec: OutcomeSpec
    name: str
    unit: str
    vendor: int | None
    client: int | None
    months: np.ndarray | None  # months of the year (None: whole horizon, or the end)


def outcome_name(spec: OutcomeSpec) -> str:
    """Column name: `revenue_2026[Scale AI]`, `leave_month[Google->Scale AI] vs baseline`."""
    if spec.name:
        return spec.name
    when = f"_{spec.year}" if spec.year else ("" if spec.metric in ("leave_month",) else "_end")
    if spec.metric in ("revenue", "spend", "unserved", "defections") and not spec.year:
        when = "_total"
    who = "->".join(w for w in (spec.client, spec.vendor) if w)
    name = f"{spec.metric}{when}" + (f"[{who}]" if who else "")
    return name + (" vs baseline" if spec.versus_baseline else "")


def resolve_outcomes(specs: list[OutcomeSpec], world: World, years: np.ndarray) -> list[Outcome]:
    """Check every outcome against the world; raise ValueError listing each problem."""
    problems, out = [], []
    for spec in specs:
        where = f"outcomes[{outcome_name(spec)}]"
        for side, needs, takes, names in (
            ("vendor", NEEDS_VENDOR, TAKES_VENDOR, world.vendors),
            ("client", NEEDS_CLIENT, TAKES_CLIENT, world.clients),
        ):
            value = getattr(spec, side)
            if spec.metric in needs and value is None:
                problems.append(f"{where}: metric '{spec.metric}' needs a {side}")
            elif value is not None and spec.metric not in takes:
                problems.append(f"{where}: metric '{spec.metric}' takes no {side}")
            elif value is not None and value not in names:
                hint = did_you_mean(value, names) or f"; known: {', '.join(names)}"
                problems.append(f"{where}: unknown {side} '{value}'{hint}")
        if spec.year is not None and spec.year not in years:
            span = f"{years.min()}-{years.max()}"
            problems.append(f"{where}: year {spec.year} is outside the horizon ({span})")
        if spec.year is not None and spec.metric == "leave_month":
            problems.append(f"{where}: 'leave_month' looks at the whole horizon; drop `year`")
        if problems:
            continue
        out.append(
            Outcome(
                spec,
                outcome_name(spec),
                UNITS[spec.metric],
                world.vendors.index(spec.vendor) if spec.vendor else None,
                world.clients.index(spec.client) if spec.client else None,
                None if spec.year is None else np.flatnonzero(years == spec.year),
            )
        )
    names = [o.name for o in out]
    problems += [
        f"outcomes: two outcomes are named '{n}'" for n in set(names) if names.count(n) > 1
    ]
    if problems:
        raise ValueError("\n".join(problems))
    return out


def _share(revenue: np.ndarray, months: np.ndarray | None) -> np.ndarray:
    """(R, V) share of revenue over those months (or the last month)."""
    total = ordered_sum(revenue[months], 0) if months is not None else revenue[-1]
    market = ordered_sum(total, -1)[:, None]
    return total / np.where(market > 0, market, 1.0)


def _defections(o: Outcome, d: dict[str, np.ndarray], replicates: int) -> np.ndarray:
    """Defections per replicate, filtered by client, vendor and year."""
    keep = np.ones(len(d["replicate"]), dtype=bool)
    if o.client is not None:
        keep &= d["client"] == o.client
    if o.vendor is not None:
        keep &= d["vendor"] == o.vendor
    if o.months is not None:
        keep &= np.isin(d["month"], o.months)
    counts = np.bincount(d["replicate"][keep].astype(np.int64), minlength=replicates)
    if o.spec.metric == "defections":
        return counts.astype(float)
    first = np.full(replicates, np.nan)
    rows, months = d["replicate"][keep].astype(np.int64), d["month"][keep].astype(float)
    order = np.argsort(months, kind="stable")[::-1]  # earliest written last, so it wins
    first[rows[order]] = months[order]
    return first


def _pair_spend(h: dict[str, np.ndarray], o: Outcome) -> np.ndarray:
    """A client's monthly spend at a vendor, both tiers: (T, R)."""
    return ordered_sum(h["spend"][:, :, o.client, o.vendor], -1)


def metric(o: Outcome, result: RunResult, world: World) -> np.ndarray:
    """One outcome for every replicate of `result` (without the baseline difference)."""
    h, m, kind = result.history, o.months, o.spec.metric
    if kind in ("defections", "leave_month"):
        return _defections(o, result.defections, result.replicates)
    if kind in ("revenue", "spend"):
        rev = h["revenue"][:, :, o.vendor] if kind == "revenue" else _pair_spend(h, o)
        return ordered_sum(rev[m] if m is not None else rev, 0)
    if kind == "unserved":
        lost = h["unserved"] if o.client is None else h["unserved"][:, :, o.client : o.client + 1]
        lost = ordered_sum(lost, -1)
        return ordered_sum(lost[m] if m is not None else lost, 0)
    if kind in ("workforce", "valuation"):
        series = h[kind] if kind == "valuation" else ordered_sum(h["workforce"], -1)
        return series[m[-1] if m is not None else -1, :, o.vendor].astype(float)
    share = _share(h["revenue"], m)
    if kind == "market_share":
        return share[:, o.vendor]
    if kind in SHARE_OF_MODEL:
        return ordered_sum(share[:, world.of_model(SHARE_OF_MODEL[kind])], -1)
    return ordered_sum(share**2, -1)  # hhi


def compute(
    outcomes: list[Outcome],
    result: RunResult,
    world: World,
    baseline: RunResult | None = None,
    baseline_outcomes: list[Outcome] | None = None,
    baseline_world: World | None = None,
) -> dict[str, np.ndarray]:
    """Every outcome for every replicate: name -> (R,) float array."""
    out = {}
    for i, o in enumerate(outcomes):
        value = metric(o, result, world).astype(float)
        if o.spec.versus_baseline:
            assert baseline is not None and baseline_outcomes and baseline_world is not None
            value = value - metric(baseline_outcomes[i], baseline, baseline_world)
        out[o.name] = value
    return out
