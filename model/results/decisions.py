"""Vendors' decisions as a table: every price or pay move, with the reason its policy gave.

One row per replicate x month x vendor x tier x decision whose value moved (by more than
0.01% in log terms): the month the decision was taken (the new value holds from the next
month), the old and new values and the reason, in the words of the policy that decided.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from labelmarket.model.core.strategies import POLICIES
from labelmarket.model.core.world import TIERS, World
from labelmarket.model.drivers.batched import RunResult
from labelmarket.model.results.metrics import month_dates

WHAT = {"price": ("pricing", "price_reason"), "pay": ("wages", "wage_reason")}
COLUMNS = ["replicate", "month", "date", "vendor", "tier", "decision", "before", "after",
           "change", "reason"]  # fmt: skip


def _reason_words(decision: str) -> np.ndarray:
    """Reason codes -> words: every policy of a decision shares its reasons' order."""
    policy = next(iter(POLICIES[decision].values()))
    return np.asarray(policy.reasons, dtype=object)


def decisions(result: RunResult, world: World, start: str, first: int = 0) -> pd.DataFrame:
    """Every move of a price or a wage, who made it, when, and why.

    `first`: the index of the result's first replicate in the run (a chunk of a run).
    """
    h = result.history
    dates = month_dates(start, world.months)
    frames = []
    for name, (decision, key) in WHAT.items():
        values = h["price" if name == "price" else "wage"]
        moved = np.abs(np.diff(np.log(np.maximum(values, 1e-300)), axis=0)) > 1e-4
        t, r, v, k = np.nonzero(moved)
        frames.append(
            pd.DataFrame(
                {
                    "replicate": r + first,
                    "month": t,
                    "date": dates[t],
                    "vendor": np.asarray(world.vendors, dtype=object)[v],
                    "tier": np.asarray(TIERS, dtype=object)[k],
                    "decision": name,
                    "before": values[t, r, v, k],
                    "after": values[t + 1, r, v, k],
                    "change": values[t + 1, r, v, k] / values[t, r, v, k] - 1.0,
                    "reason": _reason_words(decision)[h[key][t, r, v, k]],
                }
            )
        )
    frame = pd.concat(frames, ignore_index=True)[COLUMNS]
    return frame.sort_values(
        ["replicate", "month", "vendor", "tier", "decision"], ignore_index=True
    )
