"""Scenario comparison: paired differences, replicate by replicate, with 90% intervals.

Runs made with the same root seed share replicate seeds (common random numbers), so
replicate i of a scenario and replicate i of its baseline saw the same shocks and their
difference is the scenario's effect in that world. Replicates are matched by seed, and by
the posterior particle they drew when the runs drew their parameters from the same
posterior sample (`--posterior`); every
interval is the 5-95% range of those per-replicate differences. Runs with no seed in common
are refused unless the caller asks for an unpaired comparison, which then compares every
replicate of one run with every replicate of the other and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from labelmarket.errors import InputError
from labelmarket.model.results.run import Run

TIME_METRICS = (  # (metric, kind) compared month by month
    ("revenue", "vendor"),
    ("market_share", "vendor"),
    ("workforce", "vendor"),
    ("valuation", "vendor"),
    ("spend", "pair"),
)
LOW, HIGH = 5.0, 95.0


class ComparisonError(InputError):
    """Runs that cannot be compared, with the reason."""


@dataclass(frozen=True)
class Pairing:
    """Which replicates of the baseline and the scenario are compared with each other."""

    base: np.ndarray  # replicate numbers in the baseline
    other: np.ndarray  # replicate numbers in the scenario
    paired: bool
    by_draw: bool = False  # also by posterior draw (the same parameters in both)

    def describe(self) -> str:
        """One line for tables and reports."""
        if self.paired:
            how = "seed and posterior draw" if self.by_draw else "seed"
            return f"paired by {how} (common random numbers), {len(self.base)} replicate pairs"
        return (
            f"UNPAIRED: no replicate seed in common; every one of {len(set(self.base))} x "
            f"{len(set(self.other))} replicate combinations compared"
        )


def check_comparable(runs: list[Run]) -> None:
    """Refuse runs that do not cover the same months, vendors and clients."""
    first = runs[0]
    for run in runs[1:]:
        where = f"cannot compare {run.name} ({run.path}) with {first.name} ({first.path})"
        if len(run.dates) != len(first.dates) or (run.dates != first.dates).any():
            raise ComparisonError(
                f"{where}: they simulate different months ({_span(run)} versus {_span(first)})"
            )
        for what in ("vendors", "clients"):
            mine, theirs = getattr(run, what), getattr(first, what)
            if set(mine) != set(theirs):
                extra = sorted(set(mine) ^ set(theirs))
                raise ComparisonError(f"{where}: different {what} ({', '.join(extra)})")


def _span(run: Run) -> str:
    """First and last month of a run, for messages."""
    return f"{run.dates[0]:%Y-%m} to {run.dates[-1]:%Y-%m}"


def _keys(run: Run) -> list:
    """What pairs a replicate: its seed, and its posterior draw when it drew one."""
    draws = run.draws
    seeds = run.seeds.tolist()
    return seeds if draws is None else list(zip(seeds, draws.tolist(), strict=True))


def _same_parameters(base: Run, other: Run) -> str | None:
    """Why replicates with the same seed still differ in their parameter draws, or None."""
    b, o = base.manifest.get("posterior"), other.manifest.get("posterior")
    if (b is None) != (o is None):
        drew = other.name if o else base.name
        return (f"{drew} drew its parameters from a posterior sample and the other did not; "
                "run both with `posterior=` (or neither)")  # fmt: skip
    if b is not None and b.get("sha256") != o.get("sha256"):
        return "they drew their parameters from different posterior samples"
    return None


def pair_replicates(base: Run, other: Run, allow_unpaired: bool = False) -> Pairing:
    """Match replicates by seed (and posterior draw); without a common one, refuse or go
    unpaired on request."""
    why = _same_parameters(base, other)
    b_keys, o_keys = _keys(base), _keys(other)
    theirs = set(o_keys)
    common = [] if why else [k for k in b_keys if k in theirs]
    if common:
        b_index = {k: i for i, k in enumerate(b_keys)}
        o_index = {k: i for i, k in enumerate(o_keys)}
        return Pairing(
            np.array([b_index[k] for k in common]),
            np.array([o_index[k] for k in common]),
            True,
            base.draws is not None,
        )
    if why and not allow_unpaired:
        raise ComparisonError(
            f"cannot pair {other.name} with {base.name}: {why}; or use `unpaired=True`"
        )
    if not allow_unpaired:
        raise ComparisonError(
            f"{other.name} (seed {other.manifest.get('seed')}) and {base.name} (seed "
            f"{base.manifest.get('seed')}) share no replicate seed, so their replicates cannot "
            "be paired; rerun both with the same `seed=`, or use `unpaired=True`"
        )
    nb, no = base.replicates, other.replicates
    return Pairing(np.repeat(np.arange(nb), no), np.tile(np.arange(no), nb), False)


def _wide(frame: pd.DataFrame, keys: list[str], n_reps: int) -> pd.DataFrame:
    """Values with one column per replicate, rows keyed by `keys`."""
    wide = frame.pivot_table(index=keys, columns="replicate", values="value", observed=True)
    return wide.reindex(columns=range(n_reps))


def _interval(diff: np.ndarray) -> np.ndarray:
    """(G, 3): 5%, median and 95% of each row, ignoring undefined pairs."""
    out = np.full((diff.shape[0], 3), np.nan)
    ok = ~np.isnan(diff).all(axis=1)
    if ok.any():
        out[ok] = np.nanpercentile(diff[ok], [LOW, 50.0, HIGH], axis=1).T
    return out


def time_differences(base: Run, other: Run, pairing: Pairing) -> pd.DataFrame:
    """Monthly paired differences (scenario minus baseline) of every compared metric."""
    parts = []
    for metric, kind in TIME_METRICS:
        keys = ["client", "vendor", "date"]
        b = _select(base.timeseries, metric, kind)
        o = _select(other.timeseries, metric, kind)
        wb, wo = _wide(b, keys, base.replicates), _wide(o, keys, other.replicates)
        wo = wo.reindex(wb.index)
        diff = wo.to_numpy()[:, pairing.other] - wb.to_numpy()[:, pairing.base]
        stats = _interval(diff)
        frame = wb.index.to_frame(index=False)
        frame.insert(0, "metric", metric)
        frame[["diff_lo", "diff_median", "diff_hi"]] = stats
        parts.append(frame)
    out = pd.concat(parts, ignore_index=True)
    out.insert(0, "baseline", base.name)
    out.insert(0, "scenario", other.name)
    out["paired"] = pairing.paired
    return out


def _select(ts: pd.DataFrame, metric: str, kind: str) -> pd.DataFrame:
    """Rows of one metric for vendors (client empty) or client-vendor pairs."""
    rows = ts[ts["metric"] == metric]
    names = {k: rows[k].astype(object).fillna("").astype(str) for k in ("client", "vendor")}
    rows = rows.assign(**names)  # none is '' here (null in the file, '' in older runs)
    rows = rows[rows["vendor"] != ""]
    return rows[rows["client"] == ""] if kind == "vendor" else rows[rows["client"] != ""]


def outcomes(run: Run) -> pd.DataFrame:
    """Headline outcomes per replicate (columns), one row per outcome."""
    ts = run.timeseries.assign(year=run.timeseries["date"].dt.year.astype(str))
    last_month = ts["month"].max()
    last_year = ts["year"].max()
    keys = ["outcome", "period", "client", "vendor"]
    rows = []
    revenue = _select(ts, "revenue", "vendor").assign(outcome="revenue")
    rows.append(
        revenue.groupby(["outcome", "year", "client", "vendor", "replicate"])["value"].sum()
    )
    for metric in ("market_share", "workforce", "valuation"):
        end = _select(ts, metric, "vendor")
        end = end[end["month"] == last_month].assign(outcome=metric, year="end")
        rows.append(end.set_index(["outcome", "year", "client", "vendor", "replicate"])["value"])
    spend = _select(ts, "spend", "pair")
    spend = spend[spend["year"] == last_year].assign(outcome="spend")
    rows.append(spend.groupby(["outcome", "year", "client", "vendor", "replicate"])["value"].sum())
    table = pd.concat(rows).unstack("replicate").reindex(columns=range(run.replicates))
    table.index = table.index.set_names(keys)
    return table


def headline(base: Run, other: Run, pairing: Pairing) -> pd.DataFrame:
    """Per-outcome medians and the paired difference with its 5-95% range."""
    ob, oo = outcomes(base), outcomes(other)
    oo = oo.reindex(ob.index)
    b, o = ob.to_numpy()[:, pairing.base], oo.to_numpy()[:, pairing.other]
    absolute = _interval(o - b)
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = _interval(np.where(b > 0, (o - b) / b * 100.0, np.nan))
    table = ob.index.to_frame(index=False)
    table.insert(0, "baseline", base.name)
    table.insert(0, "scenario", other.name)
    table["baseline_median"] = np.nanmedian(ob.to_numpy(), axis=1)
    table["scenario_median"] = np.nanmedian(oo.to_numpy(), axis=1)
    table[["diff_lo", "diff_median", "diff_hi"]] = absolute
    table[["pct_lo", "pct_median", "pct_hi"]] = relative
    table["paired"] = pairing.paired
    order = {v: i for i, v in enumerate(base.vendors)}
    table["_v"] = table["vendor"].map(order)
    table = table.sort_values(["outcome", "client", "_v", "period"], kind="stable")
    rank = {"revenue": 0, "market_share": 1, "workforce": 2, "valuation": 3, "spend": 4}
    table = table.sort_values("outcome", key=lambda s: s.map(rank), kind="stable")
    return table.drop(columns="_v").reset_index(drop=True)


def compare(runs: list[Run], unpaired: bool = False) -> tuple[pd.DataFrame, pd.DataFrame, list]:
    """Check, pair and difference every run against the first: (headline, monthly, pairings)."""
    if len(runs) < 2:
        raise ComparisonError("a comparison needs a baseline and at least one other run")
    check_comparable(runs)
    names = [r.name for r in runs]
    if len(set(names)) != len(names):
        raise ComparisonError(f"two inputs have the same scenario name ({', '.join(names)})")
    base, others = runs[0], runs[1:]
    pairings = [pair_replicates(base, other, unpaired) for other in others]
    heads = [headline(base, o, p) for o, p in zip(others, pairings, strict=True)]
    diffs = [time_differences(base, o, p) for o, p in zip(others, pairings, strict=True)]
    return pd.concat(heads, ignore_index=True), pd.concat(diffs, ignore_index=True), pairings
