"""What the conclusions rest on: the fit redone with each interpretation read weaker and stronger.

A target whose number is our reading of the text (`number: interpretation`) names a
weaker and a stronger alternative; targets sharing a reading (`interpretation:`) move
together. For each reading and each alternative the fit is redone with only those numbers
changed, and the table says which conclusions change: which fitted targets pass or fail,
which parameters move, and where each headline answer lands. An answer survives when, for
every alternative, its median stays inside the base fit's 90% interval and on the same side
of zero; otherwise it rests on the readings that move it. An answer set mostly by a parameter the
fit leaves near its prior (a lab's conflict sensitivity where no article says how it
reacted) survives almost by default, since the readings barely reach it: the table says so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from labelmarket.calibration.pipeline import Fitted, Problem
from labelmarket.calibration.targets import Target

READINGS = ("weaker", "stronger")


def groups(targets: list[Target]) -> dict[str, list[Target]]:
    """Each interpretation's fitted targets, in the order the file gives them."""
    out: dict[str, list[Target]] = {}
    for t in targets:
        if t.spec.interpretation is not None:
            out.setdefault(t.spec.interpretation, []).append(t)
    return out


def variant(problem: Problem, name: str, which: int) -> Problem:
    """The same problem with one interpretation read weaker (0) or stronger (1)."""
    moved = [t.reading(which) if t.spec.interpretation == name else t for t in problem.targets]
    return replace(problem, targets=moved)


@dataclass(frozen=True)
class Outcome:
    """One fit's conclusions: which targets pass, where parameters and answers land."""

    label: str  # "base" or "<interpretation> weaker|stronger"
    moved: str  # the numbers this fit read differently
    table: pd.DataFrame  # the fit table
    answers: pd.DataFrame | None  # headline answers (median, p5, p95 in %)
    medians: np.ndarray  # (P,) posterior medians in the space ABC works in
    runs: int
    tolerance: float  # the last generation's (1: every target within its stated tolerance)


def outcome(label: str, moved: str, problem: Problem, fitted: Fitted) -> Outcome:
    """The conclusions of one finished fit."""
    z = problem.fit.to_z(fitted.summary[1][None, :])[0]
    runs = fitted.state.runs + fitted.predictive.runs
    eps = fitted.state.posterior.epsilon
    return Outcome(label, moved, fitted.table, fitted.answers, z, runs, eps)


def _failing(table: pd.DataFrame) -> set[str]:
    fitted = table[table["role"] == "fit"]
    return set(fitted.loc[~fitted["pass"], "target"])


def _moved_parameters(problem: Problem, base: Outcome, other: Outcome, top: int = 2) -> str:
    """The parameters whose median moved most, in prior standard deviations."""
    sd = np.array([p.sd_z() for p in problem.fit.parameters])
    shift = (other.medians - base.medians) / sd
    order = np.argsort(-np.abs(shift))[:top]
    return ", ".join(f"{problem.fit.names[j]} {shift[j]:+.1f} sd" for j in order)


def sensitivity_rows(problem: Problem, base: Outcome, others: list[Outcome]) -> pd.DataFrame:
    """One row per refit: what was read differently, what changed against the base fit."""
    rows = []
    base_fail = _failing(base.table)
    for o in others:
        fail = _failing(o.table)
        row = {
            "reading": o.label,
            "numbers": o.moved,
            "now_failing": ", ".join(sorted(fail - base_fail)) or "-",
            "now_passing": ", ".join(sorted(base_fail - fail)) or "-",
            "parameters_moved_most": _moved_parameters(problem, base, o),
            "final_tolerance": o.tolerance,
            "simulations": o.runs,
        }
        for a in (o.answers if o.answers is not None else pd.DataFrame()).to_dict("records"):
            row[a["answer"]] = a["median_pct"]
        rows.append(row)
    return pd.DataFrame(rows)


def survival(
    base: Outcome, others: list[Outcome], prior_dominated: frozenset[str] = frozenset()
) -> pd.DataFrame:
    """Per headline answer: the base interval, the range of refit medians, does it survive,
    and which prior-dominated parameters (`prior_dominated`) it rests on."""
    if base.answers is None:
        return pd.DataFrame()
    rows = []
    for a in base.answers.to_dict("records"):
        medians = [
            float(o.answers.set_index("answer").loc[a["answer"], "median_pct"])
            for o in others
            if o.answers is not None and a["answer"] in set(o.answers["answer"])
        ]
        moves = [
            o.label
            for o, m in zip(others, medians, strict=True)
            if not (a["p5_pct"] <= m <= a["p95_pct"]) or np.sign(m) != np.sign(a["median_pct"])
        ]
        rows.append(
            {
                "answer": a["answer"],
                "question": a["question"],
                "base_median_pct": a["median_pct"],
                "base_p5_pct": a["p5_pct"],
                "base_p95_pct": a["p95_pct"],
                "refit_min_pct": min(medians, default=np.nan),
                "refit_max_pct": max(medians, default=np.nan),
                "survives": not moves,
                "moved_by": ", ".join(moves) or "-",
                "from_prior": " ".join(
                    p for p in str(a.get("rests_on") or "").split() if p in prior_dominated
                ),
            }
        )
    return pd.DataFrame(rows)


def markdown(rows: pd.DataFrame, kept: pd.DataFrame, budget: int, seed: int) -> str:
    """The sensitivity tables: what each refit changed, and which answers survive."""
    lines = [
        f"Each interpretation refitted weaker and stronger (budget {budget:,} simulations per "
        f"fit, seed {seed}); answers are posterior-predictive medians of the % change against "
        "the same world without the stake. A refit whose final tolerance is above 1 could not "
        "meet every reading within its tolerance: the model cannot reach that reading.",
        "",
        "| reading | numbers | final tolerance | now failing | now passing "
        "| parameters moved most |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows.to_dict("records"):
        lines.append(
            f"| {r['reading']} | {r['numbers']} | {r['final_tolerance']:.2f} | {r['now_failing']} "
            f"| {r['now_passing']} | {r['parameters_moved_most']} |"
        )
    if kept.empty:
        return "\n".join(lines)
    lines += [
        "",
        "| headline answer | base fit: median [90%] | refit medians | survives | moved by |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in kept.to_dict("records"):
        base = f"{r['base_median_pct']:+.0f}% [{r['base_p5_pct']:+.0f}%, {r['base_p95_pct']:+.0f}%]"
        span = f"{r['refit_min_pct']:+.0f}% to {r['refit_max_pct']:+.0f}%"
        verdict = "yes" if r["survives"] else "**no**"
        if r["from_prior"]:
            verdict += f", but from its prior ({r['from_prior']} is prior-dominated)"
        lines.append(f"| {r['question']} | {base} | {span} | {verdict} | {r['moved_by']} |")
    n = int(kept["survives"].sum())
    lines += ["", f"{n} of {len(kept)} headline answers survive every interpretation choice."]
    prior = int((kept["survives"] & (kept["from_prior"] != "")).sum())
    if prior:
        lines[-1] += (
            f" {prior} of them rest on a parameter the fit leaves near its prior"
            " (prior-dominated): for those, surviving says little about the corpus."
        )
    return "\n".join(lines)
