"""Monthly series of a run that calibration targets measure, from its recorded history.

Each series takes (world, history, args) and returns a (T, R) array: a client's spend at a
vendor or a group of vendors (a business model, or the vendors an article names), a
vendor's workforce, revenue or valuation, layoffs as a share of the workforce, the expert
share of a segment's budgets. `args` name the client, vendor, business model (`group`),
vendors (a list), tier or segment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from labelmarket.model.core import business_models
from labelmarket.model.core.world import World
from labelmarket.model.scenario.schema import Scenario

Args = dict[str, str | list[str]]
Series = Callable[[World, dict[str, np.ndarray], Args], np.ndarray]


def ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den with 0/0 read as 0 (a client that buys nothing sends nothing anywhere)."""
    return np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)


def _vendors(world: World, args: Args) -> np.ndarray:
    """Vendor mask from `vendor: NAME`, `vendors: [NAME, ...]` or `group: crowd|expert`."""
    if "vendor" in args:
        return np.array([v == args["vendor"] for v in world.vendors])
    if "vendors" in args:
        return np.array([v in args["vendors"] for v in world.vendors])
    return world.of_model(str(args["group"]))


def _tiers(args: Args) -> slice:
    """Tier slice from `tier: generalist|expert` (both when absent)."""
    return {"generalist": slice(0, 1), "expert": slice(1, 2)}.get(args.get("tier", ""), slice(None))


def _spend(world: World, h: dict[str, np.ndarray], a: Args) -> np.ndarray:
    c = world.clients.index(a["client"])
    return h["spend"][:, :, c][:, :, _vendors(world, a)][..., _tiers(a)].sum(axis=(2, 3))


def _client_lead(world: World, h: dict[str, np.ndarray], a: Args) -> np.ndarray:
    c, v = world.clients.index(a["client"]), world.vendors.index(a["vendor"])
    at_vendor = h["spend"][:, :, :, v].sum(-1)  # (T, R, C)
    others = np.delete(at_vendor, c, axis=2).max(axis=2)
    return ratio(at_vendor[:, :, c], others)


def _group_share(world: World, h: dict[str, np.ndarray], a: Args) -> np.ndarray:
    c = world.clients.index(a["client"])
    spend = h["spend"][:, :, c][..., _tiers(a)].sum(-1)  # (T, R, V)
    return ratio(spend[..., _vendors(world, a)].sum(-1), spend.sum(-1))


def _vendor_metric(key: str) -> Series:
    def series(world: World, h: dict[str, np.ndarray], a: Args) -> np.ndarray:
        x = h[key][:, :, _vendors(world, a)]
        return x[..., _tiers(a)].sum(axis=(2, 3)) if x.ndim == 4 else x.sum(axis=2)

    return series


def _layoff_share(world: World, h: dict[str, np.ndarray], a: Args) -> np.ndarray:
    mask = _vendors(world, a)
    laid = h["layoffs"][:, :, mask].sum(axis=(2, 3))
    return ratio(laid, h["workforce"][:, :, mask].sum(axis=(2, 3)))


def _expert_budget_share(world: World, h: dict[str, np.ndarray], a: Args) -> np.ndarray:
    who = world.is_lab if a["segment"] == "lab" else ~world.is_lab
    budget = h["budget"][:, :, who].sum(axis=2)  # (T, R, 2)
    return ratio(budget[..., 1], budget.sum(-1))


@dataclass(frozen=True)
class SeriesInfo:
    """A named monthly series, the arguments it needs and its unit."""

    compute: Series
    needs: tuple[frozenset[str], ...]  # alternatives: one of these key sets exactly
    optional: frozenset[str]
    unit: str
    meaning: str


_V = (frozenset({"vendor"}), frozenset({"vendors"}), frozenset({"group"}))
SERIES: dict[str, SeriesInfo] = {
    "spend": SeriesInfo(
        _spend,
        (frozenset({"client", "vendor"}), frozenset({"client", "group"})),
        frozenset({"tier"}),
        "$/month",
        "a client's spend at a vendor (or a group of vendors)",
    ),
    "client_lead": SeriesInfo(
        _client_lead,
        (frozenset({"client", "vendor"}),),
        frozenset(),
        "x",
        "a client's spend at a vendor over the next-largest client's",
    ),
    "group_share": SeriesInfo(
        _group_share,
        (frozenset({"client", "group"}), frozenset({"client", "vendor"})),
        frozenset({"tier"}),
        "share",
        "share of a client's (tier) spend going to a vendor or a group of vendors",
    ),
    "workforce": SeriesInfo(
        _vendor_metric("workforce"), _V, frozenset({"tier"}), "workers", "workers"
    ),
    "revenue": SeriesInfo(_vendor_metric("revenue"), _V, frozenset(), "$/month", "revenue"),
    "push": SeriesInfo(
        _vendor_metric("push"), _V, frozenset(), "0..1", "a vendor's expert push (skill mix)"
    ),
    "valuation": SeriesInfo(_vendor_metric("valuation"), _V, frozenset(), "$", "valuation"),
    "layoff_share": SeriesInfo(
        _layoff_share, _V, frozenset(), "share/month", "workers laid off over the workforce"
    ),
    "expert_budget_share": SeriesInfo(
        _expert_budget_share,
        (frozenset({"segment"}),),
        frozenset(),
        "share",
        "expert-tier share of a segment's budgets",
    ),
}


def check_args(name: str, args: Args, scenario: Scenario) -> str | None:
    """Why a series' arguments are wrong for this scenario, or None."""
    info = SERIES[name]
    keys = set(args) - info.optional
    if not any(keys == need for need in info.needs):
        want = " or ".join("{" + ", ".join(sorted(n)) + "}" for n in info.needs)
        return f"series '{name}' needs arguments {want}, got {sorted(args)}"
    vendors = [v.name for v in scenario.vendors]
    allowed = {
        "client": [c.name for c in scenario.clients],
        "vendor": vendors,
        "vendors": vendors,
        "group": list(business_models.NAMES),
        "tier": ["generalist", "expert"],
        "segment": ["lab", "enterprise"],
    }
    for key, value in args.items():
        if isinstance(value, list) != (key == "vendors") or (key == "vendors" and not value):
            return f"{key} must be {'a list of names' if key == 'vendors' else 'one name'}"
        for one in value if isinstance(value, list) else [value]:
            if one not in allowed[key]:
                return f"{key} '{one}' is not one of: {', '.join(allowed[key])}"
    return None
