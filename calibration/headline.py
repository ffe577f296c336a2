"""The headline answers a fit is for, measured against the same world without the stake.

What the stake did to Scale AI's revenue in each year after it, to each rival lab's spend
at Scale AI, and to the expert vendors' revenue: each is the paired change (in %) between a
run and its twin without the stake (same parameters, same seed), so each answer's interval
carries what the posterior leaves open and the random draws, never a trend that would have
happened anyway. The fit report gives them on the posterior predictive; the sensitivity
check (`--interpretations`) shows how far each moves when a reading of the text changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from labelmarket.model.core.world import World
from labelmarket.model.scenario.fields import month_index
from labelmarket.model.scenario.schema import Scenario

History = dict[str, np.ndarray]


@dataclass(frozen=True)
class Answer:
    """One headline question and how to measure it on a run and its twin without the stake."""

    id: str
    question: str
    measure: Callable[[History], np.ndarray]  # one world's total per replicate (R,)
    rests_on: tuple[str, ...] = ()  # the fitted parameters that mostly set it


def _pct(mine: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Per-replicate % change against the world without the stake (nothing in both: 0)."""
    safe = np.where(other > 0, other, 1.0)
    return np.where(other > 0, (mine / safe - 1.0) * 100.0, np.where(mine > 0, np.inf, 0.0))


def headline_answers(scenario: Scenario, world: World) -> list[Answer]:
    """The headline answers this scenario can give (its stake, its vendors, its horizon)."""
    deal = next((e for e in scenario.events if e.type == "investment"), None)
    if deal is None:
        return []
    vendor = deal.vendor
    v = world.vendors.index(vendor)
    after = slice(month_index(scenario.start, deal.month) + 1, world.months)
    out = []
    for year in range(int(deal.month[:4]), int(scenario.end[:4]) + 1):
        first = month_index(scenario.start, f"{year}-01")
        months = slice(max(first, 0), min(first + 12, world.months))
        out.append(
            Answer(
                f"scale_revenue_{year}",
                f"the stake's effect on {vendor}'s {year} revenue",
                lambda h, m=months: h["revenue"][m, :, v].sum(axis=0),
            )
        )
    owner = world.clients.index(deal.investor) if deal.investor in world.clients else -1
    for c, name in enumerate(world.clients):
        if world.is_lab[c] and c != owner:
            out.append(
                Answer(
                    f"cut_{name.lower()}",
                    f"{name}'s spend at {vendor} after the stake",
                    lambda h, c=c: h["spend"][after, :, c, v].sum(axis=(0, -1)),
                    (f"clients.{name}.conflict_sensitivity",),
                )
            )
    expert = world.of_model("expert")
    out.append(
        Answer(
            "expert_vendors_gain",
            "the expert vendors' revenue after the stake",
            lambda h: h["revenue"][after][:, :, expert].sum(axis=(0, 2)),
        )
    )
    return out


def measure(answers: list[Answer], history: History, without: History) -> np.ndarray:
    """Every answer's paired % change for every replicate: (R, K)."""
    return np.stack([_pct(a.measure(history), a.measure(without)) for a in answers], axis=-1)


def answers_table(answers: list[Answer], values: np.ndarray) -> pd.DataFrame:
    """One row per answer: median and 90% interval of its % change across the ensemble."""
    rows = []
    for k, a in enumerate(answers):
        x = values[:, k][np.isfinite(values[:, k])]
        lo, mid, hi = np.percentile(x, [5, 50, 95]) if x.size else (np.nan,) * 3
        rows.append({"answer": a.id, "question": a.question, "median_pct": mid,
                     "p5_pct": lo, "p95_pct": hi, "rests_on": " ".join(a.rests_on)})  # fmt: skip
    return pd.DataFrame(rows)


def answers_markdown(table: pd.DataFrame) -> str:
    """The answers as a Markdown table: % change against no stake, median [90%]."""
    lines = ["| answer | against no stake: median [90%] |", "| --- | --- |"]
    for r in table.to_dict("records"):
        lines.append(
            f"| {r['question']} | {r['median_pct']:+.0f}% [{r['p5_pct']:+.0f}%, "
            f"{r['p95_pct']:+.0f}%] |"
        )
    return "\n".join(lines)
