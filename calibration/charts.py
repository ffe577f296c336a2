"""Calibration charts: posterior marginals against priors, pairwise posterior, and the
posterior-predictive series of every target with its facts drawn on it as points and ranges.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import NullFormatter

from labelmarket.calibration.predictive import Predictive
from labelmarket.calibration.priors import FitSpec
from labelmarket.calibration.targets import Target
from labelmarket.model.charts.style import format_dates, money_axis, vendor_colours

POSTERIOR, PRIOR, FACT, DEAL = "#1f77b4", "#999999", "#d62728", "#555555"


def _short(name: str) -> str:
    return name.replace("clients.*.", "").replace("vendors.*.", "").replace("market.", "")


def _grid(n: int, cols: int) -> tuple[int, int]:
    return max(1, -(-n // cols)), min(n, cols)


def marginals(path: Path, fit: FitSpec, theta: np.ndarray, w: np.ndarray) -> Path:
    """Weighted posterior histogram of each parameter over its prior density."""
    rows, cols = _grid(len(fit.parameters), 4)
    fig, axes = plt.subplots(rows, cols, figsize=(3.4 * cols, 2.5 * rows), squeeze=False)
    for ax, (j, p) in zip(axes.flat, enumerate(fit.parameters), strict=False):
        lo, hi = p.spec.low, p.spec.high
        edges = np.geomspace(lo, hi, 25) if p.log else np.linspace(lo, hi, 25)
        ax.hist(theta[:, j], bins=edges, weights=w, density=True, color=POSTERIOR, alpha=0.7)
        grid = np.geomspace(lo, hi, 200) if p.log else np.linspace(lo, hi, 200)
        ax.plot(grid, np.gradient(p.cdf(grid), grid), color=PRIOR, lw=1.5, ls="--")
        if p.log:
            ax.set_xscale("log")
            ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_title(_short(p.name) + (" (x base)" if p.spec.relative else ""), fontsize=9)
        ax.tick_params(labelsize=7)
        ax.set_yticks([])
    for ax in axes.flat[len(fit.parameters) :]:
        ax.set_visible(False)
    fig.legend(["prior", "posterior"], loc="lower right", fontsize=8, frameon=False)
    fig.suptitle("Posterior marginals (bars) against priors (dashed)", fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def pairwise(path: Path, fit: FitSpec, theta: np.ndarray, w: np.ndarray) -> Path:
    """Lower-triangle scatter of every pair of parameters (dot size follows the weight)."""
    n = len(fit.parameters)
    fig, axes = plt.subplots(n, n, figsize=(1.3 * n + 1, 1.3 * n + 1), squeeze=False)
    size = 2 + 30 * w / w.max()
    for i in range(n):
        for j in range(n):
            ax = axes[i, j]
            if j > i:
                ax.set_visible(False)
                continue
            pi, pj = fit.parameters[i], fit.parameters[j]
            if i == j:
                ax.hist(theta[:, j], bins=20, weights=w, color=POSTERIOR, alpha=0.7)
            else:
                ax.scatter(theta[:, j], theta[:, i], s=size, color=POSTERIOR, alpha=0.3, lw=0)
                ax.set_ylim(pi.spec.low, pi.spec.high)
                ax.set_yscale("log" if pi.log else "linear")
            ax.set_xlim(pj.spec.low, pj.spec.high)
            ax.set_xscale("log" if pj.log else "linear")
            ax.tick_params(
                which="both", bottom=False, left=False, labelbottom=False, labelleft=False
            )
            if i == n - 1:
                ax.set_xlabel(_short(pj.name), fontsize=6, rotation=30, ha="right")
            if j == 0:
                ax.set_ylabel(_short(pi.name), fontsize=6, rotation=0, ha="right")
    fig.suptitle("Pairwise posterior (lower triangle), marginals on the diagonal", fontsize=10)
    fig.subplots_adjust(left=0.17, bottom=0.14, right=0.98, top=0.95, wspace=0.05, hspace=0.05)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def _fact(ax: plt.Axes, t: Target, dates: pd.DatetimeIndex) -> None:
    """Draw what the facts say: a point with its tolerance range, or a bound with its side."""
    a, b = t.window
    span = dates[a : b + 1]
    obs = t.observed / (b - a + 1) if t.spec.statistic == "sum" else t.observed
    tol = t.spec.tolerance
    mid = span[0] + (span[-1] - span[0]) / 2
    if t.spec.relation == "approx":
        ax.errorbar(
            [mid],
            [obs],
            yerr=[[obs - obs / (1 + tol)], [obs * tol]],
            fmt="o",
            color=FACT,
            capsize=4,
        )
    else:
        edge = obs * (1 - tol) if t.spec.relation == "at_least" else obs * (1 + tol)
        ax.fill_between(span, obs, edge, color=FACT, alpha=0.15, lw=0)
        marker = "^" if t.spec.relation == "at_least" else "v"
        ax.plot([mid], [obs], marker=marker, color=FACT, ms=8)
    ax.plot([span[0], span[-1]], [obs, obs], color=FACT, lw=2)
    if t.baseline is not None:
        c, d = t.baseline
        ax.axvspan(dates[c], dates[d] + pd.offsets.MonthBegin(1), color=PRIOR, alpha=0.15, lw=0)


def _trim(ax: plt.Axes, t: Target, mid: np.ndarray, hi: np.ndarray) -> None:
    """Keep the fit in view: an axis set by the median, the fact and most of the band.

    Ratios to a baseline month can spike by orders of magnitude early on, where the baseline
    is small; a band that leaves the axis is cut there and the panel says so.
    """
    tol = t.spec.tolerance
    fact_top = t.observed * (1 + tol) / ((t.window[1] - t.window[0] + 1)
                                          if t.spec.statistic == "sum" else 1)  # fmt: skip
    finite = hi[np.isfinite(hi)]
    if not finite.size:
        return
    top = 1.15 * max(np.nanmax(mid), fact_top, np.percentile(finite, 80))
    if finite.max() > top * 1.5 and top > 0:  # a spike, not a band that merely grows
        low = min(ax.get_ylim()[0], 0.0)
        ax.set_ylim(low, top)
        ax.annotate(
            f"band cut: it reaches {finite.max():.3g}",
            xy=(0.99, 0.97), xycoords="axes fraction", ha="right", va="top", fontsize=8,
            color="#555555",
        )  # fmt: skip


def predictive(
    path: Path,
    targets: list[Target],
    pred: Predictive,
    start: str,
    deal_month: int | None,
    vendors: tuple[str, ...],
    held_out: frozenset[str] | set[str] = frozenset(),
) -> Path:
    """One panel per target: the predictive median and 90% band, the facts as points/ranges."""
    rows, cols = _grid(len(targets), 3)
    fig, axes = plt.subplots(rows, cols, figsize=(5.0 * cols, 2.9 * rows), squeeze=False)
    colours = vendor_colours(vendors)
    dates = pd.date_range(start=f"{start}-01", periods=pred.series.shape[1], freq="MS")
    for ax, (j, t) in zip(axes.flat, enumerate(targets), strict=False):
        x = pred.series[j]
        colour = colours.get(t.spec.args.get("vendor", ""), POSTERIOR)
        lo, mid, hi = np.nanpercentile(x, [5, 50, 95], axis=1)
        ax.fill_between(dates, lo, hi, color=colour, alpha=0.25, lw=0)
        ax.plot(dates, mid, color=colour, lw=1.8)
        _fact(ax, t, dates)
        _trim(ax, t, mid, hi)
        if deal_month is not None:
            ax.axvline(dates[deal_month], color=DEAL, lw=0.8, ls=":")
        unit = "x baseline (grey)" if t.baseline is not None else t.spec.unit
        versus = {"ratio": "x no stake", "difference": f"{t.spec.unit} minus no stake"}
        unit = versus.get(t.spec.counterfactual or "", unit)
        title = t.id + (" [held out]" if t.id in held_out else "")
        title += "" if t.fitted else " [check]"
        ax.set_title(title, fontsize=10)
        format_dates(ax, dates, max_ticks=6)
        if unit == "$":
            money_axis(ax, "$ per month" if t.spec.statistic == "sum" else "$")
        else:
            ax.set_ylabel(unit, fontsize=9)
        ax.tick_params(labelsize=8)
    for ax in axes.flat[len(targets) :]:
        ax.set_visible(False)
    fig.suptitle(
        "Posterior predictive (median, 90% band); facts in red: points with their tolerance, "
        "bounds as triangles pointing to the allowed side (tolerance shaded); dotted: the stake",
        fontsize=10,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
