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
    "vendor exit",
)
"""What a defection is attributed to: a cause the choice weighs (quality beliefs, prices, a
conflict of interest, the task mix of the client's budget), a vendor that could not serve
(capacity), a pause/exit event that blocked the pair (a script, not a choice), or the
vendor leaving the market because its cash ran out."""

LOOKBACK = 12
"""Months of history kept beyond the defection window (for falls with an older cause)."""
F8, BOOL, I8 = np.float64, np.bool_, np.int64

VENDOR = record_dtype([
    ("workforce", *TIERED),  # contractors
    ("wage", *TIERED),  # $ a worker-month at full hours (paid per task-hour worked)
    ("wage_start", *TIERED),  # pay at the start: the reference of quality's pay link
    ("quality", *TIERED),  # true delivered quality, 0..1
    ("quality_target", *TIERED),  # level quality drifts back (or ramps) to, before pay
    ("quality_rate", *TIERED),  # share of the gap closed a month after an event (0: normal)
    ("price", *TIERED),  # $ per task-hour
    ("hiring_rate", *TIERED),  # share of the staffing gap hired each month
    ("recruit_base", *TIERED),  # starting pool: recruiting capacity scales with it
    ("requested_hours", *TIERED),  # task-hours asked last month (staffing follows it)
    ("util_ema", *TIERED),  # smoothed utilisation of capacity
    ("util_normal", *TIERED),  # utilisation at the start: what the vendor staffs for
    ("attraction", *TIERED),  # what draws annotators besides pay (solved at the start)
    ("labour_supply", *TIERED),  # workers its pay draws from its labour market
    ("position", *TIERED),  # log price over cost times markup at the start (its positioning)
    ("cost_anchor", *TIERED),  # log pay per task-hour at the start
    ("markup_anchor", *TIERED),  # log markup at the start
    ("expert_share", F8),  # its revenue's expert share, smoothed
    ("expert_share_start", F8),  # the same at the start
    ("push", F8),  # expert push, 0..1 (skill-mix strategy)
    ("push_floor", F8),  # push committed to by a pivot
    ("cash", F8),  # $
    ("overhead", F8),  # $ per month: salaried core and platform
    ("overhead_ratio", F8),  # overhead over revenue at the start
    ("revenue_ema", F8),  # $ per month, smoothed
    ("revenue_slow", F8),  # $ per month, smoothed over about a year
    ("profit_ema", F8),  # $ per month, smoothed
    ("margin_normal", F8),  # operating margin at the start (0 if a loss)
    ("valuation_multiple", F8),  # valuation / annualised smoothed revenue
    ("base_multiple", F8),  # the vendor's fundamental multiple at steady revenue
    ("months_negative", I8),  # months in a row with negative cash
    ("active", BOOL),  # the vendor is in the market
    ("exited", BOOL),  # it left the market (cash ran out)
])  # fmt: skip
"""Each vendor: (R, V)."""

LABOUR = record_dtype([
    ("pool", F8),  # annotators able to do the tier's work, employed or not
    ("trend", F8),  # the pool at the start's pay, growing at its own pace
    ("outside_log_pay", F8),  # log pay of the outside option (the market's at the start)
])  # fmt: skip
"""Each labour market (generalists of each business model, then experts): (R, M)."""

CLIENT = record_dtype([
    ("budget_factor", F8),  # multiplier on the budget path (demand shifts, pauses)
    ("expert_shift", F8),  # added log-odds of the expert share
    ("invested", F8),  # $ paid for stakes, cumulative
])  # fmt: skip
"""Each client: (R, C)."""

PAIR = record_dtype([
    ("belief_mean", *TIERED),  # believed quality
    ("belief_precision", *TIERED),  # 1 / variance of that belief
    ("contracts", *TIERED),  # contract shares of each tier's budget
    ("match", F8),  # client-vendor fit: the utility the observed shares reveal
    ("stake", F8),  # share of vendor v owned by client c
    ("cash_flow", F8),  # share of vendor v's profit client c has rights to
    ("founder", F8),  # extra exposure when v's founder joined client c
    ("exposure", F8),  # rivals' ownership of v as client c sees it
    ("salience", F8),  # fading part of a conflict's weight, 1 when it starts
    ("blocked", BOOL),  # client c does not buy from v (pause/exit)
    ("last_defection", I8),  # month of the pair's last defection
    ("episode", F8),  # share before its last defection, until the share recovers (0: none)
])  # fmt: skip
"""Each client-vendor pair: (R, C, V)."""

TREND = record_dtype([("expert_share", F8), ("expert_share_start", F8)])
"""The market's expert share of spend, smoothed, and at the start: (R,)."""

RING_PAIR = record_dtype(
    [
        ("share", F8),  # vendor's share of the client's spend
        ("conflict", F8),  # conflict utility the choice used
        ("belief", *TIERED),  # beliefs the choice used
    ]
)
RING_VENDOR = record_dtype([("log_price", *TIERED)])  # log prices the choice used
RING_CLIENT = record_dtype([
    ("spent", BOOL),  # the client spent anything that month
    ("weight", *TIERED),  # tiers' shares of the client's budget
])  # fmt: skip


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
    labour: np.ndarray  # (R, M) LABOUR
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
    for name in ("workforce", "wage", "quality", "price", "hiring_rate"):
        vendors[name] = vp[name]
    vendors["wage_start"] = vp["wage"]
    vendors["quality_target"] = vp["quality"]
    vendors["recruit_base"] = vp["workforce"]
    vendors["cash"] = vp["cash"]
    vendors["overhead"] = vp["overhead"]
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
        labour=np.zeros((r, structure.n_models + 1), LABOUR),
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
