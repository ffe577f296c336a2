"""The market's mutable state, as record arrays: vendors, clients, client-vendor pairs, memory.

One axis order throughout: replicate first, then client, vendor (R, C, V); a field holds
one value or one per task tier (generalist, expert). Every rule changes these arrays in
place, reading fields by name (`vendors[r, v].workforce[k]`); events
(`model.scenario.events`) and Mesa agents read and write the same arrays
(`state.vendors["cash"][:, v]`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import NamedTuple

import numpy as np

from labelmarket.model.core.declared import TIERED, record_dtype
from labelmarket.model.core.parameters import Parameters
from labelmarket.model.core.world import Structure

TERM_NAMES: tuple[str, ...] = (
    "quality",
    "price",
    "conflict of interest",
    "capacity",
    "task mix",
    "scripted pause",
)
"""What a defection is attributed to: a cause the choice weighs (quality beliefs, prices, a
conflict of interest, the task mix of the client's budget), a vendor that could not serve
(capacity), or, last, a pause/exit event that blocked the pair: a script, not a choice."""

LOOKBACK = 12
"""Months of history kept beyond the defection window (for falls with an older cause)."""
F8, BOOL, I8 = np.float64, np.bool_, np.int64

VENDOR = record_dtype([
    ("workforce", *TIERED),  # workers
    ("wage", *TIERED),  # $ per worker-month
    ("wage_start", *TIERED),  # pay at the start: the reference of quality's pay link
    ("quality", *TIERED),  # true delivered quality, 0..1
    ("quality_target", *TIERED),  # level quality drifts back (or ramps) to, before pay
    ("quality_rate", *TIERED),  # share of the gap closed a month after an event (0: normal)
    ("price", *TIERED),  # $ per task-hour
    ("hiring_rate", *TIERED),  # share of the staffing gap hired each month
    ("recruit_base", *TIERED),  # starting pool: recruiting capacity scales with it
    ("util_ema", *TIERED),  # smoothed utilisation of capacity
    ("util_normal", *TIERED),  # utilisation where the rules settled before the start
    ("shortage_ema", *TIERED),  # smoothed staffing shortfall (target - staff) / target
    ("shortage_normal", *TIERED),  # shortfall where the rules settled before the start
    ("price_anchor", *TIERED),  # usual log price against the market's mean log price
    ("wage_anchor", *TIERED),  # usual log pay against peers' mean log pay
    ("share_fast", *TIERED),  # vendor's share of its tier's spend, smoothed (recent)
    ("share_slow", *TIERED),  # the same, smoothed over about a year
    ("generalist_fast", F8),  # generalist-tier revenue, smoothed (recent)
    ("generalist_slow", F8),  # the same over about a year
    ("push", F8),  # expert push, 0..1 (skill-mix strategy)
    ("cash", F8),  # $
    ("revenue_ema", F8),  # $ per month, smoothed
    ("revenue_slow", F8),  # $ per month, smoothed over about a year
    ("profit_ema", F8),  # $ per month, smoothed
    ("losing_normal", F8),  # losses over revenue where the rules settled before the start
    ("valuation_multiple", F8),  # valuation / annualised smoothed revenue
    ("base_multiple", F8),  # the vendor's fundamental multiple at steady revenue
    ("active", BOOL),  # the vendor is in the market
])  # fmt: skip
"""Each vendor: (R, V)."""

CLIENT = record_dtype(
    [
        ("budget_factor", F8),  # multiplier on the budget path (demand shifts, pauses)
        ("expert_shift", F8),  # added log-odds of the expert share
        ("invested", F8),  # $ paid for stakes, cumulative
    ]
)
"""Each client: (R, C)."""

PAIR = record_dtype([
    ("belief_mean", *TIERED),  # believed quality
    ("belief_precision", *TIERED),  # 1 / variance of that belief
    ("contracts", *TIERED),  # contract shares of each tier's budget
    ("match", F8),  # client-vendor fit: the utility the observed shares reveal
    ("stake", F8),  # share of vendor v owned by client c
    ("founder", F8),  # extra exposure when v's founder joined client c
    ("exposure", F8),  # rivals' ownership of v as client c sees it
    ("salience", F8),  # fading part of a conflict's weight, 1 when it starts
    ("blocked", BOOL),  # client c does not buy from v (pause/exit)
    ("last_defection", I8),  # month of the pair's last defection
])  # fmt: skip
"""Each client-vendor pair: (R, C, V)."""

TREND = record_dtype([("expert_fast", F8), ("expert_slow", F8)])
"""The market's expert-tier spend, smoothed (recent, about a year): (R,)."""

RING_PAIR = record_dtype(
    [
        ("share", F8),  # vendor's share of the client's spend
        ("conflict", F8),  # conflict utility the choice used
        ("belief", *TIERED),  # beliefs the choice used
    ]
)
RING_VENDOR = record_dtype([("log_price", *TIERED)])  # log prices the choice used
RING_CLIENT = record_dtype(
    [
        ("spent", BOOL),  # the client spent anything that month
        ("weight", *TIERED),  # tiers' shares of the client's budget
    ]
)


class Rings(NamedTuple):
    """The last L months, indexed by month % L: what defections are measured and attributed
    against (L = defection window + 1 + LOOKBACK)."""

    month: np.ndarray  # (R, L) int: month held in each slot (-1: none yet)
    pairs: np.ndarray  # (R, L, C, V) RING_PAIR
    vendors: np.ndarray  # (R, L, V) RING_VENDOR
    clients: np.ndarray  # (R, L, C) RING_CLIENT


@dataclass
class MarketState:
    """Everything that changes month to month, for R replicates."""

    month: int
    vendors: np.ndarray  # (R, V) VENDOR
    clients: np.ndarray  # (R, C) CLIENT
    pairs: np.ndarray  # (R, C, V) PAIR
    trend: np.ndarray  # (R,) TREND
    rings: Rings

    @property
    def replicates(self) -> int:
        """Number of replicates held."""
        return len(self.vendors)

    def repeat(self, replicates: int) -> MarketState:
        """The same state for `replicates` replicates (a start computed once, then copied)."""
        copy = {f.name: np.repeat(getattr(self, f.name), replicates, axis=0)
                for f in fields(self) if f.name not in ("month", "rings")}  # fmt: skip
        rings = Rings(*(np.repeat(a, replicates, axis=0) for a in self.rings))
        return MarketState(month=self.month, rings=rings, **copy)


def observed_shares(p: Parameters, shares: np.ndarray, active: np.ndarray) -> np.ndarray:
    """The scenario's starting shares (R, C, V), every active vendor at least at the trial
    share (a client tries every vendor a little), summing to 1 over active vendors."""
    floor = p.market["trial_share"][:, None, None]
    shares = np.where(active[:, None, :], np.maximum(shares, floor), 0.0)
    return shares / shares.sum(axis=-1, keepdims=True)


def initial_state(p: Parameters, structure: Structure, shares: np.ndarray) -> MarketState:
    """Month-0 state of a batched world, before the start-up (`model.core.startup`)."""
    r, c, v = shares.shape
    vp = p.vendor
    vendors = np.zeros((r, v), VENDOR)
    for name in ("workforce", "wage", "wage_start", "quality", "quality_target", "price",
                 "hiring_rate", "recruit_base"):  # fmt: skip
        source = {"wage_start": "wage", "quality_target": "quality", "recruit_base": "workforce"}
        vendors[name] = vp[source.get(name, name)]
    vendors["cash"] = vp["cash"]
    vendors["valuation_multiple"] = vp["valuation_multiple"]
    vendors["base_multiple"] = vp["valuation_multiple"]
    vendors["active"] = structure.entry_month <= 0
    pairs = np.zeros((r, c, v), PAIR)
    pairs["belief_mean"] = vp["reputation"][:, None]
    pairs["belief_precision"] = p.market["prior_precision"][:, None, None, None]
    pairs["contracts"] = observed_shares(p, shares, vendors["active"])[..., None]
    pairs["last_defection"] = -(10**6)
    clients = np.zeros((r, c), CLIENT)
    clients["budget_factor"] = 1.0
    length = structure.defection_window + 1 + LOOKBACK
    return MarketState(
        month=0, vendors=vendors, clients=clients, pairs=pairs, trend=np.zeros(r, TREND),
        rings=Rings(
            month=np.full((r, length), -1, dtype=I8),
            pairs=np.zeros((r, length, c, v), RING_PAIR),
            vendors=np.zeros((r, length, v), RING_VENDOR),
            clients=np.zeros((r, length, c), RING_CLIENT),
        ),
    )  # fmt: skip


def refresh_exposure(state: MarketState, is_lab: np.ndarray) -> None:
    """Recompute each client's conflict exposure at each vendor after ownership changed.

    A lab sees a vendor as conflicted by the stakes (and the founder) that *other* labs hold
    in it; enterprise buyers do not compete with labs and see no conflict. Where exposure
    rises, the conflict is new and weighs in full again (its salience restarts at 1).
    """
    pairs = state.pairs
    own = (pairs["stake"] + pairs["founder"]) * is_lab[None, :, None]  # (R, C, V), labs only
    rivals = own.sum(axis=1, keepdims=True) - own  # what the other labs hold
    exposure = np.clip(rivals, 0.0, 1.0) * is_lab[None, :, None]
    pairs["salience"] = np.where(exposure > pairs["exposure"], 1.0, pairs["salience"])
    pairs["exposure"] = exposure
