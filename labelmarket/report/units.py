"""Every number the report writes, written one way.

Money as $14.8B or $350M (three figures at most), shares as percentages (15.1%), changes of
a share in percentage points (+2.0 pp), relative changes as signed percentages (-38%), and
every interval as `median [5%, 95%]` with the unit on each bound: `-38% [-41%, -34%]`. A
change that rounds to nothing reads `0`, never `-0`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from labelmarket.model.charts.style import format_money

Format = Callable[[float], str]


def money(value: float) -> str:
    """$14.8B, $350M, $0."""
    return format_money(value)


def money_change(value: float) -> str:
    """+$237M, -$344M, $0."""
    text = format_money(value, signed=True)
    return "$0" if text in ("+$0", "-$0") else text


def share(value: float) -> str:
    """A share (0-1) as a percentage: 15.1%."""
    return f"{value * 100:.1f}%"


def points(value: float) -> str:
    """A change of a share (0-1) in percentage points: +2.0 pp, 0 pp."""
    return _signed(value * 100, 1, " pp")


def percent_change(value: float) -> str:
    """A relative change already in percent: -38%, +5%, 0%."""
    return _signed(value, 0, "%")


def workers(value: float) -> str:
    """A head count: 12,400."""
    return f"{value:,.0f}"


def workers_change(value: float) -> str:
    """A change of head count: +1,200, -300, 0."""
    return _signed(value, 0, "", thousands=True)


def plain(value: float) -> str:
    """Any other number, to three figures."""
    return f"{value:.3g}"


def _signed(value: float, digits: int, suffix: str, thousands: bool = False) -> str:
    """Signed with a fixed number of digits; what rounds to zero reads 0."""
    comma = "," if thousands else ""
    text = f"{value:+{comma}.{digits}f}"
    if float(text.replace(",", "")) == 0:
        return f"0{suffix}"
    return f"{text}{suffix}"


def interval(mid: float, lo: float, hi: float, fmt: Format) -> str:
    """`median [5%, 95%]`, the unit on every bound: `-38% [-41%, -34%]`."""
    if not np.isfinite(mid):
        return "n/a"
    return f"{fmt(mid)} [{fmt(lo)}, {fmt(hi)}]"


def spread(values: Iterable[float], fmt: Format) -> str:
    """The interval of per-replicate values (NaN left out)."""
    x = np.asarray(list(values), dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return "n/a"
    lo, mid, hi = np.percentile(x, [5, 50, 95])
    return interval(mid, lo, hi, fmt)


def by_unit(unit: str) -> Format:
    """The format of a quantity given in `unit` ($, share, workers, months ...)."""
    if unit in ("$", "USD"):
        return money
    if unit.startswith("share") or unit == "fraction":
        return share
    if unit in ("workers", "defections"):
        return workers
    return plain
