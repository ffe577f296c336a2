"""Scenario-discovery charts: PRIM's coverage/density trade-off, the chosen box, the cases.

Three pictures a reader needs to trust a box: the peeling trajectory (how much density was
bought with how much coverage, and which box was chosen), the box's limits against each
parameter's range in the sweep, and the runs themselves on the two most restricted
parameters with the box drawn over them.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from labelmarket.model.charts.layout import (
    PT,
    Margins,
    legend_below,
    new_figure,
    panels,
    save,
    title,
)
from labelmarket.model.charts.style import (
    BASELINE_COLOUR,
    CHAR_WIDTH_EM,
    GRID_COLOUR,
    OKABE_ITO,
    SMALLEST_PT,
    Ticks,
    styled,
)
from labelmarket.model.experiments.discovery import Discovery

HIT_COLOUR = OKABE_ITO[4]  # vermilion: the cases of interest
MISS_COLOUR = "#BBBBBB"
BOX_COLOUR = OKABE_ITO[3]


@styled
def tradeoff_figure(d: Discovery) -> Figure:
    """Coverage against density along PRIM's peeling trajectory, the chosen box marked.

    Both axes run within 0-100%; how many parameters a box restricts is a count, so it is
    told by a few named colours in the legend, not by a continuous colour bar.
    """
    t = d.trajectory
    fig = new_figure(7.0, 4.4)
    (ax,) = panels(fig, 1, 1, Margins(left=96, right=32, top=44, bottom=58))
    dims = t["res_dim"].to_numpy().astype(int)
    ax.plot(t["coverage"] * 100, t["density"] * 100, color=GRID_COLOUR, lw=1, zorder=2)
    for i, n in enumerate(np.unique(dims)):
        at = dims == n
        ax.scatter(
            t["coverage"][at] * 100,
            t["density"][at] * 100,
            s=28,
            zorder=3,
            color=OKABE_ITO[i % len(OKABE_ITO)],
            clip_on=False,
            label=f"{n} parameter{'' if n == 1 else 's'} restricted",
        )
    box = d.box
    ax.scatter(
        [box["coverage"] * 100],
        [box["density"] * 100],
        s=220,
        facecolors="none",
        edgecolors=HIT_COLOUR,
        lw=2,
        zorder=4,
        clip_on=False,
        label=f"chosen box ({d.chosen})",
    )
    ax.axhline(d.base_rate * 100, color=BASELINE_COLOUR, ls=":", lw=1.2)
    ax.annotate(
        f"all runs: {d.base_rate:.0%} of interest",
        xy=(0.01, d.base_rate * 100),
        xycoords=("axes fraction", "data"),
        xytext=(0, 3),
        textcoords="offset points",
        color=BASELINE_COLOUR,
        fontsize=SMALLEST_PT,
    )
    ax.set_xlim(max(0.0, float(t["coverage"].min()) * 100 - 5), 100)
    ax.set_ylim(0, 100)
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_formatter(Ticks("%"))
    ax.set_xlabel("Coverage: share of the runs of interest inside the box")
    ax.set_ylabel("Density: share of the box's\nruns that are of interest")
    ax.grid(True, color=GRID_COLOUR, lw=0.6)
    title(fig, "PRIM peeling trajectory: coverage against density")
    legend_below(fig, ax.get_legend_handles_labels()[0], max_cols=3)
    return fig


@styled
def limits_figure(d: Discovery, units: dict[str, str] | None = None) -> Figure:
    """Each parameter's range in the box (colour) against its range in the sweep (grey)."""
    units = units or {}
    restricted = d.limits["restricted"].astype(bool)
    lim = d.limits[restricted | (restricted.cumsum() == restricted.sum())].head(
        max(int(restricted.sum()) + 2, 4)
    )  # every restricted parameter and two of the free ones, for scale
    lim = lim.reset_index(drop=True)
    hidden = len(d.limits) - len(lim)
    names = [_label(p, units) for _, p in lim.iterrows()]
    widest = max(len(line) for name in names for line in name.split("\n"))
    left = min(420.0, widest * CHAR_WIDTH_EM * 10 * PT + 24)
    fig = new_figure(max(7.5, (left + 420) / 100), 1.7 + 0.6 * len(lim))
    (ax,) = panels(fig, 1, 1, Margins(left=left, right=30, top=70, bottom=40))
    for row, p in lim.iterrows():
        span = p["range_high"] - p["range_low"] or 1.0
        lo, hi = (p["low"] - p["range_low"]) / span, (p["high"] - p["range_low"]) / span
        ax.barh(-row, 1.0, left=0, height=0.5, color="#EEEEEE", edgecolor="#CCCCCC")
        colour = BOX_COLOUR if p["restricted"] else "#9DB7CF"
        ax.barh(-row, hi - lo, left=lo, height=0.5, color=colour)
        close = hi - lo < 0.2  # ends close together: write them away from each other
        for at, value, side in ((lo, p["low"], "right"), (hi, p["high"], "left")):
            ax.text(
                at,
                -row - 0.3,
                _number(value),
                va="top",
                fontsize=SMALLEST_PT,
                ha=side if close else "center",
            )
    ax.set_yticks(-np.arange(len(lim)), names)
    ax.set_xlim(-0.06, 1.06)
    ax.set_ylim(-len(lim) + 0.3, 0.6)
    ax.set_xticks([0, 1], ["sweep's low", "sweep's high"])
    more = f"\n({hidden} more parameters, not restricted, left out)" if hidden else ""
    box = d.box
    title(fig, f"Chosen box: coverage {box['coverage']:.0%}, density {box['density']:.0%}{more}")
    return fig


def _label(p: pd.Series, units: dict[str, str]) -> str:
    """A parameter's name, unit and quasi-p-value (how unlikely the restriction is by chance)."""
    unit = f" ({units[p['parameter']]})" if units.get(p["parameter"]) else ""
    qp = f"\nqp {p['qp']:.0e}" if pd.notna(p["qp"]) else ""
    return textwrap.fill(f"{p['parameter']}{unit}", 40, break_on_hyphens=False) + qp


def _number(v: float) -> str:
    """Limits at a readable precision."""
    return f"{v:.3g}" if abs(v) < 1e4 else f"{v:,.0f}"


@styled
def scatter_figure(x: pd.DataFrame, hits: np.ndarray, d: Discovery) -> Figure:
    """The runs on the two most restricted parameters, cases of interest in colour, the box
    (a sweep of one parameter: the runs along it, spread vertically, and the box's range)."""
    names = list(d.limits["parameter"][:2])
    first, second = names if len(names) == 2 else (names[0], None)
    lim = d.limits.set_index("parameter")
    fig = new_figure(6.5, 4.8 if second else 2.8)
    (ax,) = panels(fig, 1, 1, Margins(left=80, top=44, bottom=58))
    title(fig, "Runs of interest and the chosen box")
    if second is None:
        _strip(ax, x[first], hits, lim.loc[first])
    else:
        jitter, step = _jitter(x[[first, second]])
        px, py = x[first] + jitter[:, 0], x[second] + jitter[:, 1]
        (x0, x1), (y0, y1) = (
            _edges(lim.loc[p], s) for p, s in zip((first, second), step, strict=True)
        )
        ax.scatter(px[~hits], py[~hits], s=9, color=MISS_COLOUR, label="other runs", lw=0)
        ax.scatter(px[hits], py[hits], s=9, color=HIT_COLOUR, label="runs of interest", lw=0)
        rect = Rectangle(
            (x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor=BOX_COLOUR, lw=2, label="PRIM box"
        )
        ax.add_patch(rect)
        ax.set_xlabel(first)
        ax.set_ylabel(second)
    legend_below(fig, ax.get_legend_handles_labels()[0], max_cols=3)
    return fig


def _strip(ax, x: pd.Series, hits: np.ndarray, p: pd.Series) -> None:
    """One parameter: each run at its value, spread up and down, the box as a band."""
    jitter, step = _jitter(x.to_frame())
    spread = np.random.default_rng(1).uniform(0, 1, len(x))
    px = x + jitter[:, 0]
    ax.scatter(px[~hits], spread[~hits], s=9, color=MISS_COLOUR, label="other runs", lw=0)
    ax.scatter(px[hits], spread[hits], s=9, color=HIT_COLOUR, label="runs of interest", lw=0)
    low, high = _edges(p, float(step[0]))
    ax.axvspan(low, high, color=BOX_COLOUR, alpha=0.12, label="PRIM box")
    ax.set_yticks([])
    ax.set_xlabel(str(x.name))


def _jitter(x: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """A small fixed jitter so replicates at one grid point do not hide each other; and its
    half-width per column (0 for sampled designs, whose values do not repeat)."""
    rng = np.random.default_rng(0)
    step = np.array(
        [np.diff(np.unique(x[c])).min() if 1 < x[c].nunique() < 50 else 0.0 for c in x.columns]
    )
    return rng.uniform(-0.3, 0.3, size=(len(x), len(step))) * step, 0.3 * step


def _edges(p: pd.Series, jitter: float) -> tuple[float, float]:
    """A box side at the sweep's edge takes in the jittered points there."""
    low = p["low"] - jitter if p["low"] <= p["range_low"] else p["low"]
    high = p["high"] + jitter if p["high"] >= p["range_high"] else p["high"]
    return low, high


def write_discovery_charts(
    d: Discovery, x: pd.DataFrame, hits: np.ndarray, folder: Path, units: dict[str, str]
) -> list[Path]:
    """Write the three discovery charts; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    figures = {
        "prim_tradeoff.png": tradeoff_figure(d),
        "prim_box.png": limits_figure(d, units),
        "prim_scatter.png": scatter_figure(x, hits, d),
    }
    return [save(fig, folder / name) for name, fig in figures.items()]
