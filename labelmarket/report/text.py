"""What the commands print, in words: run summaries, comparison sentences, sensitivity tables.

Presentation only: every number comes from the layers below, already computed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from labelmarket.model.core.world import World
from labelmarket.report.comparison import effect


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


def difference_sentence(row: tuple, baseline: str) -> str:
    """'Scale AI 2026 revenue: -42% [-55%, -30%] versus no_deal', the interval written as
    the report writes it (points for shares, signed money, workers)."""
    what = {
        "revenue": f"{row.vendor} {row.period} revenue",
        "market_share": f"{row.vendor} market share at the end",
        "workforce": f"{row.vendor} workforce at the end",
        "valuation": f"{row.vendor} valuation at the end",
        "spend": f"{row.client} spend at {row.vendor} in {row.period}",
    }[row.outcome]

    text = effect(pd.Series(row._asdict()))
    return f"{what}: {text} versus {baseline}"


def with_sentences(table: pd.DataFrame) -> pd.DataFrame:
    """The headline table of a comparison with a `text` column: one sentence per row."""
    out = table.copy()
    out["text"] = [difference_sentence(r, r.baseline) for r in table.itertuples(index=False)]
    return out


def format_headline(table: pd.DataFrame, pairings: list) -> str:
    """The vendor-level headline sentences, one per line, grouped by scenario."""
    lines = []
    groups = table.groupby(["scenario", "baseline"], sort=False)
    for pairing, ((scenario, baseline), part) in zip(pairings, groups, strict=True):
        lines.append(f"\n{scenario} versus {baseline} ({pairing.describe()})")
        vendor_rows = part[part["outcome"] != "spend"]
        lines += [f"  {text}" for text in vendor_rows["text"]]
    return "\n".join(lines).lstrip("\n")


def sensitivity_table(table: pd.DataFrame) -> str:
    """The sensitivity table as aligned text, most influential parameter first per outcome."""
    key = "ST" if "ST" in table else "mu_star"
    lines = []
    for name, rows in table.groupby("outcome", sort=False):
        rows = rows.sort_values(key, ascending=False)
        lines.append(f"\n{name}")
        if key == "ST":
            lines.append(f"  {'parameter':<44} {'S1':>16} {'ST':>16}")
            for r in rows.itertuples():
                s1 = f"{r.S1:.3f} ± {r.S1_conf:.3f}"
                st = f"{r.ST:.3f} ± {r.ST_conf:.3f}"
                lines.append(f"  {r.parameter:<44} {s1:>16} {st:>16}")
        else:
            lines.append(f"  {'parameter':<44} {'mu*':>22} {'sigma':>11}")
            for r in rows.itertuples():
                mu = f"{r.mu_star:.4g} ± {r.mu_star_conf:.2g}"
                lines.append(f"  {r.parameter:<44} {mu:>22} {r.sigma:>11.4g}")
    return "\n".join(lines)
