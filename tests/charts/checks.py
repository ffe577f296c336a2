"""What a reader needs of any chart, as functions tests apply to every figure we draw.

No text cut at the figure's edge; no two texts drawn over each other; every tick label
reading its tick's value (so no axis prints "+2 pp" three times or "+0 pp" beside "0 pp");
no type under 11 px in the PNG; and every marker shape drawn explained in a legend.
"""

from __future__ import annotations

import re

import matplotlib.dates as mdates
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.text import Text
from matplotlib.ticker import FixedLocator

MIN_TEXT_PX = 11.0
UNITS = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}


def draw(fig: Figure):
    """Draw as `savefig` does (once: again only if something changed); return the renderer."""
    canvas = fig.canvas
    if not isinstance(canvas, FigureCanvasAgg) or fig.stale:
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
    return canvas.get_renderer()


def clipped_texts(fig: Figure) -> list[str]:
    """What is drawn outside the figure (cut in the PNG): the overflow on each side, in px."""
    renderer = draw(fig)
    tight = fig.get_tightbbox(renderer).transformed(fig.dpi_scale_trans)
    box = fig.bbox
    sides = {
        "left": box.x0 - tight.x0,
        "right": tight.x1 - box.x1,
        "bottom": box.y0 - tight.y0,
        "top": tight.y1 - box.y1,
    }
    return [f"{side} {px:.0f} px" for side, px in sides.items() if px > 1]


def overlapping_texts(fig: Figure, slack: float = 1.0) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes overlap by more than `slack` px each way."""
    renderer = draw(fig)
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in _labels(fig)]
    out = []
    for i, (a, ba) in enumerate(boxes):
        for b, bb in boxes[i + 1 :]:
            w = min(ba.x1, bb.x1) - max(ba.x0, bb.x0)
            h = min(ba.y1, bb.y1) - max(ba.y0, bb.y0)
            if w > slack and h > slack:
                out.append((a, b))
    return out


def _labels(fig: Figure) -> list[Text]:
    """The texts a reader reads: ticks in view, axis labels, titles, notes, legends."""
    found = list(fig.texts)
    for legend in fig.legends:
        found += legend.get_texts()
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        found += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label]
        found += [t for t in ax.texts if t.get_visible()]
        if ax.get_legend():
            found += ax.get_legend().get_texts()
        for axis in (ax.xaxis, ax.yaxis):
            found += [label for _, label in tick_labels(axis)]
    return [t for t in found if t.get_visible() and t.get_text().strip()]


def tick_labels(axis) -> list[tuple[float, Text]]:
    """(location, label) of each tick the axis draws (inside its view, label shown)."""
    lo, hi = sorted(axis.get_view_interval())
    span = hi - lo
    out = []
    for tick in axis.get_major_ticks():
        loc = tick.get_loc()
        if loc is None or not lo - 1e-9 * span <= loc <= hi + 1e-9 * span:
            continue
        for label in (tick.label1, tick.label2):
            if label.get_visible() and label.get_text().strip():
                out.append((loc, label))
    return out


def misread_ticks(fig: Figure) -> list[str]:
    """Tick labels that do not read their tick's value (a date its month), or that repeat
    on a numeric axis."""
    draw(fig)
    problems = []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            labels = tick_labels(axis)
            if _is_date(axis):
                problems += [
                    f"{label.get_text()!r} at {mdates.num2date(loc):%Y-%m-%d}"
                    for loc, label in labels
                    if label.get_text() not in _date_names(loc)
                ]
                continue
            texts = [label.get_text() for _, label in labels]
            if len(set(texts)) < len(texts):
                problems.append(f"repeated: {texts}")
            if isinstance(axis.get_major_locator(), FixedLocator):
                continue  # categories (a grid's values at its cells): names, not positions
            for loc, label in labels:
                value = _number(label.get_text())
                if value is not None and not np.isclose(value, loc, rtol=1e-6, atol=1e-9):
                    problems.append(f"{label.get_text()!r} at {loc:g}")
    return problems


def _is_date(axis) -> bool:
    """An axis that plots dates."""
    converter = axis.get_converter() if hasattr(axis, "get_converter") else axis.converter
    return isinstance(converter, mdates.DateConverter | mdates._SwitchableDateConverter)


def _date_names(loc: float) -> set[str]:
    """How a date tick may be written: its year in January, its month, or both."""
    when = mdates.num2date(loc)
    names = {f"{when:%b}", f"{when:%b %Y}", f"{when:%Y-%m}"}
    return names | ({f"{when:%Y}"} if when.month == 1 and when.day == 1 else set())


def _number(text: str) -> float | None:
    """The value a numeric tick label writes: '+$1.5B', '-3 pp', '40%', '1,000'; else None."""
    text = text.replace("\u2212", "-")
    match = re.fullmatch(r"([+-]?)\$?([\d,]*\.?\d+)\s*([KMBT]?)\s*(%|pp)?", text.strip())
    if not match:
        return None
    sign, digits, unit, _ = match.groups()
    value = float(digits.replace(",", "")) * UNITS.get(unit, 1.0)
    return -value if sign == "-" else value


def smallest_text_px(fig: Figure) -> float:
    """The smallest type a reader reads in the PNG, in pixels."""
    sizes = [t.get_fontsize() for t in _labels(fig)]
    return float(min(sizes)) * fig.dpi / 72 if sizes else float("inf")


def markers_missing_from_legend(fig: Figure) -> list[str]:
    """Marker shapes scattered on the axes that no legend entry shows."""
    legend = []
    for lg in [*fig.legends, *(ax.get_legend() for ax in fig.axes if ax.get_legend())]:
        for h in lg.legend_handles:
            if isinstance(h, Line2D) and h.get_marker() not in (None, "None", ""):
                legend.append(_shape(h.get_marker()))
            elif isinstance(h, PathCollection):
                legend.append(h.get_paths()[0].vertices)
    missing = []
    for ax in fig.axes:
        for c in ax.collections:
            if isinstance(c, PathCollection) and len(c.get_offsets()):
                drawn = c.get_paths()[0].vertices
                if not any(v.shape == drawn.shape and np.allclose(v, drawn) for v in legend):
                    missing.append(str(c.get_label()))
    return missing


def _shape(marker) -> np.ndarray:
    """A marker's outline as scatter draws it (unit size)."""
    style = MarkerStyle(marker)
    return style.get_path().transformed(style.get_transform()).vertices
