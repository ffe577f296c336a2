"""The report's first screen: the question, the answer with its interval, three charts.

Against a baseline the question is what the scenario's own events changed; the answer
names the vendor whose last-year revenue moved most (its change and interval, then its end
share and the vendor that gained most), and the charts show that vendor's revenue path
beside the baseline's, every vendor's revenue change, and each client's change of spend at
that vendor. Without a baseline the answer is where the market ends: the largest vendor at
the start, the leader at the end, with their shares and intervals.
"""

from __future__ import annotations

import io
from html import escape

import numpy as np
import pandas as pd

from labelmarket.model.charts.layout import PNG_OPTIONS
from labelmarket.model.results.run import Run
from labelmarket.report import units

NOTHING = 1e-9


def question(main: Run, base: Run | None) -> str:
    """What the page answers, in one sentence."""
    if base is None:
        return f"What happens to the labelling market in {main.name}, {_span(main)}?"
    mine = {(e.get("type"), str(e.get("month"))) for e in base.resolved.get("events", [])}
    new = [e for e in main.resolved.get("events", []) if (e["type"], str(e["month"])) not in mine]
    if not new:
        return f"How does {main.name} differ from {base.name}, {_span(main)}?"
    what = " and ".join(
        f"{e.get('label') or e['type'].replace('_', ' ')} in {_month(e['month'])}" for e in new
    )
    it = "it" if len(new) == 1 else "they"
    return f"{what}: what did {it} change, against {base.name}, the same world without {it}?"


def _month(month: object) -> str:
    """'2025-06' as 'June 2025'."""
    return f"{pd.Period(str(month), 'M'):%B %Y}"


def _span(run: Run) -> str:
    """'2024-01 to 2026-12'."""
    return f"{run.dates[0]:%Y-%m} to {run.dates[-1]:%Y-%m}"


def headline_vendor(table: pd.DataFrame) -> pd.Series:
    """The last year's revenue row of the vendor that moved most (clearly, if any did)."""
    revenue = table[table["outcome"] == "revenue"]
    last = revenue[revenue["period"] == revenue["period"].max()]
    clear = last[(last["diff_lo"] > NOTHING) | (last["diff_hi"] < -NOTHING)]
    pool = clear if len(clear) else last
    return pool.loc[pool["pct_median"].abs().fillna(0).idxmax()]


def answer_compared(table: pd.DataFrame, base: str) -> str:
    """Two sentences with their intervals: the headline vendor's revenue and share."""
    row = headline_vendor(table)
    vendor, year = row["vendor"], row["period"]
    pct = units.interval(row["pct_median"], row["pct_lo"], row["pct_hi"], units.percent_change)
    way = "lower" if row["pct_median"] < 0 else "higher"
    first = (
        f"{vendor}'s {year} revenue is {abs(row['pct_median']):.0f}% {way} than in {base}: "
        f"{units.money(row['scenario_median'])} against {units.money(row['baseline_median'])}, "
        f"a change of <b>{pct}</b>."
    )
    shares = table[(table["outcome"] == "market_share") & (table["vendor"] == vendor)]
    second = ""
    if len(shares):
        s = shares.iloc[0]
        pp = units.interval(s["diff_median"], s["diff_lo"], s["diff_hi"], units.points)
        second = (
            f" It ends with {units.share(s['scenario_median'])} of the market against "
            f"{units.share(s['baseline_median'])} (<b>{pp}</b>)"
        )
        second += _gainer(table, year, vendor) + "."
    return first + second


def _gainer(table: pd.DataFrame, year: str, loser: str) -> str:
    """'; Surge AI gains most: +$237M [...] of 2026 revenue', or ''."""
    rows = table[(table["outcome"] == "revenue") & (table["period"] == year)]
    rows = rows[rows["vendor"] != loser]
    if rows.empty or rows["diff_median"].max() <= NOTHING:
        return ""
    g = rows.loc[rows["diff_median"].idxmax()]
    money = units.interval(g["diff_median"], g["diff_lo"], g["diff_hi"], units.money_change)
    return f"; {g['vendor']} gains most: <b>{money}</b> of {year} revenue"


def answer_alone(run: Run, table: pd.DataFrame) -> str:
    """Where the market ends: the largest vendor at the start and the leader at the end."""
    first = _share_at(run, 0)
    start = max(first, key=first.get)
    end_share = table.xs(("market_share", "end", ""), level=("outcome", "period", "client"))
    leader = end_share.median(axis=1).idxmax()
    text = []
    for vendor in dict.fromkeys([start, leader]):
        values = end_share.loc[vendor]
        where = "the largest vendor at the start with " + units.share(first[vendor]) + ","
        where = where if vendor == start else "the leader at the end,"
        text.append(
            f"{vendor}, {where} ends with <b>{units.spread(values, units.share)}</b> of the market"
        )
    years = sorted({p for o, p, _, _ in table.index if o == "revenue"})
    revenue = table.loc[("revenue", years[-1], "", start)]
    money = units.spread(revenue, units.money)
    return "; ".join(text) + f". {start}'s {years[-1]} revenue is <b>{money}</b>."


def _share_at(run: Run, month: int) -> dict[str, float]:
    """Median market share of each vendor in a month."""
    ts = run.timeseries
    rows = ts[(ts["metric"] == "market_share") & (ts["month"] == month) & ts["vendor"].notna()]
    rows = rows[rows["client"].isna() | (rows["client"].astype(str) == "")]
    return rows.groupby("vendor", observed=True)["value"].median().to_dict()


def png(fig) -> bytes:
    """A figure's PNG bytes (fast zlib level, as every chart)."""

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", pil_kwargs=PNG_OPTIONS)
    return buffer.getvalue()


def lead_html(question_text: str, answer_html: str, note: str, figures: list[str]) -> str:
    """The first screen's HTML: question, answer, how to read it, three charts."""
    return (
        f'<p class="question">{escape(question_text)}</p>'
        f'<p class="answer">{answer_html}</p><p class="note">{escape(note)}</p>'
        f'<div class="charts">{"".join(figures)}</div>'
    )


def is_nothing(values: np.ndarray) -> bool:
    """No difference worth showing in any of these numbers."""
    return bool(np.all(np.abs(np.nan_to_num(values)) <= NOTHING))
