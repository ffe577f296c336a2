"""The short summary a run prints: medians and 5-95% ranges across replicates."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from labelmarket.model.core.world import World


def _band(values: pd.Series, scale: float = 1.0, fmt: str = "{:,.0f}") -> str:
    """`median [p5, p95]` of a column."""
    q = np.quantile(values.to_numpy(dtype=float) / scale, [0.5, 0.05, 0.95])
    return f"{fmt.format(q[0])} [{fmt.format(q[1])}, {fmt.format(q[2])}]"


def format_summary(
    summary: pd.DataFrame, world: World, start: str, replicates: int, elapsed: float
) -> str:
    """A plain-text table of each vendor's yearly revenue and end share, plus market figures."""
    years = sorted(
        {c.split("_")[1].split("[")[0] for c in summary.columns if c.startswith("revenue_")}
    )
    head = ["vendor"] + [f"revenue {y} $M" for y in years] + ["end share %"]
    rows = []
    for v in world.vendors:
        row = [v] + [_band(summary[f"revenue_{y}[{v}]"], 1e6) for y in years]
        row.append(_band(summary[f"share_end[{v}]"], 0.01, "{:.1f}"))
        rows.append(row)
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True))  # noqa: E731
    out = [
        f"{replicates} replicates in {elapsed:.2f} s; median [5%, 95%] across replicates",
        line(head),
        line(["-" * w for w in widths]),
        *[line(r) for r in rows],
        "",
        f"defections per run: {_band(summary['defections'], 1, '{:.0f}')}",
        f"HHI at the end: {_band(summary['hhi_end'], 1, '{:.3f}')}",
        "expert vendors' share at the end: "
        f"{_band(summary['expert_vendor_share_end'], 0.01, '{:.1f}')} %",
    ]
    return "\n".join(out)
