"""Scenario discovery in words: the chosen box, the trade-off, CART's rules, as text and HTML.

Presentation only: PRIM and CART ran in `labelmarket.model.experiments.discovery`; this
module reads what `labelmarket discover` wrote under a sweep folder and says it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from labelmarket.model.experiments.discovery import Discovery
from labelmarket.report import html as rh

FOLDER = "discovery"
RECORD = "discovery.json"
CHARTS = {
    "prim_tradeoff.png": "PRIM's peeling trajectory: each point is a box, from the whole "
    "parameter space (right) to small dense boxes (top left); the circle is the chosen box.",
    "prim_box.png": "The chosen box: each parameter's range inside it (colour) against its "
    "range in the sweep (grey); qp is the quasi-p-value of the restriction (small: not chance).",
    "prim_scatter.png": "Every run on the two most restricted parameters: runs where the "
    "condition holds in colour, the chosen box drawn over them.",
}


def rule_text(conditions: list[tuple[str, float, float]]) -> str:
    """`clients.*.conflict_sensitivity > 4.5 and market.founder_exposure <= 0.2`."""
    parts = []
    for name, low, high in conditions:
        if np.isfinite(low) and np.isfinite(high):
            parts.append(f"{low:.3g} < {name} <= {high:.3g}")
        elif np.isfinite(low):
            parts.append(f"{name} > {low:.3g}")
        else:
            parts.append(f"{name} <= {high:.3g}")
    return " and ".join(parts) or "all runs"


def rules_table(cart: pd.DataFrame) -> pd.DataFrame:
    """CART's leaves with each rule written out."""
    out = cart.copy()
    out["rule"] = [rule_text(r) for r in cart["rule"]]
    return out


def box_rows(limits: pd.DataFrame, most: int | None = None) -> list[dict[str, str]]:
    """The chosen box's limits, restricted parameters first, as table cells (at most `most`
    unrestricted ones listed, the rest counted in one row)."""
    rows = []
    free = limits[~limits["restricted"].astype(bool)]
    if most is not None and len(free) > most:
        kept = limits[limits["restricted"].astype(bool)]
        rest = {"parameter": f"{len(free) - most} other parameters", "box": "not restricted"}
        return [*box_rows(pd.concat([kept, free.head(most)])), rest]
    for p in limits.itertuples():
        rows.append(
            {
                "parameter": p.parameter,
                "box": f"{p.low:.3g} to {p.high:.3g}" if p.restricted else "not restricted",
                "range": f"{p.range_low:.3g} to {p.range_high:.3g}",
                "kept": f"{p.kept:.0%}",
                "qp": f"{p.qp:.1e}" if pd.notna(p.qp) else "",
            }
        )
    return rows


BOX_COLUMNS = {
    "parameter": "parameter",
    "box": "inside the box",
    "range": "range in the sweep",
    "kept": "share of the range kept",
    "qp": "quasi-p-value",
}


def format_discovery(d: Discovery) -> str:
    """What `labelmarket discover` prints: the box, the trade-off and CART's best rules."""
    box = d.box
    lines = [
        f"condition: {d.condition}",
        f"holds in {d.hits:,} of {d.cases:,} runs ({d.base_rate:.0%})",
        "",
        f"PRIM box {d.chosen} (densest with coverage >= {d.settings['min_coverage']:.0%}): "
        f"coverage {box['coverage']:.0%}, density {box['density']:.0%}, "
        f"mass {box['mass']:.0%}, {_parameters(int(box['res_dim']))} restricted",
    ]
    rows = box_rows(d.limits)
    shown = [r for r in rows if r["box"] != "not restricted"] or rows
    width = max(len(r["parameter"]) for r in shown)
    lines.append(f"  {'parameter':<{width}}  {'inside the box':<22} {'sweep range':<22} qp")
    lines += [
        f"  {r['parameter']:<{width}}  {r['box']:<22} {r['range']:<22} {r['qp']}" for r in shown
    ]
    free = [r["parameter"] for r in rows if r not in shown]
    if free:
        names = ", ".join(free) if len(free) <= 4 else f"{len(free)} other parameters"
        lines.append(f"  not restricted (their whole sweep range): {names}")
    lines += ["", "coverage/density trade-off (peeling trajectory):"]
    for i in _trajectory_sample(d):
        t = d.trajectory.iloc[i]
        mark = " <- chosen" if i == d.chosen else ""
        lines.append(
            f"  box {i:>3}: coverage {t['coverage']:>4.0%}  density {t['density']:>4.0%}  "
            f"restricted {int(t['res_dim'])}{mark}"
        )
    lines += ["", "CART (a tree of depth 3), its densest rules:"]
    for r in rules_table(d.cart).head(3).itertuples():
        lines.append(
            f"  {r.rule}: {r.runs:,} runs, density {r.density:.0%}, coverage {r.coverage:.0%}"
        )
    return "\n".join(lines)


def _parameters(n: int) -> str:
    """'1 parameter', '3 parameters'."""
    return f"{n} parameter{'' if n == 1 else 's'}"


def _trajectory_sample(d: Discovery, count: int = 8) -> list[int]:
    """Evenly spaced boxes of the trajectory, the first, the last and the chosen included."""
    n = len(d.trajectory)
    picks = set(np.linspace(0, n - 1, min(count, n)).round().astype(int).tolist())
    return sorted(picks | {d.chosen})


def read_discoveries(sweep_dir: Path) -> list[tuple[dict, Path]]:
    """Every discovery written under a sweep folder: (its record, its folder), oldest first."""
    found = []
    for record in (sweep_dir / FOLDER).glob(f"*/{RECORD}"):
        try:
            found.append((json.loads(record.read_text(encoding="utf-8")), record.parent))
        except (OSError, ValueError):
            continue
    return sorted(found, key=lambda item: item[0].get("created_utc", ""))


def discovery_section(sweep_dir: Path) -> str:
    """The sweep report's discovery section: each condition's box, rules and charts."""

    found = read_discoveries(sweep_dir)
    if not found:
        return (
            '<p class="note">No discovery yet. Run <code>labelmarket discover '
            f"{rh.escape(str(sweep_dir))} --outcome EXPR</code> to find where a condition "
            "on the outcomes holds, then write this report again.</p>"
        )
    parts = []
    for record, folder in found:
        box = record["box"]
        limits = pd.read_csv(folder / "prim_box.csv")
        rules = pd.read_csv(folder / "cart_rules.csv").head(4)
        parts.append(
            f"<h3>Where <code>{rh.escape(record['condition'])}</code></h3>"
            f"<p>The condition holds in {record['hits']:,} of {record['cases']:,} runs. PRIM's "
            f"chosen box (box {record['chosen_box']}, the densest with coverage at least "
            f"{record['settings']['min_coverage']:.0%}) holds {box['coverage']:.0%} of those "
            f"runs (coverage) and {box['density']:.0%} of the runs inside it are of interest "
            f"(density), restricting {_parameters(int(box['res_dim']))}.</p>"
            + rh.table(box_rows(limits, most=4), BOX_COLUMNS, "discovery-box")
            + "<p>CART, a second view (a tree of depth 3): its densest rules.</p>"
            + rh.table(
                [_rule_cells(r) for r in rules.itertuples()],
                {"rule": "rule", "runs": "runs", "density": "density", "coverage": "coverage"},
                "discovery-cart",
            )
            + "".join(
                rh.figure(folder / name, caption)
                for name, caption in CHARTS.items()
                if (folder / name).is_file()
            )
        )
    return "".join(parts)


def _rule_cells(r) -> dict[str, str]:
    """One CART leaf as table cells."""
    return {
        "rule": r.rule,
        "runs": f"{r.runs:,}",
        "density": f"{r.density:.0%}",
        "coverage": f"{r.coverage:.0%}",
    }
