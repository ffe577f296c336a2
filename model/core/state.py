"""The market's mutable state: one row per replicate on the first axis of every array."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

from labelmarket.model.core.world import World, per_replicate

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


@dataclass
class MarketState:
    """Everything that changes month to month (R replicates, C clients, V vendors, 2 tiers)."""

    month: int
    # vendors and their tiers, (R, V, 2)
    workforce: np.ndarray  # workers
    wage: np.ndarray  # $ per worker-month
    wage_start: np.ndarray  # pay at the start: the reference of quality's pay link
    quality: np.ndarray  # true delivered quality, 0..1
    quality_target: np.ndarray  # level quality drifts back (or ramps) to, before pay effects
    quality_rate: np.ndarray  # share of the gap closed a month after an event (0: normal)
    price: np.ndarray  # $ per task-hour
    hiring_rate: np.ndarray  # share of the staffing gap hired each month
    recruit_base: np.ndarray  # starting pool: recruiting capacity scales with it
    util_ema: np.ndarray  # smoothed utilisation of capacity
    util_normal: np.ndarray  # utilisation where the rules settled before the start
    shortage_ema: np.ndarray  # smoothed staffing shortfall (target - staff) / target
    shortage_normal: np.ndarray  # shortfall where the rules settled before the start
    price_anchor: np.ndarray  # usual log price against the market's mean log price
    wage_anchor: np.ndarray  # usual log pay against peers' mean log pay
    share_fast: np.ndarray  # vendor's share of its tier's spend, smoothed (recent)
    share_slow: np.ndarray  # the same, smoothed over about a year
    # vendors, (R, V)
    generalist_fast: np.ndarray  # generalist-tier revenue, smoothed (recent)
    generalist_slow: np.ndarray  # the same over about a year
    push: np.ndarray  # expert push, 0..1 (skill-mix strategy)
    cash: np.ndarray  # $
    revenue_ema: np.ndarray  # $ per month, smoothed
    revenue_slow: np.ndarray  # $ per month, smoothed over about a year
    profit_ema: np.ndarray  # $ per month, smoothed
    losing_normal: np.ndarray  # losses over revenue where the rules settled before the start
    valuation_multiple: np.ndarray  # valuation / annualised smoothed revenue
    base_multiple: np.ndarray  # the vendor's fundamental multiple at steady revenue
    active: np.ndarray  # bool: vendor is in the market
    # the market, (R,)
    expert_fast: np.ndarray  # the market's expert-tier spend, smoothed (recent)
    expert_slow: np.ndarray  # the same over about a year
    # ownership and conflicts
    stake: np.ndarray  # (R, V, C) share of vendor v owned by client c
    founder: np.ndarray  # (R, V, C) extra exposure when v's founder joined c
    exposure: np.ndarray  # (R, C, V) rivals' ownership of v as seen by c (cached)
    salience: np.ndarray  # (R, C, V) fading part of a conflict's weight, 1 when it starts
    blocked: np.ndarray  # (R, C, V) bool: client c does not buy from v (pause/exit)
    # clients
    budget_factor: np.ndarray  # (R, C) multiplier on the budget path (demand shifts, pauses)
    expert_shift: np.ndarray  # (R, C) added log-odds of the expert share
    belief_mean: np.ndarray  # (R, C, V, 2) believed quality
    belief_precision: np.ndarray  # (R, C, V, 2) 1 / variance of that belief
    match: np.ndarray  # (R, C, V) client-vendor fit: the utility the observed shares reveal
    contracts: np.ndarray  # (R, C, V, 2) contract shares of each tier's budget
    invested: np.ndarray  # (R, C) $ clients paid for stakes, cumulative
    # defection detection: rings over the last months (see model.core.defection)
    share_history: np.ndarray  # (L, R, C, V) vendor share of each client's spend
    spent_history: np.ndarray  # (L, R, C) bool: client spent anything that month
    snapshots: list = field(default_factory=list)  # (L) what attribution needs
    last_defection: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (R, C, V)

    def repeat(self, replicates: int) -> MarketState:
        """The same state for `replicates` replicates (a start computed once, then copied)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, np.ndarray) and value.ndim:
                axis = 1 if f.name.endswith("_history") else 0
                value = np.repeat(value, replicates, axis=axis)
            elif f.name == "snapshots":
                value = [_repeat_snapshot(snap, replicates) for snap in value]
            out[f.name] = value
        return MarketState(**out)


def _repeat_snapshot(snap: dict | None, replicates: int) -> dict | None:
    """A defection snapshot for `replicates` copies of its one replicate."""
    if snap is None:
        return None
    return {k: np.repeat(a, replicates, axis=0) for k, a in snap.items()}


def observed_shares(world: World, active: np.ndarray) -> np.ndarray:
    """The scenario's starting shares (R, C, V), every active vendor at least at the trial
    share (a client tries every vendor a little), summing to 1 over active vendors."""
    shares = np.asarray(world.initial_shares, dtype=float)
    floor = np.asarray(world.trial_share, dtype=float).reshape(-1, 1, 1)
    shares = np.where(active[:, None, :], np.maximum(shares, floor), 0.0)
    return shares / shares.sum(axis=-1, keepdims=True)


def initial_state(world: World) -> MarketState:
    """Month-0 state from a batched world, before the start-up (`model.core.startup`)."""
    r = world.budget.shape[0]
    c, v = world.n_clients, world.n_vendors
    active = np.broadcast_to(world.entry_month <= 0, (r, v)).copy()
    shares = observed_shares(world, active)
    quality = np.array(world.quality, dtype=float)
    workforce = np.array(world.workforce, dtype=float)
    wage = np.array(world.wage, dtype=float)
    zeros_vt, zeros_v, zeros_r = np.zeros((r, v, 2)), np.zeros((r, v)), np.zeros(r)
    length = int(world.defection_window) + 1 + LOOKBACK
    return MarketState(
        month=0,
        workforce=workforce, wage=wage, wage_start=wage.copy(), quality=quality,
        quality_target=quality.copy(), quality_rate=np.zeros_like(quality),
        price=np.array(world.price, dtype=float),
        hiring_rate=np.array(world.hiring_rate, dtype=float), recruit_base=workforce.copy(),
        util_ema=zeros_vt.copy(), util_normal=zeros_vt.copy(), shortage_ema=zeros_vt.copy(),
        shortage_normal=zeros_vt.copy(), price_anchor=zeros_vt.copy(),
        wage_anchor=zeros_vt.copy(), share_fast=zeros_vt.copy(), share_slow=zeros_vt.copy(),
        generalist_fast=zeros_v.copy(), generalist_slow=zeros_v.copy(), push=zeros_v.copy(),
        cash=np.array(world.cash, dtype=float), revenue_ema=zeros_v.copy(),
        revenue_slow=zeros_v.copy(), profit_ema=zeros_v.copy(), losing_normal=zeros_v.copy(),
        valuation_multiple=np.array(world.valuation_multiple, dtype=float),
        base_multiple=np.array(world.valuation_multiple, dtype=float), active=active,
        expert_fast=zeros_r.copy(), expert_slow=zeros_r.copy(),
        stake=np.zeros((r, v, c)), founder=np.zeros((r, v, c)), exposure=np.zeros((r, c, v)),
        salience=np.zeros((r, c, v)), blocked=np.zeros((r, c, v), dtype=bool),
        budget_factor=np.ones((r, c)), expert_shift=np.zeros((r, c)),
        belief_mean=np.broadcast_to(world.reputation[:, None], (r, c, v, 2)).copy(),
        belief_precision=np.broadcast_to(
            per_replicate(world.prior_precision, 4), (r, c, v, 2)
        ).copy(),
        match=np.zeros((r, c, v)), contracts=np.repeat(shares[..., None], 2, axis=-1),
        invested=np.zeros((r, c)),
        share_history=np.zeros((length, r, c, v)),
        spent_history=np.zeros((length, r, c), dtype=bool),
        snapshots=[None] * length,
        last_defection=np.full((r, c, v), -(10**6), dtype=np.int64),
    )  # fmt: skip


def refresh_exposure(state: MarketState, is_lab: np.ndarray) -> None:
    """Recompute each client's conflict exposure at each vendor after ownership changed.

    A lab sees a vendor as conflicted by the stakes (and the founder) that *other* labs hold
    in it; enterprise buyers do not compete with labs and see no conflict. Where exposure
    rises, the conflict is new and weighs in full again (its salience restarts at 1).
    """
    owned = state.stake + state.founder  # (R, V, C)
    by_labs = (owned * is_lab).sum(axis=-1)  # (R, V)
    own = owned * is_lab  # a lab's own holding does not count against itself
    rivals = by_labs[:, :, None] - own  # (R, V, C)
    exposure = np.clip(rivals.transpose(0, 2, 1), 0.0, 1.0) * is_lab[None, :, None]
    state.salience = np.where(exposure > state.exposure, 1.0, state.salience)
    state.exposure = exposure
