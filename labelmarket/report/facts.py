"""The facts ledger beside the simulated values, for reports on historical or calibrated runs.

Each fact with a simulated counterpart gets a small measure over the run (a vendor's
valuation in a month, a client's spend at a vendor over a year, a change across the deal);
the report shows the corpus value and the simulated median with its 5-95% range side by side.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from labelmarket.calibration.facts import Ledger, LedgerError, facts_table, load_ledger
from labelmarket.model.charts.style import format_money
from labelmarket.model.results.run_folder import Run

Values = np.ndarray  # one number per replicate


@dataclass(frozen=True)
class Measure:
    """How a fact is read off a run: what, how it is shown, and the needed names."""

    how: str
    unit: str  # "$", "people", "%", "pp", "x"
    needs: tuple[str, ...]
    compute: Callable[[Run], Values]


def _series(run: Run, metric: str, client: str = "", vendor: str = "") -> pd.DataFrame:
    """(month date x replicate) table of one metric for one entity."""
    ts = run.timeseries
    rows = ts[(ts["metric"] == metric) & (ts["client"] == client) & (ts["vendor"] == vendor)]
    return rows.pivot_table(index="date", columns="replicate", values="value", observed=True)


def _at(run: Run, metric: str, month: str, **who: str) -> Values:
    return _series(run, metric, **who).loc[pd.Timestamp(month)].to_numpy()


def _total(run: Run, metric: str, first: str, last: str, **who: str) -> Values:
    return (
        _series(run, metric, **who).loc[pd.Timestamp(first) : pd.Timestamp(last)].sum().to_numpy()
    )


def _change(run: Run, metric: str, **who: str) -> Values:
    """% change of the monthly mean, Jul-Dec 2025 over Jan-May 2025 (around the deal)."""
    s = _series(run, metric, **who)
    before = s.loc["2025-01-01":"2025-05-01"].mean().to_numpy()
    after = s.loc["2025-07-01":"2025-12-01"].mean().to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(before > 0, (after / before - 1) * 100, np.nan)


def _spend_change(run: Run, clients: tuple[str, ...], vendor: str) -> Values:
    s = sum(_series(run, "spend", client=c, vendor=vendor) for c in clients)
    before = s.loc["2025-01-01":"2025-05-01"].mean().to_numpy()
    after = s.loc["2025-07-01":"2025-12-01"].mean().to_numpy()
    return (after / before - 1) * 100


MEASURES: dict[str, Measure] = {
    "scale_valuation_pre_deal_usd": Measure(
        "Scale AI valuation, May 2025", "$", ("Scale AI",),
        lambda r: _at(r, "valuation", "2025-05", vendor="Scale AI"),
    ),
    "scale_valuation_post_deal_usd": Measure(
        "Scale AI valuation, June 2025", "$", ("Scale AI",),
        lambda r: _at(r, "valuation", "2025-06", vendor="Scale AI"),
    ),
    "scale_valuation_doubled": Measure(
        "Scale AI valuation, June over May 2025", "x", ("Scale AI",),
        lambda r: _at(r, "valuation", "2025-06", vendor="Scale AI")
        / _at(r, "valuation", "2025-05", vendor="Scale AI"),
    ),
    "scale_contractor_headcount": Measure(
        "Scale AI workforce, June 2025", "people", ("Scale AI",),
        lambda r: _at(r, "workforce", "2025-06", vendor="Scale AI"),
    ),
    "google_planned_spend_2025_usd": Measure(
        "Google's spend at Scale AI over 2025", "$", ("Google", "Scale AI"),
        lambda r: _total(r, "spend", "2025-01", "2025-12", client="Google", vendor="Scale AI"),
    ),
    "google_paused_projects_after_deal": Measure(
        "Google's monthly spend at Scale AI, Jul-Dec over Jan-May 2025", "%",
        ("Google", "Scale AI"), lambda r: _spend_change(r, ("Google",), "Scale AI"),
    ),
    "openai_xai_reduced_work_after_deal": Measure(
        "OpenAI's and xAI's monthly spend at Scale AI, Jul-Dec over Jan-May 2025", "%",
        ("OpenAI", "xAI", "Scale AI"), lambda r: _spend_change(r, ("OpenAI", "xAI"), "Scale AI"),
    ),
    "scale_lost_major_clients": Measure(
        "Scale AI monthly revenue, Jul-Dec over Jan-May 2025", "%", ("Scale AI",),
        lambda r: _change(r, "revenue", vendor="Scale AI"),
    ),
    "scale_layoffs_after_client_losses": Measure(
        "Scale AI workforce, June 2026 over June 2025", "%", ("Scale AI",),
        lambda r: (_at(r, "workforce", "2026-06", vendor="Scale AI")
                   / _at(r, "workforce", "2025-06", vendor="Scale AI") - 1) * 100,
    ),
    "expert_vendors_high_pay_fast_growth": Measure(
        "Expert vendors' market share, last month minus first", "pp", (),
        lambda r: (_series(r, "expert_vendor_share").iloc[-1]
                   - _series(r, "expert_vendor_share").iloc[0]).to_numpy() * 100,
    ),
    "meta_buys_from_surge_mercor": Measure(
        "Meta's spend at Surge AI and Mercor over 2025-2026", "$", ("Meta", "Surge AI", "Mercor"),
        lambda r: _total(r, "spend", "2025-01", "2026-12", client="Meta", vendor="Surge AI")
        + _total(r, "spend", "2025-01", "2026-12", client="Meta", vendor="Mercor"),
    ),
}  # fmt: skip


def show(values: Values, unit: str) -> str:
    """'median [5%, 95%]' in the measure's unit."""
    values = values[~np.isnan(values)]
    if values.size == 0:
        return "n/a"
    lo, mid, hi = np.percentile(values, [5, 50, 95])
    fmt = {
        "$": format_money,
        "people": lambda v: f"{v:,.0f}",
        "%": lambda v: f"{v:+.0f}%",
        "pp": lambda v: f"{v:+.1f} pp",
        "x": lambda v: f"{v:.2f}x",
    }[unit]
    return f"{fmt(mid)} [{fmt(lo)}, {fmt(hi)}]"


def find_ledger(seeds: Path | None) -> Ledger | None:
    """The ledger from --seeds, ./seeds or the source tree's seeds/, or None if absent."""
    here = Path(__file__).resolve().parents[1] / "seeds"
    for folder in [seeds] if seeds else [Path("seeds"), here]:
        if folder is not None and (folder / "facts.yaml").is_file():
            try:
                return load_ledger(folder)
            except LedgerError:
                return None
    return None


def facts_rows(ledger: Ledger, run: Run) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """(facts with a simulated value beside them, the other facts as they are)."""
    names = set(run.vendors) | set(run.clients)
    dates = set(run.dates.strftime("%Y-%m"))
    compared, others = [], []
    for row in facts_table(ledger):
        measure = MEASURES.get(row["id"])
        usable = measure is not None and set(measure.needs) <= names
        if usable and {"2025-01", "2025-12"} <= dates:
            try:
                simulated = show(measure.compute(run), measure.unit)
            except (KeyError, ValueError, IndexError):
                simulated = "n/a"
            compared.append({**row, "simulated": simulated, "how": measure.how})
        else:
            others.append(row)
    return compared, others
