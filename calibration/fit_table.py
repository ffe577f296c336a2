"""The fit table: every target judged on the posterior predictive, and its coverage.

A target passes when the predictive median of its statistic is within tolerance (distance
<= 1). Its posterior-predictive coverage is the share of the predictive draws that are
within tolerance: a target the fit meets only on average shows a low coverage. Fitted and
held-out targets make the fit table; consistency checks (targets that hold by construction)
are judged the same way and shown apart.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from labelmarket.calibration.targets import Target, target_distances

COVERAGE_GOAL = 0.8
"""Share of the posterior predictive each fitted target should have within tolerance."""


def role(t: Target, held_out: frozenset[str] | set[str]) -> str:
    """fit, held out or check."""
    return "check" if not t.fitted else ("held out" if t.id in held_out else "fit")


def fit_table(
    targets: list[Target], stats: np.ndarray, held_out: frozenset[str] | set[str] = frozenset()
) -> pd.DataFrame:
    """One row per target: facts, observed, simulated median and 90% interval, pass, coverage."""
    lo, mid, hi = np.nanpercentile(stats, [5, 50, 95], axis=0)
    dist = target_distances(mid[None, :], targets)[0]
    within = target_distances(stats, targets) <= 1.0
    rows = []
    for j, t in enumerate(targets):
        rows.append(
            {
                "target": t.id,
                "role": role(t, held_out),
                "number": t.spec.number,
                "facts": ", ".join(t.spec.facts),
                "observed": t.describe_observed(),
                "tolerance": t.spec.tolerance,
                "simulated_median": mid[j],
                "simulated_p5": lo[j],
                "simulated_p95": hi[j],
                "unit": t.spec.unit,
                "distance": round(float(dist[j]), 3),
                "pass": bool(dist[j] <= 1.0),
                "coverage": float(within[:, j].mean()),
                "held_out": t.id in held_out,
            }
        )
    return pd.DataFrame(rows)


def _num(x: float) -> str:
    if not np.isfinite(x):
        return str(x)
    return f"{x:.3g}" if abs(x) < 1e4 else f"{x:.3e}".replace("e+0", "e").replace("e+", "e")


def markdown_table(frame: pd.DataFrame) -> str:
    """GitHub-flavoured Markdown of a fit table: fitted and held-out targets, then the
    consistency checks in a table of their own."""
    fitted = frame[frame["role"] != "check"] if "role" in frame else frame
    lines = _rows(fitted)
    checks = frame[frame["role"] == "check"] if "role" in frame else frame.iloc[:0]
    if len(checks):
        lines += ["", "Consistency checks (hold by construction; measured, not fitted):", ""]
        lines += _rows(checks)
    return "\n".join(lines)


def _rows(frame: pd.DataFrame) -> list[str]:
    head = "| target | facts | observed | simulated median [90%] | coverage | pass |"
    lines = [head, "| --- | --- | --- | --- | --- | --- |"]
    for r in frame.to_dict("records"):
        sim = (
            f"{_num(r['simulated_median'])} [{_num(r['simulated_p5'])}, {_num(r['simulated_p95'])}]"
        )
        mark = ("pass" if r["pass"] else "**fail**") + (" (held out)" if r["held_out"] else "")
        obs = r["observed"] + (
            f" ±{r['tolerance']:.0%}"
            if r["observed"].startswith("~")
            else f" (tol {r['tolerance']:.0%})"
        )
        cover = f"{r.get('coverage', float('nan')):.0%}"
        lines.append(
            f"| {r['target']} | {r['facts']} | {obs} {r['unit']} | {sim} | {cover} | {mark} |"
        )
    return lines


def coverage_line(frame: pd.DataFrame) -> str:
    """How many fitted targets reach the coverage goal, and which do not."""
    fitted = frame[frame["role"] == "fit"]
    short = fitted[fitted["coverage"] < COVERAGE_GOAL]
    names = ", ".join(f"{r.target} ({r.coverage:.0%})" for r in short.itertuples())
    return (
        f"Posterior-predictive coverage >= {COVERAGE_GOAL:.0%}: {len(fitted) - len(short)} of "
        f"{len(fitted)} fitted targets" + (f"; below: {names}" if names else "") + "."
    )
