"""Charts of a finished sweep: response curves, grid heatmaps and sensitivity bars.

Drawn from the tables a sweep writes (results, sensitivity) and the units its manifest
records, with `matplotlib.figure.Figure` directly (no pyplot state), in the palette of
`model.charts`. Every band is the 5-95% range and every line the median.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure

from labelmarket.model.charts.style import (
    BAND_ALPHA,
    CROWD_COLOUR,
    DPI,
    EXPERT_COLOUR,
    vendor_colours,
)

MAX_PANELS = 6
BINS = 12
GREY = "#DDDDDD"


def slug(name: str) -> str:
    """A file-name-safe version of an outcome name."""
    return re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_").lower()


def money_scale(unit: str, values: np.ndarray) -> tuple[float, str]:
    """(divisor, unit label) so dollar axes read in $k, $M or $B."""
    if unit != "$":
        return 1.0, unit
    top = float(np.nanmax(np.abs(values))) if np.isfinite(values).any() else 0.0
    for size, label in ((1e9, "$B"), (1e6, "$M"), (1e3, "$k")):
        if top >= size:
            return size, label
    return 1.0, "$"


def outcome_colour(outcome: dict, vendors: list[str]) -> str:
    """The vendor's colour for a vendor outcome, else crowd/expert or black."""
    if outcome.get("vendor"):
        return vendor_colours(vendors)[outcome["vendor"]]
    return EXPERT_COLOUR if outcome["metric"] == "expert_vendor_share" else CROWD_COLOUR


def _axis_label(parameter: dict) -> str:
    """`clients.*.contract_renewal (utility)`."""
    return (
        f"{parameter['path']} ({parameter['unit']})" if parameter.get("unit") else parameter["path"]
    )


def response_curves(
    results: pd.DataFrame, parameters: list[dict], outcome: dict, vendors: list[str]
) -> Figure:
    """Median and 5-95% band of an outcome against each parameter, one panel per parameter."""
    ok = results[results["error"].isna()]
    shown = parameters[:MAX_PANELS]
    cols = min(3, len(shown))
    rows = -(-len(shown) // cols)
    fig = Figure(figsize=(4.6 * cols, 3.6 * rows + 0.6), dpi=DPI, layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).ravel()
    y_all = ok[outcome["name"]].to_numpy(dtype=float)
    scale, unit = money_scale(outcome["unit"], y_all)
    colour = outcome_colour(outcome, vendors)
    for ax, par in zip(axes, shown, strict=False):
        x = ok[par["path"]].to_numpy(dtype=float)
        y = y_all / scale
        levels = np.unique(x)
        if len(levels) <= 25:  # grid-like: one group per value
            keys, centres = x, levels
        else:  # sampled: quantile bins of x
            edges = np.unique(np.quantile(x, np.linspace(0, 1, BINS + 1)))
            keys = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, len(edges) - 2)
            centres = (edges[:-1] + edges[1:]) / 2
            ax.scatter(x, y, s=4, color=colour, alpha=0.15, lw=0, rasterized=True)
        frame = pd.DataFrame({"k": keys, "y": y}).dropna().groupby("k")["y"]
        q = frame.quantile([0.05, 0.5, 0.95]).unstack()
        xs = centres if len(levels) <= 25 else centres[q.index.to_numpy(dtype=int)]
        ax.fill_between(xs, q[0.05], q[0.95], color=colour, alpha=BAND_ALPHA, lw=0)
        ax.plot(xs, q[0.5], color=colour, lw=2, marker="o", ms=3)
        if outcome["unit"] == "$" and outcome.get("versus_baseline"):
            ax.axhline(0, color="#555555", lw=0.8)
        ax.set_xlabel(_axis_label(par))
        ax.set_ylabel(f"{outcome['name']} ({unit})")
        ax.grid(True, color=GREY, lw=0.6)
    for ax in axes[len(shown) :]:
        ax.set_visible(False)
    across = "replicates" if len(parameters) == 1 else "replicates and the other parameters"
    more = (
        f"; first {MAX_PANELS} of {len(parameters)} parameters"
        if len(parameters) > MAX_PANELS
        else ""
    )
    fig.suptitle(f"{outcome['name']}: median and 5-95% band across {across}{more}", fontsize=10)
    return fig


def heatmap(results: pd.DataFrame, parameters: list[dict], outcome: dict) -> Figure:
    """Mean outcome over the grid of the first two parameters (replicates averaged)."""
    ok = results[results["error"].isna()]
    px, py = parameters[0]["path"], parameters[1]["path"]
    table = ok.groupby([py, px])[outcome["name"]].mean().unstack(px)
    values = table.to_numpy(dtype=float)
    scale, unit = money_scale(outcome["unit"], values)
    values = values / scale
    fig = Figure(figsize=(6.4, 4.8), dpi=DPI, layout="constrained")
    ax = fig.subplots()
    finite = values[np.isfinite(values)]
    diverging = finite.size and finite.min() < 0 < finite.max()
    norm = TwoSlopeNorm(0.0, finite.min(), finite.max()) if diverging else None
    mesh = ax.pcolormesh(
        np.arange(values.shape[1] + 1), np.arange(values.shape[0] + 1), values,
        cmap="RdBu_r" if diverging else "viridis", norm=norm, shading="flat",
    )  # fmt: skip
    ax.set_xticks(np.arange(values.shape[1]) + 0.5, [f"{v:g}" for v in table.columns])
    ax.set_yticks(np.arange(values.shape[0]) + 0.5, [f"{v:g}" for v in table.index])
    ax.set_xlabel(_axis_label(parameters[0]))
    ax.set_ylabel(_axis_label(parameters[1]))
    fig.colorbar(mesh, ax=ax, label=f"{outcome['name']} ({unit}), mean of replicates")
    ax.set_title(f"{outcome['name']} across the grid", fontsize=10)
    return fig


def sensitivity_bars(table: pd.DataFrame, outcome: dict) -> Figure:
    """Sobol S1/ST with confidence intervals, or Morris mu* and sigma, per parameter."""
    rows = table[table["outcome"] == outcome["name"]]
    sobol = "ST" in rows
    rows = rows.sort_values("ST" if sobol else "mu_star")
    y = np.arange(len(rows))
    fig = Figure(figsize=(7.6, 1.2 + 0.32 * len(rows)), dpi=DPI, layout="constrained")
    ax = fig.subplots()
    h = 0.38
    if sobol:
        ax.barh(y + h / 2, rows["ST"], h, xerr=rows["ST_conf"], color="#0072B2", label="total (ST)")
        ax.barh(y - h / 2, rows["S1"], h, xerr=rows["S1_conf"], color="#E69F00",
                label="first order (S1)")  # fmt: skip
        ax.set_xlabel("Sobol index (share of the variance of the point mean), 95% CI")
    else:
        scale, unit = money_scale(outcome["unit"], rows["mu_star"].to_numpy(dtype=float))
        ax.barh(y + h / 2, rows["mu_star"] / scale, h, xerr=rows["mu_star_conf"] / scale,
                color="#0072B2", label="mu* (mean |elementary effect|), 95% CI")  # fmt: skip
        ax.barh(y - h / 2, rows["sigma"] / scale, h, color="#E69F00", label="sigma (spread)")
        ax.set_xlabel(f"effect on {outcome['name']} ({unit} per full parameter range)")
    ax.set_yticks(y, rows["parameter"])
    ax.set_ylabel("parameter")
    ax.axvline(0, color="#555555", lw=0.8)
    ax.grid(True, axis="x", color=GREY, lw=0.6)
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(f"Sensitivity of {outcome['name']}", fontsize=10)
    return fig


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
            written.append(folder / f"sensitivity_{slug(outcome['name'])}.png")
            fig.savefig(written[-1])
        fig = response_curves(results, ranked, outcome, vendors)
        for ax, par in zip(fig.axes, ranked, strict=False):
            if scales.get(par["path"]) == "log":
                ax.set_xscale("log")
        written.append(folder / f"response_{slug(outcome['name'])}.png")
        fig.savefig(written[-1])
        if spec["design"] == "grid" and len(parameters) >= 2:
            written.append(folder / f"heatmap_{slug(outcome['name'])}.png")
            heatmap(results, parameters, outcome).savefig(written[-1])
    return written
