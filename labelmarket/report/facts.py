"""The facts ledger beside the simulated values, measured the way calibration measures them.

Each fact that a calibration target rests on is shown with that target's statistic on the
run (median and 5-95% range across replicates), the target's tolerance and whether the
median meets it. The measures are the calibration targets themselves
(`calibration/targets.yaml`), so the report and the fit can never disagree on what a fact
means in the model.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from labelmarket.calibration.facts import Ledger, LedgerError, facts_table, load_ledger
from labelmarket.calibration.targets import Target, statistic, target_distances, usable_targets
from labelmarket.model.results.run_folder import Run
from labelmarket.report.html import Cell

PACKAGE_ROOT = Path(__file__).resolve().parents[2]


def find_ledger(seeds: Path | None) -> Ledger | None:
    """The ledger from --seeds, ./seeds or the source tree's seeds/, or None if absent."""
    for folder in [seeds] if seeds else [Path("seeds"), PACKAGE_ROOT / "seeds"]:
        if folder is not None and (folder / "facts.yaml").is_file():
            try:
                return load_ledger(folder)
            except LedgerError:
                return None
    return None


def _targets(ledger: Ledger, run: Run) -> list[Target]:
    """The calibration targets this run's scenario can be measured on."""
    from labelmarket.model.scenario.schema import Scenario

    path = PACKAGE_ROOT / "calibration" / "targets.yaml"
    if not path.is_file():
        return []
    return usable_targets(path, ledger, Scenario.model_validate(run.scenario))


def _show(values: np.ndarray) -> str:
    """'median [5%, 95%]' of one statistic across replicates."""
    values = values[np.isfinite(values)]
    if values.size == 0:
        return "n/a"
    lo, mid, hi = np.percentile(values, [5, 50, 95])
    return f"{mid:.3g} [{lo:.3g}, {hi:.3g}]"


def facts_rows(ledger: Ledger, run: Run) -> tuple[list[dict], list[dict]]:
    """(facts with a simulated value beside them, the other facts as they are)."""
    from labelmarket.model.scenario.compile import compile_world
    from labelmarket.model.scenario.schema import Scenario

    targets = _targets(ledger, run)
    world = compile_world(Scenario.model_validate(run.scenario)) if targets else None
    history = run.history() if targets else {}
    files = {f.id: "\n".join(f.sources) for f in ledger.facts}
    compared, others = [], []
    for row in facts_table(ledger):
        row = {**row, "sources": files.get(row["id"], row["sources"])}
        mine = [t for t in targets if row["id"] in t.spec.facts]
        if not mine:
            others.append(row)
            continue
        compared += [_compared(row, t, world, history) for t in mine]
    return compared, others


def _compared(row: dict, t: Target, world, history: dict[str, np.ndarray]) -> dict:
    """One fact beside one target measured on the run: value, tolerance, pass or miss."""
    try:
        values = statistic(t, world, history)
    except KeyError as missing:  # a series a run folder does not record
        simulated, result = f"not in a run folder ({missing.args[0]})", Cell("n/a", "")
    else:
        median = np.nanmedian(values) if np.isfinite(values).any() else np.nan
        meets = bool(target_distances(np.array([[median]]), [t])[0, 0] <= 1.0)
        simulated, result = _show(values), Cell(*(["pass"] * 2 if meets else ["miss"] * 2))
    return {
        **row,
        "statement": _statement(row),
        "sources": Cell(row["sources"], "small"),
        "how": Cell(f"{t.spec.description} ({t.id})", "small"),
        "target": f"{t.describe_observed()} {t.spec.unit}",
        "tolerance": f"±{t.spec.tolerance:.0%}",
        "simulated": simulated,
        "result": result,
    }


def _statement(row: dict[str, str]) -> str:
    """`id: the statement (value, date)`, leaving out what the ledger does not give."""
    known = [row[k] for k in ("value", "date") if row.get(k) not in (None, "", "-")]
    return f"{row['id']}: {row['statement']}" + (f" ({', '.join(known)})" if known else "")
