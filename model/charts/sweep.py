"""Charts of a finished sweep: response curves, grid heatmaps and sensitivity bars.

Drawn from the tables a sweep writes (results, sensitivity) and the units its manifest
records, with `matplotlib.figure.Figure` directly (no pyplot state), in the palette of
`model.charts`. Every band is the 5-95% range and every line the median.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from labelmarket.model.charts.layout import (
    CHAR_WIDTH_EM,
    PT,
    Margins,
    legend_below,
    new_figure,
    panels,
    save,
    title,
)
from labelmarket.model.charts.sensitivity import sensitivity_bars
from labelmarket.model.charts.style import (
    BAND_ALPHA,
    GRID_COLOUR,
    INK,
    Ticks,
    business_model_colours,
    money_scale,
    styled,
    vendor_colours,
)
from labelmarket.model.charts.words import capitalised, outcome_title, parameter_label

MAX_PANELS = 6
BINS = 12
PANEL_PX = 300  # one response panel; two charts sit side by side in the report


def slug(name: str) -> str:
    """A file-name-safe version of an outcome name."""
    return re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_").lower()


def _wrap(text: str, pixels: float) -> str:
    """Break a label into lines that fit `pixels` at the axis-label size."""
    chars = int(pixels / (CHAR_WIDTH_EM * 10.5 * PT))
    return textwrap.fill(text, max(16, chars), break_on_hyphens=False)


def outcome_colour(outcome: dict, vendors: list[str]) -> str:
    """The vendor's colour for a vendor outcome, a business model's for its share, else ink."""
    if outcome.get("vendor"):
        return vendor_colours(vendors)[outcome["vendor"]]
    return business_model_colours().get(outcome["metric"], INK)


@styled
def response_curves(
    results: pd.DataFrame, parameters: list[dict], outcome: dict, vendors: list[str]
) -> Figure:
    """Median and 5-95% band of an outcome against each parameter, one panel per parameter."""
    ok = results[results["error"].isna()]
    shown = parameters[:MAX_PANELS]
    cols = min(3, len(shown))
    rows = -(-len(shown) // cols)
    grid = Margins(left=84, right=20, top=60, bottom=64, wgap=84, hgap=90)
    width = grid.left + grid.right + cols * PANEL_PX + (cols - 1) * grid.wgap
    fig = new_figure(width / 100, (grid.top + grid.bottom + rows * 230 + (rows - 1) * 90) / 100)
    axes = panels(fig, rows, cols, grid, count=len(shown))
    y_all = ok[outcome["name"]].to_numpy(dtype=float)
    scale, unit = money_scale(outcome["unit"], y_all)
    colour = outcome_colour(outcome, vendors)
    for ax, par in zip(axes, shown, strict=False):
        _response(ax, ok[par["path"]].to_numpy(dtype=float), y_all / scale, colour)
        if outcome["unit"] == "$" and outcome.get("versus_baseline"):
            ax.axhline(0, color="#555555", lw=0.8)
        ax.set_xlabel(_wrap(parameter_label(par), PANEL_PX))
        ax.grid(True, color=GRID_COLOUR, lw=0.6)
        ax.yaxis.set_major_formatter(Ticks())
    axes[0].set_ylabel(_wrap(unit, 200))
    more = f" (first {MAX_PANELS} of {len(parameters)} parameters)" if len(parameters) > 6 else ""
    title(fig, _wrap(capitalised(outcome_title(outcome)) + more, width - 20))
    across = "replicates" if len(parameters) == 1 else "replicates and the other parameters"
    legend_below(fig, [_line(colour, "median"), _swatch(colour, f"5-95% across {across}")], 2)
    return fig


def _response(ax, x: np.ndarray, y: np.ndarray, colour: str) -> None:
    """One parameter's panel: a group per grid value, or quantile bins of sampled values."""
    levels = np.unique(x)
    grid = len(levels) <= 25
    if grid:  # grid-like: one group per value
        keys, centres = x, levels
    else:  # sampled: quantile bins of x
        edges = np.unique(np.quantile(x, np.linspace(0, 1, BINS + 1)))
        keys = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, len(edges) - 2)
        centres = (edges[:-1] + edges[1:]) / 2
        ax.scatter(x, y, s=4, color=colour, alpha=0.15, lw=0, rasterized=True, label="_runs")
    frame = pd.DataFrame({"k": keys, "y": y}).dropna().groupby("k")["y"]
    q = frame.quantile([0.05, 0.5, 0.95]).unstack()
    # levels where the outcome never has a value (a client that never leaves) are skipped
    xs = q.index.to_numpy(dtype=float) if grid else centres[q.index.to_numpy(dtype=int)]
    ax.fill_between(xs, q[0.05], q[0.95], color=colour, alpha=BAND_ALPHA, lw=0)
    ax.plot(xs, q[0.5], color=colour, lw=2, marker="o", ms=3)


def _line(colour: str, label: str):
    """A legend entry for a line."""

    return Line2D([], [], color=colour, lw=2, marker="o", ms=3, label=label)


def _swatch(colour: str, label: str):
    """A legend entry for a band."""

    return Patch(color=colour, alpha=BAND_ALPHA + 0.1, label=label)


@styled
def heatmap(results: pd.DataFrame, parameters: list[dict], outcome: dict) -> Figure:
    """Mean outcome over the grid of the first two parameters (replicates averaged)."""
    ok = results[results["error"].isna()]
    px, py = parameters[0]["path"], parameters[1]["path"]
    table = ok.groupby([py, px])[outcome["name"]].mean().unstack(px)
    values = table.to_numpy(dtype=float)
    scale, unit = money_scale(outcome["unit"], values)
    values = values / scale
    fig = new_figure(4.7, 4.3)
    (ax,) = panels(fig, 1, 1, Margins(left=88, right=124, top=64, bottom=84))
    finite = values[np.isfinite(values)]
    diverging = finite.size and finite.min() < 0 < finite.max()
    norm = TwoSlopeNorm(0.0, finite.min(), finite.max()) if diverging else None
    mesh = ax.pcolormesh(
        np.arange(values.shape[1] + 1),
        np.arange(values.shape[0] + 1),
        values,
        cmap="RdBu_r" if diverging else "viridis",
        norm=norm,
        shading="flat",
    )
    ax.set_xlim(0, values.shape[1])
    ax.set_ylim(0, values.shape[0])
    ax.set_xticks(np.arange(values.shape[1]) + 0.5, [f"{v:g}" for v in table.columns])
    ax.set_yticks(np.arange(values.shape[0]) + 0.5, [f"{v:g}" for v in table.index])
    _thin(ax.xaxis, 9)
    ax.set_xlabel(_wrap(parameter_label(parameters[0]), 280))
    ax.set_ylabel(_wrap(parameter_label(parameters[1]), 250))
    missing = ok[outcome["name"]].isna().any()  # e.g. a client that never leaves
    how = "mean of the replicates where it happens" if missing else "mean of replicates"
    box = ax.get_position()
    cax = fig.add_axes((box.x1 + 12 / 470, box.y0, 14 / 470, box.height))
    bar = fig.colorbar(mesh, cax=cax)
    bar.set_label(_wrap(f"{unit}, {how}", 280))
    bar.ax.yaxis.set_major_formatter(Ticks())
    title(fig, _wrap(capitalised(outcome_title(outcome)) + " across the grid", 450))
    return fig


def _thin(axis, most: int) -> None:
    """Label every k-th tick when there are more than `most` (the rest keep their mark)."""
    labels = axis.get_ticklabels()
    k = -(-len(labels) // most)
    for i, label in enumerate(labels):
        label.set_visible(i % k == 0)


def write_sweep_charts(
    results: pd.DataFrame, manifest: dict, sensitivity: pd.DataFrame | None, folder: Path
) -> list[Path]:
    """Every chart of a sweep into `folder`; return the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    parameters, vendors = manifest["parameters"], manifest.get("vendors", [])
    spec = manifest["sweep"]
    scales = {p["path"]: p.get("scale", "linear") for p in spec["parameters"]}
    written = []
    for outcome in manifest["outcomes"]:
        ranked = parameters
        if sensitivity is not None and outcome["name"] in set(sensitivity["outcome"]):
            rows = sensitivity[sensitivity["outcome"] == outcome["name"]]
            order = rows.sort_values("ST" if "ST" in rows else "mu_star", ascending=False)
            by_path = {p["path"]: p for p in parameters}
            ranked = [by_path[p] for p in order["parameter"]]
            fig = sensitivity_bars(sensitivity, outcome)
            written.append(save(fig, folder / f"sensitivity_{slug(outcome['name'])}.png"))
        fig = response_curves(results, ranked, outcome, vendors)
        for ax, par in zip(fig.axes, ranked, strict=False):
            if scales.get(par["path"]) == "log":
                ax.set_xscale("log")
        written.append(save(fig, folder / f"response_{slug(outcome['name'])}.png"))
        if spec["design"] == "grid" and len(parameters) >= 2:
            fig = heatmap(results, parameters, outcome)
            written.append(save(fig, folder / f"heatmap_{slug(outcome['name'])}.png"))
    return written
