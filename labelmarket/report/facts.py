"""The facts ledger beside the simulated values, measured the way calibration measures them.

One row per fact of the corpus, its calibration targets beside it (a fact two targets rest
on spans both): each target's statistic on the run (median [5%, 95%] across replicates),
its tolerance and whether the median meets it. A fact whose number the scenario takes as it
is (Meta's $14.3B, the 49% stake) is marked as an input of the scenario, not as a miss. The
measures are the calibration targets themselves (`calibration/targets.yaml`), so the report
and the fit never disagree on what a fact means in the model.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import numpy as np

from labelmarket import bundled
from labelmarket.calibration.facts import Fact, Ledger, LedgerError, load_ledger
from labelmarket.calibration.targets import Target, statistic, target_distances, usable_targets
from labelmarket.model.results.run import Run
from labelmarket.model.scenario.compile import compile_world
from labelmarket.report import units
from labelmarket.report.html import table

SIGNS = {"approx": "about", "at_least": "at least", "at_most": "at most"}
COLUMNS = {  # heading: share of the table's width
    "fact": 29,
    "sources": 15,
    "measured in the model as": 23,
    "target (tolerance)": 12,
    "simulated: median [5%, 95%]": 13,
    "result": 8,
}


def find_ledger(seeds: Path | None) -> Ledger | None:
    """The ledger from --seeds, else the one shipped with the package; None if absent."""
    for folder in [seeds] if seeds else [bundled.seeds_dir()]:
        if (folder / "facts.yaml").is_file():
            try:
                return load_ledger(folder)
            except LedgerError:
                return None
    return None


def _targets(ledger: Ledger, run: Run) -> list[Target]:
    """The calibration targets this run's scenario can be measured on."""

    return usable_targets(bundled.calibration_file("targets.yaml"), ledger, run.scenario)


def fact_value(f: Fact) -> str:
    """A fact's number in the report's units: $14.3B, 49%, more than 100,000 people."""
    if f.value is None:
        return f.direction or ""
    unit = f.unit or ""
    if unit == "USD":
        text = units.money(f.value)
    elif unit == "fraction":
        text = f"{f.value * 100:.3g}%"
    elif unit == "year":
        text = f"{f.value:.0f}"
    else:
        text = f"{f.value:,.6g} {unit}"
    return {"above": "more than ", "below": "less than "}.get(f.direction or "", "") + text


def scenario_inputs(scenario: dict[str, Any]) -> dict[float, str]:
    """Numbers the scenario's vendors, clients and events state, with where (events[0].amount)."""
    found: dict[float, str] = {}

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, f"{path}.{k}" if path else str(k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}[{i}]")
        elif isinstance(node, int | float) and not isinstance(node, bool):
            found.setdefault(float(node), path)

    for part in ("events", "vendors", "clients"):
        walk(scenario.get(part, []), part)
    return found


KINDS = {  # a fact's unit -> words a scenario field of that kind has in its path
    "USD": ("amount", "budget", "price", "wage", "valuation", "cash"),
    "fraction": ("stake", "share", "fraction"),
    "people": ("workforce",),
    "workers": ("workforce",),
}


def _input_of(f: Fact, inputs: dict[float, str]) -> str | None:
    """Where the scenario states this fact's number, in a field of the fact's kind."""
    kinds = KINDS.get(f.unit or "", ())
    if f.value is None or f.value in (0, 1) or not kinds:
        return None
    for value, path in inputs.items():
        if np.isclose(value, f.value, rtol=1e-9) and any(k in path for k in kinds):
            return path
    return None


def _measure(t: Target, world, history: dict[str, np.ndarray]) -> tuple[str, str]:
    """(simulated median [5%, 95%], pass / miss / n/a) of one target on the run."""
    try:
        values = statistic(t, world, history)
    except KeyError as missing:  # a series a run folder does not record
        return f"not in a run folder ({missing.args[0]})", "n/a"
    if not np.isfinite(values).any():
        return "n/a", "n/a"
    median = np.nanmedian(values)
    meets = bool(target_distances(np.array([[median]]), [t])[0, 0] <= 1.0)
    return units.spread(values, _target_format(t)), "pass" if meets else "miss"


def _target_format(t: Target) -> units.Format:
    """Money for $ targets, % for shares, a ratio to two figures for the rest."""
    unit = t.spec.unit
    if unit == "$":
        return units.money
    if unit in ("share", "(0-1)"):
        return units.share
    if unit == "workers":
        return lambda v: f"{units.workers(v)} workers"
    suffix = "x" if unit == "x" else f" {unit}"
    return lambda v: f"{v:.2f}{suffix}"


def _target_text(t: Target) -> str:
    """'about $200M (±25%)', 'at most 0.50x (±20%)'."""
    return f"{SIGNS[t.spec.relation]} {_target_format(t)(t.observed)} (±{t.spec.tolerance:.0%})"


def facts_section(run: Run, seeds: Path | None) -> str:
    """The ledger's facts, one row each, its targets beside it; the rest folded below."""

    ledger = find_ledger(seeds)
    if ledger is None:
        return '<p class="note">Facts ledger not found (use --seeds DIR).</p>'
    targets = _targets(ledger, run)
    world = compile_world(run.scenario) if targets else None
    history = run.history() if targets else {}
    inputs = scenario_inputs(run.resolved)
    rows, others, results = [], [], []
    for f in ledger.facts:
        mine = [t for t in targets if f.id in t.spec.facts]
        where = _input_of(f, inputs)
        if not mine and where is None:
            others.append(_other(f))
            continue
        measured = [(t, *_measure(t, world, history)) for t in mine]
        results += [r for *_, r in measured]
        rows.append(_fact_rows(f, measured, where))
    passed, measurable = results.count("pass"), sum(r != "n/a" for r in results)
    head = "".join(f'<th style="width:{w}%">{escape(c)}</th>' for c, w in COLUMNS.items())
    return (
        '<p class="note">Each fact of the corpus ledger (seeds/) beside the calibration '
        "targets that rest on it (calibration/targets.yaml), measured on this run as the fit "
        f"measures them: the median meets {passed} of the {measurable} targets measurable on "
        "a run folder. A fact the scenario states as it is is an input, not a result.</p>"
        f'<div class="table-box"><table class="facts"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
        f"<details><summary>{len(others)} other facts (context, no number the model "
        "simulates)</summary>"
        + table(
            others,
            {
                "id": "fact",
                "statement": "the corpus says",
                "value": "value",
                "date": "date",
                "confidence": "confidence",
            },
            "other-facts",
        )
        + "</details>"
    )


def _fact_rows(f: Fact, measured: list[tuple[Target, str, str]], where: str | None) -> str:
    """The HTML rows of one fact: its cells span one row per target."""
    span = max(len(measured), 1)
    known = ", ".join(x for x in (fact_value(f), f.date or "") if x)
    fact = f"<b>{escape(f.id)}</b>: {escape(f.statement)}" + (
        f" ({escape(known)})" if known else ""
    )
    first = (
        f'<td rowspan="{span}">{fact}</td>'
        f'<td rowspan="{span}" class="small">{escape(chr(10).join(f.sources))}</td>'
    )
    if not measured:
        return (
            f'<tr>{first}<td colspan="3">input of the scenario '
            f"(<code>{escape(str(where))}</code>): taken as it is</td>"
            '<td class="input">input</td></tr>'
        )
    out = []
    for i, (t, simulated, result) in enumerate(measured):
        cells = (
            f'<td class="small">{escape(t.spec.description)} ({escape(t.id)})</td>'
            f'<td class="num">{escape(_target_text(t))}</td>'
            f'<td class="num">{escape(simulated)}</td>'
            f'<td class="{"" if result == "n/a" else result}">{result}</td>'
        )
        out.append(f"<tr>{first if i == 0 else ''}{cells}</tr>")
    return "".join(out)


def _other(f: Fact) -> dict[str, str]:
    """A fact with nothing to measure, as table cells."""
    return {
        "id": f.id,
        "statement": f.statement,
        "value": fact_value(f),
        "date": f.date or "",
        "confidence": f.confidence,
    }
