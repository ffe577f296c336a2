"""The report page of a run: the answer first, then the detail, the world, the manifest.

The first screen holds the question, the answer with its interval and the three charts
that carry it (`labelmarket.report.lead`); then outcomes by vendor, the comparison with the
baseline, every chart of the run, the facts ledger beside the simulation, the scenario
(description, vendors, clients, events, parameters) and what reproduces the run.
Presentation only: numbers come from the run folder and the comparison layer.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from labelmarket.model.charts.defections import write_defection_timeline
from labelmarket.model.charts.events import merged_events, run_events
from labelmarket.model.charts.layout import save
from labelmarket.model.charts.prices import price_pay_figure
from labelmarket.model.charts.run import write_charts
from labelmarket.model.results.comparison import compare, outcomes
from labelmarket.model.results.run import Run
from labelmarket.report import html as rh
from labelmarket.report import lead, units
from labelmarket.report.comparison import comparison_section
from labelmarket.report.facts import facts_section
from labelmarket.report.lead_charts import alone_figures, compared_figures
from labelmarket.report.scenario import scenario_section

NOTE = (
    "Figures are medians over {n:,} replicates, and [5%, 95%] the range that holds nine "
    "replicates in ten.{paired}"
)


def build_report(
    main: Run, base: Run | None, unpaired: bool, facts: bool | None, seeds: Path | None
) -> str:
    """The HTML text of the report."""

    events = run_events(main)
    outcome_table = _outcomes_table(main)
    sections = [("Outcomes by vendor", headline_outcomes(main, outcome_table))]
    if base is not None:
        table, diffs, pairings = compare([base, main], unpaired)
        both = merged_events([base, main])
        answer = lead.answer_compared(table, base.name)
        figures = compared_figures(main, base, table, both)
        paired = (
            f" Against {base.name} the replicates are {pairings[0].describe()}: each change is"
            " taken pair by pair."
        )
        sections.append(
            (
                f"Compared with {base.name}",
                comparison_section(main, base, table, diffs, pairings[0], both),
            )
        )
    else:
        answer, figures, paired = (
            lead.answer_alone(main, outcome_table),
            alone_figures(main, events),
            "",
        )
    sections.append(("Charts of this run", _run_charts(main, base, events)))
    if _wants_facts(main, facts):
        sections.append(("Facts ledger beside the simulation", facts_section(main, seeds)))
    sections.append(("The scenario", scenario_section(main.resolved, events)))
    sections.append(("Reproduce this run", rh.manifest_section(main.manifest)))
    note = NOTE.format(n=main.replicates, paired=paired)
    first = lead.lead_html(lead.question(main, base), answer, note, figures)
    created = pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%d %H:%M UTC")
    byline = (
        f"labelmarket report: scenario {main.name}, {main.replicates:,} replicates, seed "
        f"{main.manifest.get('seed')}, written {created}. Intervals are "
        f"{main.manifest.get('interval', '5-95% ranges across replicates')}. Parameters marked "
        "as assumptions in the scenario are illustrative until calibrated."
    )
    title = f"{main.name} against {base.name}" if base is not None else f"Scenario {main.name}"
    return rh.page(title, byline, first, sections)


CAPTIONS = {
    "market_share.png": "Each vendor's share of the market's revenue, month by month: medians "
    "(lines) and 5-95% ranges (shading) over the replicates; dashed lines mark the events.",
    "business_models.png": "How the market's revenue splits between the business models "
    "(crowd vendors, expert networks ...).",
    "client_spend.png": "Where each client's money goes each month: its spend at each vendor, "
    "stacked (medians).",
    "largest_vendor.png": "The monthly revenue of the vendor largest at the start (with its "
    "5-95% range) and its workers by tier: whether it shrank its workforce with its revenue.",
    "price_pay.png": "What each vendor charged per task-hour and paid per worker-month, in "
    "each tier (medians): prices and pay explain who won clients and who kept workers.",
    "defection_timeline.png": "When each client moved spend away from a vendor, and the term "
    "of its choice that drove the move; a marker's size is the share of replicates in which "
    "it happened.",
}


def _run_charts(run: Run, base: Run | None, events: list) -> str:
    """The run's charts (drawn now if the folder has none), prices and pay, defections."""

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        charts = dict(run.charts)
        if not charts:
            paths = write_charts(run.timeseries, run.vendors, run.business_models, events, folder)
            charts = {p.name: p for p in paths}
        charts["price_pay.png"] = save(
            price_pay_figure(run, base, events), folder / "price_pay.png"
        )
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
        return "".join(rh.figure(charts[n], CAPTIONS.get(n, n)) for n in order)


def _outcomes_table(run: Run):
    """Per-replicate headline outcomes of the run (revenue per year, end share ...)."""

    return outcomes(run)


def headline_outcomes(run: Run, table) -> str:
    """Per vendor: revenue per year, end share, workforce and valuation, with 5-95% ranges."""
    years = sorted({p for o, p, _, _ in table.index if o == "revenue"})
    rows = []
    for vendor in run.vendors:
        row = {"vendor": vendor}
        for year in years:
            row[year] = rh.Cell(
                units.spread(table.loc[("revenue", year, "", vendor)], units.money), "num"
            )
        for key, metric, fmt in (
            ("share", "market_share", units.share),
            ("workforce", "workforce", units.workers),
            ("valuation", "valuation", units.money),
        ):
            row[key] = rh.Cell(units.spread(table.loc[(metric, "end", "", vendor)], fmt), "num")
        rows.append(row)
    columns = {
        "vendor": "vendor",
        **{y: f"revenue {y}" for y in years},
        "share": "market share at the end",
        "workforce": "workers at the end",
        "valuation": "valuation at the end",
    }
    drivers = run.defections.groupby("driver").size() / max(run.replicates, 1)
    driver_rows = [
        {"driver": d, "per": rh.Cell(f"{n:.1f}", "num")}
        for d, n in drivers.sort_values(ascending=False).items()
    ]
    return (
        '<p class="note">Median [5%, 95%] across replicates; revenue is the calendar year\'s '
        "total.</p>"
        + rh.table(rows, columns, "outcomes")
        + "<h3>Defections by driver</h3>"
        + rh.table(
            driver_rows,
            {"driver": "what drove the switch", "per": "defections per replicate"},
            "drivers",
        )
    )


def _wants_facts(run: Run, flag: bool | None) -> bool:
    """Facts sit beside historical or calibrated runs unless asked otherwise."""
    if flag is not None:
        return flag
    words = f"{run.name} {run.manifest.get('scenario_file', '')}".lower()
    return "histor" in words or "calibrat" in words
