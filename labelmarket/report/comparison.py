"""The comparison with a baseline as tables a reader scans, and its charts.

Vendors by rows, metrics by columns: each cell is the median paired difference with its
90% interval, written as every interval of the report is, coloured by direction when the
whole interval lies on one side of zero. Columns and rows with no difference at all (a year
before the scenarios part, a vendor nothing touches) are left out.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from labelmarket.model.charts.compare import write_comparison_charts
from labelmarket.model.results.run import Run
from labelmarket.report import units
from labelmarket.report.html import Cell, figure, table

LABELS = {
    "revenue": "revenue {period}",
    "market_share": "market share at the end",
    "workforce": "workers at the end",
    "valuation": "valuation at the end",
}
NOTHING = 1e-9  # a difference smaller than this (in $, workers or share) is no difference


def effect(row: pd.Series) -> str:
    """The difference as a reader wants it: % for money and workers, points for shares."""
    if row["outcome"] == "market_share":
        fmt, keys = units.points, ("diff_median", "diff_lo", "diff_hi")
    elif row["outcome"] == "spend" or not np.isfinite(row["pct_median"]):
        workforce = row["outcome"] == "workforce"
        fmt = units.workers_change if workforce else units.money_change
        keys = ("diff_median", "diff_lo", "diff_hi")
    else:
        fmt, keys = units.percent_change, ("pct_median", "pct_lo", "pct_hi")
    mid, lo, hi = (row[k] for k in keys)
    return units.interval(mid, lo, hi, fmt)


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
        f'<p class="note">Change from {baseline}: median [5%, 95%] of the paired '
        'differences, replicate by replicate. <span class="up">Green</span>: higher than in '
        f'{baseline} in at least 95% of the pairs; <span class="down">red</span>: lower; '
        "uncoloured: the range includes no change. Years before the worlds part are left "
        "out.</p>"
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


def _caption(metric: str, main: str, base: str) -> str:
    """What a comparison chart shows, in words."""
    what = {
        "revenue": "monthly revenue",
        "market_share": "share of the market's revenue",
        "workforce": "workers",
        "valuation": "valuation",
    }
    if metric.startswith("client_spend"):
        return (
            f"How each client's monthly spend at each vendor changed: {main} minus {base}, "
            "replicate by replicate (median and 5-95% range)."
        )
    return (
        f"Each vendor's {what[metric]} in {main} (colour) and {base} (grey, dashed) on the "
        f"left; on the right the difference, replicate by replicate, with its 5-95% "
        "range."
    )


def comparison_section(
    main: Run, base: Run, table_rows: pd.DataFrame, diffs: pd.DataFrame, pairing, events: list
) -> str:
    """Tables of paired differences, then the comparison charts (the rarer ones folded)."""

    vendors = list(dict.fromkeys(table_rows["vendor"]))
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_comparison_charts(base, [main], diffs, events, Path(tmp))
        figures = {
            p.stem.removeprefix("compare_"): figure(
                p, _caption(p.stem.removeprefix("compare_"), main.name, base.name)
            )
            for p in paths
        }
    shown = figures.pop("revenue", "") + figures.pop("market_share", "")
    return (
        f'<p class="note">Replicates {pairing.describe()}.</p>'
        + vendor_table(table_rows, vendors, base.name)
        + "<details><summary>Each client's spend at each vendor in the last year</summary>"
        + spend_table(table_rows, vendors)
        + "</details>"
        + shown
        + "<details><summary>Workers, valuations and each client's spend, compared</summary>"
        + "".join(figures.values())
        + "</details>"
    )
