"""CSV text of a table, as `DataFrame.to_csv(index=False)` writes it, a few times faster.

pandas formats every cell through its object machinery; a run's decision table has a few
hundred rows per replicate, and formatting them cost more than simulating them. Here each
column becomes a list of strings at once: integers with `str`, floats with `repr` (the
shortest text that reads back to the same number, which is what pandas writes too; NaN as
an empty field), text (and categories) quoted by Python's `csv` module, the writer pandas
itself uses, once per distinct value. Columns of other kinds (dates, booleans) and
one-column tables are left to pandas. Large tables of floats (`float_cells`, `joined_rows`)
are formatted and joined by Arrow's C++ kernels instead, with the same text.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

ARROW_EXACT = (1e-4, 1e10)
"""Magnitudes (and zero) whose text Arrow writes as Python's repr does, save a final `.0`
on whole numbers: the same shortest digits, in positional notation (outside this window
Arrow and Python switch to an exponent at different points)."""


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


def _large(text: str) -> pa.Scalar:
    """A text constant of the columns' type (64-bit offsets: a chunk's text may pass 2 GB)."""
    return pa.scalar(text, pa.large_string())


def float_cells(values: np.ndarray) -> pa.Array:
    """Each float as pandas writes it in a CSV (shortest repr, NaN an empty field), as Arrow
    strings: formatted in C++, with Python's repr only outside `ARROW_EXACT` (rare)."""
    x = np.ascontiguousarray(values, dtype=float).ravel()
    text = pc.cast(pa.array(x), pa.large_string())
    whole = pc.invert(pc.match_substring(text, "."))
    text = pc.if_else(whole, pc.binary_join_element_wise(text, _large(".0"), _large("")), text)
    size = np.abs(x)
    odd = ~(((size >= ARROW_EXACT[0]) & (size < ARROW_EXACT[1])) | (x == 0))
    if not odd.any():
        return text
    fixed = ["" if v != v else repr(v) for v in x[odd].tolist()]
    return pc.replace_with_mask(text, pa.array(odd), pa.array(fixed, pa.large_string()))


def text_cells(words: list[str], codes: np.ndarray) -> pa.Array:
    """The field of each row, quoted as the csv module would, from its code into `words`."""
    fields = pa.array([quote(w) for w in words], pa.large_string())
    return fields.take(pa.array(np.asarray(codes, dtype=np.int64)))


def joined_rows(columns: list[pa.Array]) -> bytes:
    """CSV lines of string columns (no header), each ended by a newline, joined in C++, as
    UTF-8 bytes (what the file holds: nothing to encode or decode on the way)."""
    if not len(columns[0]):
        return b""
    last = pc.binary_join_element_wise(columns[-1], _large("\n"), _large(""))
    lines = pc.binary_join_element_wise(*columns[:-1], last, _large(","))
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)[lines.offset :]
    first, end = int(offsets[0]), int(offsets[len(lines)])
    return lines.buffers()[2][first:end].to_pybytes()
