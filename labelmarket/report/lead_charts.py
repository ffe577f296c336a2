"""The three charts of the report's first screen, chosen to carry its answer.

Against a baseline: the headline vendor's monthly revenue beside the baseline's, each
vendor's change of last-year revenue, and each client's change of spend at the headline
vendor (who left). Alone: market shares, the business models' shares, and the revenue of
the vendor largest at the start. Each comes with a caption written for a reader.
"""

from __future__ import annotations

import pandas as pd

from labelmarket.model.charts.headline import bars_figure, path_figure
from labelmarket.model.charts.style import (
    BASELINE_COLOUR,
    business_model_colours,
    metric_rows,
    quantiles,
    vendor_colours,
)
from labelmarket.model.core.business_models import BUSINESS_MODELS
from labelmarket.model.results.run import Run
from labelmarket.report import html as rh
from labelmarket.report.lead import NOTHING, headline_vendor, png


def _q(run: Run, metric: str, kind: str, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """lo/mid/hi by date of each entity of a metric (vendors, or 'market')."""

    rows = metric_rows(run.timeseries, metric, kind)
    if kind == "market":
        q = rows.groupby("date")["value"].quantile([0.05, 0.5, 0.95]).unstack() * scale
        q.columns = ["lo", "mid", "hi"]
        return {"market": q}
    q = quantiles(rows, ["vendor"]) * scale
    return {str(v): q.xs(v, level="vendor") for v in q.index.get_level_values("vendor").unique()}


def compared_figures(main: Run, base: Run, table: pd.DataFrame, events: list) -> list[str]:
    """Revenue path against the baseline, revenue change by vendor, spend change by client."""

    row = headline_vendor(table)
    vendor, year = row["vendor"], row["period"]
    colours = vendor_colours(main.vendors)
    mine, theirs = _q(main, "revenue", "vendor")[vendor], _q(base, "revenue", "vendor")[vendor]
    series = [(main.name, mine, colours[vendor], False), (base.name, theirs, BASELINE_COLOUR, True)]
    path = path_figure(f"{vendor}'s monthly revenue", "$", series, events)
    revenue = table[(table["outcome"] == "revenue") & (table["period"] == year)]
    change = revenue.set_index("vendor")[["pct_median", "pct_lo", "pct_hi"]]
    change.columns = ["mid", "lo", "hi"]
    bars = bars_figure(
        f"{year} revenue against {base.name}", "%", change, [colours[v] for v in change.index]
    )
    spend = table[(table["outcome"] == "spend") & (table["vendor"] == vendor)]
    spend = spend[spend["period"] == spend["period"].max()].set_index("client")
    spend = spend[(spend["diff_lo"].abs() > NOTHING) | (spend["diff_hi"].abs() > NOTHING)]
    n = main.replicates
    out = [
        rh.figure(
            png(path),
            f"{vendor}'s monthly revenue in {main.name} (colour) and in "
            f"{base.name} (grey, dashed): medians and 5-95% ranges over {n:,} "
            "replicates; the dashed line marks the event.",
            "lead",
        ),
        rh.figure(
            png(bars),
            f"How each vendor's {year} revenue changed against {base.name}: "
            "median of the replicate-by-replicate changes, whiskers 5-95%.",
            "lead",
        ),
    ]
    if len(spend):
        rows = spend[["diff_median", "diff_lo", "diff_hi"]].set_axis(["mid", "lo", "hi"], axis=1)
        rows = rows.sort_values("mid")  # the largest loss first
        who = bars_figure(
            f"Clients' {year} spend at {vendor}", "$", rows, [colours[vendor]] * len(rows)
        )
        out.append(
            rh.figure(
                png(who),
                f"Where {vendor}'s {year} revenue went: each client's "
                f"change of spend at {vendor} against {base.name}, median and "
                "5-95% of the paired replicates.",
                "lead",
            )
        )
    return out


def alone_figures(run: Run, events: list) -> list[str]:
    """Market shares, the business models against each other, the largest vendor's revenue."""
    colours = vendor_colours(run.vendors)
    shares = _q(run, "market_share", "vendor", 100.0)
    lines = [(v, shares[v], colours[v], False) for v in run.vendors if v in shares]
    share = path_figure("Market share by vendor", "%", lines, events)
    models = business_model_colours()
    groups = [
        (f"{m.name} vendors", _q(run, m.share_metric, "market", 100.0)["market"],
         models[m.share_metric], False)
        for m in BUSINESS_MODELS
    ]  # fmt: skip
    names = " against ".join(m.name for m in BUSINESS_MODELS).capitalize()
    split = path_figure(f"{names} vendors", "%", groups, events)
    first = max(lines, key=lambda item: item[1]["mid"].iloc[0])[0]
    revenue = _q(run, "revenue", "vendor")[first]
    path = path_figure(
        f"{first}'s monthly revenue", "$", [(first, revenue, colours[first], False)], events
    )
    n = run.replicates
    return [
        rh.figure(
            png(share),
            f"Each vendor's share of the market's revenue: medians and 5-95% "
            f"ranges over {n:,} replicates.",
            "lead",
        ),
        rh.figure(png(split), "Each business model's vendors' share of the market.", "lead"),
        rh.figure(
            png(path), f"The monthly revenue of {first}, the largest vendor at the start.", "lead"
        ),
    ]
