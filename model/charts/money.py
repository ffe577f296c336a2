"""How an amount of money reads on a chart or in a table: $1.2B, $350M, $12K.

Plain text, no plotting: the reports and the dashboard format money with it without
loading matplotlib.
"""

from __future__ import annotations

MONEY_UNITS = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
"""Scales an amount is written in, largest first."""


def format_money(value: float, signed: bool = False) -> str:
    """$1.2B, $350M, $12K, $0: amounts people read at a glance (signed: +$5M / -$5M), to
    three significant figures at most, trailing zeros dropped."""
    sign = "-" if value < 0 else ("+" if signed and value > 0 else "")
    size = abs(float(value))
    for scale, unit in MONEY_UNITS:
        if size >= scale * 0.9995:  # $999.6K reads $1M, not $1000K
            number = size / scale
            places = 0 if number >= 99.95 else 1 if number >= 9.995 else 2
            text = f"{number:.{places}f}"
            text = text.rstrip("0").rstrip(".") if "." in text else text
            return f"{sign}${text}{unit}"
    return f"{sign}${size:.0f}"
