"""Vendors' decisions as a table: every price or pay move, with the reason its policy gave,
and every move cash forced (a raise of money, a cut of overhead, an exit).

One row per replicate x month x vendor x tier x decision whose value moved (by more than
0.01% in log terms): the month the decision was taken (the new value holds from the next
month), the old and new values and the reason, in the words of the policy that decided.
Cash moves have no tier: `funding` (cash before and after the raise), `overhead` (this
month's and next month's), `exit` (in business 1, then 0), each with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from labelmarket.model.core.finance import CUT_COSTS, EXITED, MONEY_REASONS, RAISED_MONEY
from labelmarket.model.core.strategies import POLICIES
from labelmarket.model.core.world import TIERS, World
from labelmarket.model.drivers.batched import RunResult
from labelmarket.model.results.csv_text import float_cells, joined_rows, quote, text_cells
from labelmarket.model.results.metrics import month_dates

WHAT = {"price": ("pricing", "price_reason"), "pay": ("wages", "wage_reason")}
CASH = {"funding": RAISED_MONEY, "overhead": CUT_COSTS, "exit": EXITED}
"""Decisions cash forces, by the money reason that records each."""
DECISIONS = (*WHAT, *CASH)
TIER_NAMES = (*TIERS, "")  # cash moves are the vendor's, not a tier's
COLUMNS = ["replicate", "month", "date", "vendor", "tier", "decision", "before", "after",
           "change", "reason"]  # fmt: skip


def _reason_words(decision: str) -> np.ndarray:
    """Reason codes -> words: every policy of a decision shares its reasons' order."""
    policy = next(iter(POLICIES[decision].values()))
    return np.asarray(policy.reasons, dtype=object)


def _rank(names: list[str]) -> np.ndarray:
    """Each name's position in alphabetical order (how a sort by name would place it)."""
    ranks = np.empty(len(names), dtype=np.int64)
    ranks[np.argsort(np.asarray(names, dtype=object), kind="stable")] = np.arange(len(names))
    return ranks


@dataclass
class Moves:
    """Every move of a chunk, sorted as the table is: indices, values and reasons."""

    r: np.ndarray
    t: np.ndarray
    v: np.ndarray
    k: np.ndarray
    d: np.ndarray  # index into WHAT
    before: np.ndarray
    after: np.ndarray
    reason: np.ndarray  # words


def _moves(result: RunResult, world: World) -> Moves:
    """Find every move of a price or a wage and sort them by replicate, month and names.

    Sorting integer codes ranked by name gives the order a sort on the names would, at a
    fraction of the cost.
    """
    h = result.history
    parts = []
    for code, (name, (decision, key)) in enumerate(WHAT.items()):
        values = h["price" if name == "price" else "wage"]
        moved = np.abs(np.diff(np.log(np.maximum(values, 1e-300)), axis=0)) > 1e-4
        t, r, v, k = np.nonzero(moved)
        words = _reason_words(decision)[h[key][t, r, v, k]]
        before, after = values[t, r, v, k], values[t + 1, r, v, k]
        parts.append((r, t, v, k, np.full(len(t), code), before, after, words))
    parts += _cash_moves(h)
    columns = [np.concatenate(c) for c in zip(*parts, strict=True)]
    r, t, v, k, d = columns[:5]
    order = np.lexsort(
        (_rank(list(DECISIONS))[d], _rank(list(TIER_NAMES))[k], _rank(list(world.vendors))[v],
         t, r)
    )  # fmt: skip
    return Moves(*(c[order] for c in columns))


def _change(after: np.ndarray, before: np.ndarray) -> np.ndarray:
    """Relative change (NaN from nothing)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return after / before - 1.0


def _cash_moves(h: dict[str, np.ndarray]) -> list[tuple]:
    """Raises, overhead cuts and exits as decision rows (tier: none)."""
    parts = []
    for code, (name, reason) in enumerate(CASH.items(), start=len(WHAT)):
        t, r, v = np.nonzero(h["money_reason"] == reason)
        if name == "funding":
            after = h["cash"][t, r, v]
            before = after - h["funding"][t, r, v]
        elif name == "overhead":
            nxt = np.minimum(t + 1, len(h["overhead"]) - 1)
            before, after = h["overhead"][t, r, v], h["overhead"][nxt, r, v]
        else:
            before, after = np.ones(len(t)), np.zeros(len(t))
        words = np.full(len(t), MONEY_REASONS[reason], dtype=object)
        k = np.full(len(t), len(TIERS))
        parts.append((r, t, v, k, np.full(len(t), code), before, after, words))
    return parts


def decisions(result: RunResult, world: World, start: str, first: int = 0) -> pd.DataFrame:
    """Every move of a price or a wage, who made it, when, and why.

    `first`: the index of the result's first replicate in the run (a chunk of a run).
    Rows are sorted by replicate, month, vendor, tier and decision (names alphabetically).
    """
    m = _moves(result, world)
    frame = {
        "replicate": m.r + first,
        "month": m.t,
        "date": month_dates(start, world.months)[m.t],
        "vendor": np.asarray(world.vendors, dtype=object)[m.v],
        "tier": np.asarray(TIER_NAMES, dtype=object)[m.k],
        "decision": np.asarray(DECISIONS, dtype=object)[m.d],
        "before": m.before,
        "after": m.after,
        "change": _change(m.after, m.before),
        "reason": m.reason,
    }
    return pd.DataFrame(frame)[COLUMNS]


def decisions_csv(
    result: RunResult, world: World, start: str, first: int = 0, header: bool = True
) -> bytes:
    """`decisions(...).to_csv(index=False, header=header)` as UTF-8 bytes, built from the
    arrays directly.

    The table has hundreds of rows per replicate; formatting them through a DataFrame cost
    more than simulating them, so Arrow formats and joins the fields (`csv_text`).
    """
    m = _moves(result, world)
    dates = month_dates(start, world.months).strftime("%Y-%m-%d")
    replicates = [str(i) for i in range(first, first + result.replicates)]
    reasons, words = pd.factorize(m.reason)
    cells = [
        text_cells(replicates, m.r),
        text_cells([str(i) for i in range(world.months)], m.t),
        text_cells(list(dates), m.t),
        text_cells(list(world.vendors), m.v),
        text_cells(list(TIER_NAMES), m.k),
        text_cells(list(DECISIONS), m.d),
        float_cells(m.before),
        float_cells(m.after),
        float_cells(_change(m.after, m.before)),
        text_cells(list(words), reasons),
    ]
    head = ",".join(quote(c) for c in COLUMNS) + "\n" if header else ""
    return head.encode("utf-8") + joined_rows(cells)
