"""Sensitivity of a sweep's outcome to each parameter: Sobol indices or Morris effects.

One horizontal bar pair per parameter, the most influential at the top, each with its
confidence interval, at a width that sits beside another chart in the sweep report.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from labelmarket.model.charts.layout import (
    CHAR_WIDTH_EM,
    PT,
    Margins,
    legend_below,
    new_figure,
    panels,
    title,
)
from labelmarket.model.charts.style import GRID_COLOUR, OKABE_ITO, Ticks, money_scale, styled
from labelmarket.model.charts.words import capitalised, outcome_title

WRAP = 34  # characters of a parameter's path on one line


@styled
def sensitivity_bars(table: pd.DataFrame, outcome: dict) -> Figure:
    """Sobol S1/ST with confidence intervals, or Morris mu* and sigma, per parameter."""

    rows = table[table["outcome"] == outcome["name"]]
    sobol = "ST" in rows
    rows = rows.sort_values("ST" if sobol else "mu_star")
    names = [textwrap.fill(str(p), WRAP, break_on_hyphens=False) for p in rows["parameter"]]
    widest = max((len(line) for n in names for line in n.split("\n")), default=10)
    left = widest * CHAR_WIDTH_EM * 10 * PT + 20
    lines = sum(n.count("\n") + 1 for n in names)
    fig = new_figure((left + 330) / 100, (120 + 30 * max(lines, len(rows))) / 100 + 0.3)
    (ax,) = panels(fig, 1, 1, Margins(left=left, right=24, top=64, bottom=60))
    y, h = np.arange(len(rows)), 0.38
    if sobol:
        ax.barh(
            y + h / 2,
            rows["ST"],
            h,
            xerr=rows["ST_conf"],
            color=OKABE_ITO[3],
            label="total (ST), 95% CI",
        )
        ax.barh(
            y - h / 2,
            rows["S1"],
            h,
            xerr=rows["S1_conf"],
            color=OKABE_ITO[0],
            label="first order (S1), 95% CI",
        )
        ax.set_xlabel("share of the variance of the point mean")
    else:
        scale, unit = money_scale(outcome["unit"], rows["mu_star"].to_numpy(dtype=float))
        ax.barh(
            y + h / 2,
            rows["mu_star"] / scale,
            h,
            xerr=rows["mu_star_conf"] / scale,
            color=OKABE_ITO[3],
            label="mu* (mean |effect|), 95% CI",
        )
        ax.barh(y - h / 2, rows["sigma"] / scale, h, color=OKABE_ITO[0], label="sigma (spread)")
        ax.set_xlabel(f"{unit} per full parameter range")
    ax.set_yticks(y, names)
    ax.xaxis.set_major_formatter(Ticks())
    ax.axvline(0, color="#555555", lw=0.8)
    ax.grid(True, axis="x", color=GRID_COLOUR, lw=0.6)
    what = textwrap.fill(f"Sensitivity of {outcome_title(outcome)}", 56)
    title(fig, capitalised(what))
    legend_below(fig, ax.get_legend_handles_labels()[0], max_cols=2)
    return fig
