"""Hold-out checks: fit without the targets resting on one fact, then predict that fact.

A fact the fitted model predicts without having seen it is evidence that the model's
mechanism, not just its parameters, matches the corpus; one it misses shows where the
other facts pull the parameters away from it.
"""

from __future__ import annotations

import pandas as pd

from labelmarket.calibration.errors import CalibrationInputError
from labelmarket.calibration.facts import Ledger
from labelmarket.calibration.targets import Target, without_fact


def facts_in_targets(targets: list[Target]) -> list[str]:
    """Every fact some target rests on, in order of first use."""
    seen: list[str] = []
    for t in targets:
        seen += [f for f in t.spec.facts if f not in seen]
    return seen


def split_holdout(
    targets: list[Target], fact_id: str, ledger: Ledger
) -> tuple[list[Target], list[Target]]:
    """(targets to fit, targets held out) for `--holdout FACT_ID`, or a clear error."""
    if fact_id not in {f.id for f in ledger.facts}:
        raise CalibrationInputError(
            "`holdout=`", "", f"unknown fact id '{fact_id}' (see `labelmarket facts`)"
        )
    kept, held = without_fact(targets, fact_id)
    if not held:
        used = ", ".join(facts_in_targets(targets))
        raise CalibrationInputError(
            "`holdout=`", "", f"no target rests on fact '{fact_id}'; targets use: {used}"
        )
    if not kept:
        raise CalibrationInputError(
            "`holdout=`", "", f"holding out '{fact_id}' leaves no target to fit"
        )
    return kept, held


def holdout_rows(fact_id: str, table: pd.DataFrame) -> list[dict]:
    """The held-out rows of one hold-out fit's table, labelled with the fact."""
    rows = table[table["held_out"]].to_dict("records")
    return [{"fact": fact_id, **r} for r in rows]


def leave_one_out_markdown(rows: list[dict], budget: int, seed: int) -> str:
    """The leave-one-out table: each fact held out in turn, is it predicted within tolerance?"""
    lines = [
        f"Leave-one-out: each fact's targets held out in turn, the rest fitted (budget {budget:,} "
        f"simulations per fit, seed {seed}); predicted = posterior-predictive median "
        "[90% interval]; within tolerance = the median is; coverage = the share of draws that "
        "are (a median inside with a low coverage is a weak prediction).",
        "",
        "| held-out fact | target | observed | predicted median [90%] | within tolerance "
        "| coverage |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        sim = f"{r['simulated_median']:.3g} [{r['simulated_p5']:.3g}, {r['simulated_p95']:.3g}]"
        verdict = "yes" if r["pass"] else "**no**"
        lines.append(
            f"| {r['fact']} | {r['target']} | {r['observed']} {r['unit']} | {sim} | {verdict} "
            f"| {r['coverage']:.0%} |"
        )
    n_pass = sum(r["pass"] for r in rows)
    n_cover = sum(r["coverage"] >= 0.8 for r in rows)
    lines += [
        "",
        f"{n_pass} of {len(rows)} held-out targets predicted within tolerance (the median); "
        f"{n_cover} of {len(rows)} by at least 80% of the draws.",
    ]
    return "\n".join(lines)
