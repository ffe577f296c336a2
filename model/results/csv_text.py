"""CSV text of a table, as `DataFrame.to_csv(index=False)` writes it, a few times faster.

pandas formats every cell through its object machinery; a run's decision table has a few
hundred rows per replicate, and formatting them cost more than simulating them. Here each
column becomes a list of strings at once: integers with `str`, floats with `repr` (the
shortest text that reads back to the same number, which is what pandas writes too; NaN as
an empty field), text (and categories) quoted by Python's `csv` module, the writer pandas
itself uses, once per distinct value. Columns of other kinds (dates, booleans) and
one-column tables are left to pandas.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd


def quote(text: str) -> str:
    """A field as the csv module writes it inside a row (quoted only where it must be)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([text, ""])
    return out.getvalue()[:-2]  # drop the empty second field's "," and the newline


def _text(column: pd.Series) -> list[str] | None:
    """Text cells (None for anything but text), quoted as the csv module would; NaN empty."""
    codes, uniques = pd.factorize(column)
    names = list(uniques)
    if not all(isinstance(name, str) for name in names):
        return None
    cells = np.asarray([quote(name) for name in names] + [""], dtype=object)
    return cells[codes].tolist()  # code -1 (missing) takes the last cell, ""


def _strings(column: pd.Series) -> list[str] | None:
    """The column's cells as pandas would write them, or None for a kind not handled here."""
    kind = column.dtype.kind
    if kind in "iu":
        return list(map(str, column.to_numpy().tolist()))
    if kind == "f":
        return ["" if v != v else repr(v) for v in column.to_numpy(dtype=float).tolist()]
    text = kind == "O" or isinstance(column.dtype, pd.StringDtype | pd.CategoricalDtype)
    return _text(column) if text else None


def csv_text(frame: pd.DataFrame, header: bool = True) -> str:
    """`frame.to_csv(index=False, header=header)`, character for character."""
    columns = [_strings(frame[name]) for name in frame.columns]
    if len(columns) < 2 or any(c is None for c in columns) or frame.columns.has_duplicates:
        return frame.to_csv(index=False, header=header)
    lines = [",".join(quote(str(c)) for c in frame.columns)] if header else []
    lines += map(",".join, zip(*columns, strict=True))
    return "\n".join(lines) + "\n" if lines else ""
