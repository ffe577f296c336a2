"""The market's claims a domain economist would sign, each measured on runs.

A claim is a number measured on one run or on a pair of runs of the same seeds (a world and
the same world without one thing): `tests/test_behaviour.py` asserts each against its bound
and `benchmarks/bench_dynamics.py` prints them all. Money in $, shares in 0..1, months from
the scenario's start.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from labelmarket.model.core.finance import EXITED
from labelmarket.model.core.state import TERM_NAMES
from labelmarket.model.core.world import World
from labelmarket.model.drivers.batched import RunResult
from labelmarket.model.results.posterior import apply_sample, read_sample
from labelmarket.model.scenario.compile import compile_world
from labelmarket.model.scenario.loading import load_scenario
from labelmarket.model.scenario.schema import Scenario


def scenario_world(
    path: str | Path,
    sets: Sequence[str] = (),
    keep_events: Sequence[str] | None = None,
    end: str | None = None,
) -> World:
    """A scenario compiled with overrides, keeping only the event types named (None: all)
    and with another last month: the same world without one of its causes."""
    data = dict(load_scenario(path, list(sets)).resolved)
    if keep_events is not None:
        data["events"] = [e for e in data.get("events", []) if e["type"] in keep_events]
    if end is not None:
        data["end"] = end
    return compile_world(Scenario.model_validate(data))


def quiet_on_posterior(path: Path, seeds: np.ndarray) -> World:
    """A scenario without events to 2032-12, each replicate with the parameter set its seed
    draws from the posterior sample beside the scenario (as `run --posterior` gives it)."""
    sample = path.with_suffix(".posterior.parquet")
    data = dict(load_scenario(path).resolved)
    data["events"], data["end"] = [], "2032-12"
    scenario = Scenario.model_validate(data)
    return apply_sample(read_sample(sample), scenario, compile_world(scenario), seeds)[0]


def spend_at(
    world: World, result: RunResult, clients: Sequence[str], vendor: str, tier: int | None = None
) -> np.ndarray:
    """Monthly spend of some clients at a vendor (one tier or both): (T, R)."""
    cs = [world.clients.index(c) for c in clients]
    spend = result.history["spend"][:, :, cs, world.vendors.index(vendor)]
    spend = spend.sum(-1) if tier is None else spend[..., tier]
    return spend.sum(axis=2)


def paired_ratio(a: np.ndarray, b: np.ndarray, months: slice) -> float:
    """Median over replicates of a's total over b's total in those months ((T, R) each)."""
    return float(np.median(a[months].sum(0) / np.maximum(b[months].sum(0), 1e-300)))


@dataclass
class QuietYears:
    """A world with no events, run long: does anything run away?"""

    vendors: pd.DataFrame  # per vendor: pay ratios, margins, cash spells, exits, moves
    hhi_ratio: float  # median of the last month's HHI over the first's
    defections: float  # per replicate


def longest_spell(flags: np.ndarray) -> np.ndarray:
    """Longest run of consecutive True along the first (month) axis, per cell of the rest."""
    run = best = np.zeros(flags.shape[1:], dtype=np.int64)
    for row in flags:
        run = np.where(row, run + 1, 0)
        best = np.maximum(best, run)
    return best


def _last_year_margins(world: World, h: dict) -> np.ndarray:
    """Each replicate's and vendor's operating margin over the last twelve months: (R, V)."""
    last = slice(world.months - 12, world.months)
    revenue = h["revenue"][last].sum(0)
    return (revenue - h["costs"][last].sum(0)) / np.maximum(revenue, 1e-300)


def quiet_years(world: World, result: RunResult) -> QuietYears:
    """Pay per tier (last month over first, median), the last year's operating margin
    (median and range over replicates), the longest spell operating with negative cash,
    the share of replicates where the vendor exits, and the HHI's drift."""
    h = result.history
    margins = _last_year_margins(world, h)
    spells = longest_spell((h["cash"] < 0) & h["active"])  # (R, V)
    rows = []
    for v, name in enumerate(world.vendors):
        pay = np.median(h["wage"][-1, :, v] / h["wage"][0, :, v], axis=0)
        margin = margins[:, v]
        rows.append({
            "vendor": name, "pay_generalist": pay[0], "pay_expert": pay[1],
            "margin": float(np.median(margin)), "margin_low": float(margin.min()),
            "margin_high": float(margin.max()),
            "negative_cash_months": int(spells[:, v].max()),
            "exits": float((h["money_reason"][:, :, v] == EXITED).any(0).mean()),
        })  # fmt: skip
    share = h["revenue"] / np.maximum(h["revenue"].sum(-1, keepdims=True), 1e-300)
    hhi = (share**2).sum(-1)
    return QuietYears(
        vendors=pd.DataFrame(rows).set_index("vendor"),
        hhi_ratio=float(np.median(hhi[-1] / hhi[0])),
        defections=len(result.defections["month"]) / result.replicates,
    )


def bound_breaks(world: World, result: RunResult) -> dict[str, np.ndarray]:
    """Per replicate, does any vendor break a quiet world's bound: pay per tier outside
    0.5-2x of its start, the last year's margin outside -25%..+60%, more than 12 months
    operating with negative cash? (R,) booleans per bound: a tail the medians hide."""
    h = result.history
    pay = h["wage"][-1] / h["wage"][0]  # (R, V, 2)
    margin = _last_year_margins(world, h)
    longest = longest_spell((h["cash"] < 0) & h["active"])  # (R, V)
    return {
        "pay outside 0.5-2x": ((pay < 0.5) | (pay > 2.0)).any(axis=(1, 2)),
        "2032 margin outside -25%..+60%": ((margin < -0.25) | (margin > 0.6)).any(axis=1),
        "negative cash > 12 months": (longest > 12).any(axis=1),
    }


def defection_causes(
    world: World, result: RunResult, vendor: str | None = None, since: int = 0
) -> Counter:
    """How many defections each cause drove (at one vendor, from a month on)."""
    d = result.defections
    keep = d["month"] >= since
    if vendor is not None:
        keep &= d["vendor"] == world.vendors.index(vendor)
    return Counter(TERM_NAMES[k] for k in d["driver"][keep])


def first_layoffs(
    result: RunResult, base: RunResult, vendor: int, since: int, excess: float = 1.0
) -> np.ndarray:
    """Months after `since` of each replicate's first layoffs beyond the same world's
    without the cause (-1: none): (R,)."""
    lay = result.history["layoffs"][since:, :, vendor].sum(-1)
    more = lay > base.history["layoffs"][since:, :, vendor].sum(-1) + excess
    return np.where(more.any(0), more.argmax(0), -1)


def start_state(world: World, result: RunResult) -> dict[str, float]:
    """Month 0 against the scenario: the workforce's largest gap to the stated one, the
    share of budgets left unspent, the highest utilisation."""
    h = result.history
    stated = np.asarray(world.values["workforce"], dtype=float)
    active = world.entry_month <= 0
    gap = np.abs(h["workforce"][0][:, active] / np.maximum(stated[active], 1e-9) - 1)
    capacity = h["capacity"][0]
    util = h["served_hours"][0] / np.where(capacity > 0, capacity, 1.0)
    return {
        "workforce_gap": float(gap[:, stated[active] > 0].max()),
        "unspent": float((h["unserved"][0].sum(-1) / h["budget"][0].sum((-1, -2))).max()),
        "utilisation": float(util.max()),
    }
