"""The report page of a run: the scenario in words, outcomes, charts, facts, manifest.

Presentation only: numbers come from the run folder and the comparison layer; the HTML
building blocks come from `labelmarket.report.html`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from labelmarket.model.results.run_folder import Run

CAPTIONS = {
    "market_share.png": "Revenue market share by vendor: median and 5-95% range across replicates.",
    "crowd_vs_expert.png": "Combined market share of crowd vendors against expert vendors.",
    "client_spend.png": "Each client's monthly spend by vendor (median, stacked).",
    "largest_crowd_vendor.png": "Revenue and workforce of the largest crowd vendor.",
    "defection_timeline.png": "When each client moved its spend away from a vendor, and the "
    "utility term that drove it; marker size is the share of replicates where it happened.",
}


def build_report(
    main: Run, base: Run | None, unpaired: bool, facts: bool | None, seeds: Path | None
) -> str:
    """The HTML text of the report."""
    import pandas as pd

    from labelmarket.model.charts.events import merged_events, run_events
    from labelmarket.report import html as rh

    events = run_events(main)
    sections = [("The scenario in words", rh.scenario_words(main, events))]
    sections.append(("Headline outcomes", headline_outcomes(main)))
    charts = _run_charts(main, events)
    if base is not None:
        from labelmarket.model.charts.compare import write_comparison_charts
        from labelmarket.model.results.comparison import compare

        table, diffs, pairings = compare([base, main], unpaired)
        with tempfile.TemporaryDirectory() as tmp:
            paths = write_comparison_charts(
                base, [main], diffs, merged_events([base, main]), Path(tmp)
            )
            compare_figs = [rh.figure(p, _compare_caption(p.name, main, base)) for p in paths]
        sections.append(
            (
                f"Compared with {base.name}",
                _comparison(table, pairings[0], base, rh) + "".join(compare_figs),
            )
        )
    sections.append(("Charts", "".join(charts)))
    if _wants_facts(main, facts):
        sections.append(("Facts ledger beside the simulation", _facts(main, seeds, rh)))
    sections.append(("Reproduce this run", rh.manifest_section(main)))
    created = pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%d %H:%M UTC")
    subtitle = (
        f"labelmarket report: scenario '{main.name}', {main.replicates} replicates, "
        f"seed {main.manifest.get('seed')}, written {created}. Intervals are "
        f"{main.manifest.get('interval', '5-95% ranges across replicates')}; parameters marked "
        "as assumptions are illustrative until calibrated."
    )
    return rh.page(f"Scenario report: {main.name}", sections, subtitle)


def _run_charts(run: Run, events: list) -> list[str]:
    """The run's charts (drawn now if the folder has none) and the defection timeline."""
    from labelmarket.model.charts.defections import write_defection_timeline
    from labelmarket.model.charts.run import write_charts
    from labelmarket.report import html as rh

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        charts = dict(run.charts)
        if not charts:
            paths = write_charts(run.timeseries, run.vendors, run.crowd_vendors, events, folder)
            charts = {p.name: p for p in paths}
        charts["defection_timeline.png"] = write_defection_timeline(
            run.defections,
            run.vendors,
            run.clients,
            run.dates,
            events,
            run.replicates,
            folder / "defection_timeline.png",
        )
        order = [n for n in CAPTIONS if n in charts] + sorted(set(charts) - set(CAPTIONS))
        return [rh.figure(charts[n], CAPTIONS.get(n, n)) for n in order]


def _compare_caption(name: str, main: Run, base: Run) -> str:
    what = name.removeprefix("compare_").removesuffix(".png").replace("_", " ")
    return f"{what}: {main.name} against {base.name}; bottom/grid: paired differences (5-95%)."


def headline_outcomes(run: Run) -> str:
    """Per vendor: revenue per year, end share, workforce and valuation, with 5-95% ranges."""
    from labelmarket.model.charts.style import format_money
    from labelmarket.model.results.comparison import outcomes
    from labelmarket.report import html as rh

    table = outcomes(run)
    years = sorted({p for o, p, _, _ in table.index if o == "revenue"})
    rows = []
    for vendor in run.vendors:
        row = {"vendor": vendor}
        for year in years:
            row[year] = rh.interval(table.loc[("revenue", year, "", vendor)], format_money)
        row["share"] = rh.interval(
            table.loc[("market_share", "end", "", vendor)] * 100, lambda v: f"{v:.1f}%"
        )
        row["workforce"] = rh.interval(
            table.loc[("workforce", "end", "", vendor)], lambda v: f"{v:,.0f}"
        )
        row["valuation"] = rh.interval(table.loc[("valuation", "end", "", vendor)], format_money)
        rows.append(row)
    columns = {
        "vendor": "vendor",
        **{y: f"revenue {y}" for y in years},
        "share": "market share at end",
        "workforce": "workforce at end",
        "valuation": "valuation at end",
    }
    drivers = run.defections.groupby("driver").size() / max(run.replicates, 1)
    driver_rows = [
        {"driver": d, "per": f"{n:.1f}"} for d, n in drivers.sort_values(ascending=False).items()
    ]
    return (
        '<p class="note">Median [5%, 95%] across replicates.</p>'
        + rh.table(rows, columns)
        + "<h3>Defections by driver</h3>"
        + rh.table(
            driver_rows, {"driver": "what drove the switch", "per": "defections per replicate"}
        )
    )


def _comparison(table, pairing, base: Run, rh) -> str:
    """A vendor x metric table of paired differences; client spend folded away below it."""
    from labelmarket.report.comparison import spend_table, vendor_table

    vendors = list(dict.fromkeys(table["vendor"]))
    return (
        f'<p class="note">Replicates {pairing.describe()}.</p>'
        + vendor_table(table, vendors, base.name)
        + "<details><summary>Each client's spend at each vendor in the last year</summary>"
        + spend_table(table, vendors)
        + "</details>"
    )


def _wants_facts(run: Run, flag: bool | None) -> bool:
    """Facts sit beside historical or calibrated runs unless asked otherwise."""
    if flag is not None:
        return flag
    words = f"{run.name} {run.manifest.get('scenario_file', '')}".lower()
    return "histor" in words or "calibrat" in words


def _facts(run: Run, seeds: Path | None, rh) -> str:
    """The ledger's facts: those with a simulated counterpart side by side, the rest below."""
    from labelmarket.report.facts import facts_rows, find_ledger

    ledger = find_ledger(seeds)
    if ledger is None:
        return '<p class="note">Facts ledger not found (use --seeds DIR).</p>'
    compared, others = facts_rows(ledger, run)
    cols = {
        "statement": "fact: what the corpus says",
        "sources": "source files",
        "how": "measured in the model as",
        "target": "target",
        "tolerance": "tolerance",
        "simulated": "simulated: median [5%, 95%]",
        "result": "pass / miss",
    }
    rest = {
        "id": "fact",
        "statement": "the corpus says",
        "value": "corpus value",
        "date": "date",
        "sources": "source files",
        "confidence": "confidence",
    }
    passed = sum(r["result"].text == "pass" for r in compared)
    measured = sum(r["result"].text != "n/a" for r in compared)
    return (
        '<p class="note">Facts from the corpus ledger (seeds/) beside the same quantity in '
        "this run, measured as the calibration targets measure it "
        f"(calibration/targets.yaml): the median meets {passed} of the {measured} targets "
        "measurable on a run folder within their tolerance.</p>"
        + rh.table(compared, cols, "facts")
        + f"<details><summary>{len(others)} other facts (no simulated counterpart)</summary>"
        + rh.table(others, rest)
        + "</details>"
    )
