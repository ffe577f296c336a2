"""The comparison with a baseline as tables a reader scans: vendors by rows, metrics by columns.

Each cell is the median paired difference with its 90% interval, coloured by direction when
the whole interval lies on one side of zero. Columns and rows with no difference at all (a
year before the scenarios part, a vendor nothing touches) are left out, and a difference
that rounds to nothing reads "0%", never "-0%".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from labelmarket.model.charts.style import format_money
from labelmarket.report.html import Cell, table

LABELS = {
    "revenue": "revenue {period}",
    "market_share": "market share at end",
    "workforce": "workforce at end",
    "valuation": "valuation at end",
}
NOTHING = 1e-9  # a difference smaller than this (in $, workers or share) is no difference


def _number(value: float, suffix: str, digits: int = 0) -> str:
    """Signed, with no negative zero: +12%, -3%, 0%."""
    text = f"{value:+.{digits}f}"
    if float(text) == 0:
        return f"0{suffix}" if digits == 0 else f"{0:.{digits}f}{suffix}"
    return f"{text}{suffix}"


def effect(row: pd.Series) -> str:
    """The difference as a reader wants it: % for money and workers, points for shares."""
    if row["outcome"] == "market_share":
        lo, mid, hi = (100 * row[k] for k in ("diff_lo", "diff_median", "diff_hi"))
        return f"{_number(mid, ' pp', 1)} [{_number(lo, '', 1)}, {_number(hi, '', 1)}]"
    if row["outcome"] == "spend" or not np.isfinite(row["pct_median"]):
        if row["outcome"] == "workforce":
            lo, mid, hi = (row[k] for k in ("diff_lo", "diff_median", "diff_hi"))
            return f"{mid:+,.0f} workers [{lo:+,.0f}, {hi:+,.0f}]"
        money = [format_money(row[k], signed=True) for k in ("diff_median", "diff_lo", "diff_hi")]
        return f"{money[0]} [{money[1]}, {money[2]}]".replace("+$0", "$0").replace("-$0", "$0")
    lo, mid, hi = (row[k] for k in ("pct_lo", "pct_median", "pct_hi"))
    return f"{_number(mid, '%')} [{_number(lo, '%')}, {_number(hi, '%')}]"


def _cell(row: pd.Series) -> Cell:
    """One coloured cell: up (whole interval above zero), down, or uncertain."""
    lo, hi = row["diff_lo"], row["diff_hi"]
    direction = "up" if lo > NOTHING else "down" if hi < -NOTHING else ""
    return Cell(effect(row), f"num {direction}".strip())


def _is_nothing(row: pd.Series) -> bool:
    """No difference in any replicate pair worth showing."""
    return all(abs(row[k]) <= NOTHING for k in ("diff_lo", "diff_median", "diff_hi"))


def vendor_table(table_rows: pd.DataFrame, vendors: list[str], baseline: str) -> str:
    """Vendors x metrics, each cell the paired difference; empty rows and columns dropped."""
    rows = table_rows[table_rows["outcome"] != "spend"]
    columns: dict[str, str] = {"vendor": "vendor"}
    cells: dict[str, dict[str, Cell | str]] = {v: {"vendor": v} for v in vendors}
    for (outcome, period), part in rows.groupby(["outcome", "period"], sort=False):
        if all(_is_nothing(r) for _, r in part.iterrows()):
            continue  # e.g. revenue in a year before the scenarios part
        key = f"{outcome}:{period}"
        columns[key] = LABELS[outcome].format(period=period)
        for _, r in part.iterrows():
            cells[r["vendor"]][key] = _cell(r)
    kept = [c for v, c in cells.items() if len(c) > 1 and not _row_empty(rows, v)]
    note = (
        f'<p class="note">Median difference from {baseline} [5%, 95%] of the paired '
        'differences, replicate by replicate. <span class="up">Green</span>: higher than in '
        f'{baseline} in at least 95% of the pairs; <span class="down">red</span>: lower; '
        "uncoloured: the interval includes no change. Columns with no difference at all (years "
        "before the scenarios part) are left out.</p>"
    )
    return note + table(kept, columns, "comparison vendors")


def _row_empty(rows: pd.DataFrame, vendor: str) -> bool:
    """A vendor with no difference in any metric."""
    return all(_is_nothing(r) for _, r in rows[rows["vendor"] == vendor].iterrows())


def spend_table(table_rows: pd.DataFrame, vendors: list[str]) -> str:
    """Clients x vendors: each client's change of spend at each vendor in the last year."""
    rows = table_rows[table_rows["outcome"] == "spend"]
    if rows.empty:
        return '<p class="note">(no client spend in the comparison)</p>'
    period = rows["period"].iloc[-1]
    rows = rows[rows["period"] == period]
    out = []
    for client, part in rows.groupby("client", sort=False):
        if all(_is_nothing(r) for _, r in part.iterrows()):
            continue
        cells: dict[str, Cell | str] = {"client": client}
        for _, r in part.iterrows():
            cells[r["vendor"]] = Cell("no change", "num") if _is_nothing(r) else _cell(r)
        out.append(cells)
    columns = {"client": f"client (spend in {period})", **{v: v for v in vendors}}
    return table(out, columns, "comparison spend")
