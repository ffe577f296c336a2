"""The rows a month feeds the dashboard's charts: every series up to the month shown.

Lines get one row per month, vendor and scenario (with the band's 5% and 95% when there is
one); the allocation gets one row per client, scenario and vendor. Before the first month
the lines show the scenario's starting point: its clients' starting split and its vendors'
starting workers.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from labelmarket.dashboard.paths import Trajectory, share_of
from labelmarket.model.charts.style import format_money


def line_rows(
    dates: pd.DatetimeIndex,
    vendors: list[str],
    runs: list[tuple[str, np.ndarray, np.ndarray | None]],
    shown: int,
    scale: float = 1.0,
) -> list[dict[str, Any]]:
    """Rows of each run's (T, V) series and (2, T, V) band for the first `shown` months."""
    out = []
    for run, values, band in runs:
        for t in range(min(shown, len(values))):
            day = f"{dates[t]:%Y-%m-%d}"
            for v, vendor in enumerate(vendors):
                row = {
                    "t": t,
                    "date": day,
                    "vendor": vendor,
                    "run": run,
                    "value": round(float(values[t, v]) * scale, 4),
                }
                if band is not None:
                    lo, hi = (round(float(band[k, t, v]) * scale, 4) for k in (0, 1))
                    row.update(lo=lo, hi=hi, range=f"{lo:,.1f} to {hi:,.1f}")
                out.append(row)
    return out


def allocation_rows(
    clients: list[str], vendors: list[str], runs: list[tuple[str, np.ndarray]]
) -> tuple[list[dict[str, Any]], list[str]]:
    """Rows of each run's (C, V) spend last month, and the bars' order (client, its baseline)."""
    out, order = [], []
    for c, client in enumerate(clients):
        for i, (run, spend) in enumerate(runs):
            label = client if i == 0 else f"{client} ({run})"
            order.append(label)
            total = float(spend[c].sum())
            for v, vendor in enumerate(vendors):
                amount = float(spend[c, v])
                out.append(
                    {
                        "row": label,
                        "vendor": vendor,
                        "order": v,
                        "share": 100 * amount / total if total > 0 else 0.0,
                        "money": format_money(amount),
                        "total": f"{format_money(total)}/mo",
                    }
                )
    return out, order


def start_spend(model) -> np.ndarray:
    """(C, V) the scenario's starting split of each client's budget (before month one)."""
    vendors = list(model.world.vendors)
    spend = np.zeros((len(model.world.clients), len(vendors)))
    for c, spec in enumerate(model.spec.clients):
        for name, share in (spec.current_vendors or {}).items():
            spend[c, vendors.index(name)] = share * spec.budget
    return spend


def trajectory_runs(
    live: tuple[str, np.ndarray, np.ndarray | None],
    baseline: tuple[str, Trajectory] | None,
    key: str,
) -> list[tuple[str, np.ndarray, np.ndarray | None]]:
    """The scenario's (name, series, band) and the baseline's, for one metric."""
    runs = [live]
    if baseline is not None:
        name, path = baseline
        runs.append((name, getattr(path, key), getattr(path, f"{key}_band")))
    return runs


def spend_at(model, shown: int) -> np.ndarray:
    """(C, V) each client's spend at each vendor in the last month shown (the start before)."""
    if not shown:
        return start_spend(model)
    return model.history("spend")[shown - 1].sum(axis=-1)


def start_series(model) -> dict[str, np.ndarray]:
    """(1, V) the scenario's starting point before month one: shares of the clients'
    starting spend, and each vendor's starting workers."""
    spend = start_spend(model).sum(axis=0)
    workforce = [v.workforce.generalist + v.workforce.expert for v in model.spec.vendors]
    return {"share": share_of(spend[None]), "workforce": np.array([workforce], dtype=float)}
