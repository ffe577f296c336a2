"""The one table printer the benchmark scripts share (figures under aligned headers)."""

from __future__ import annotations


def table(headers: list[str], rows: list[list[str]]) -> None:
    """Print rows under headers, first column left-aligned, the rest right-aligned."""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    for i, row in enumerate([headers, *rows]):
        cells = [
            str(c).ljust(w) if j == 0 else str(c).rjust(w)
            for j, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        print(("  " + "  ".join(cells)).rstrip())
        if i == 0:
            print("  " + "  ".join("-" * w for w in widths))
