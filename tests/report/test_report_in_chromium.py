"""The report opened in Chromium as an analyst would, at 1400, 900 and 800 px wide.

One page load per width: the first screen holds the question and the answer with its
interval, and the three charts start on it; charts are shown at their drawn size (so their
type, no smaller than 13.2 px in the PNG as tests/charts checks, reads at 11 px or more);
no table is wider than its column; nothing fails to load; screenshots are kept. The
figures measured are printed.
"""

from __future__ import annotations

import re
from pathlib import Path

from labelmarket.model.charts.layout import PT
from labelmarket.model.charts.style import SMALLEST_PT
from tests.report.conftest import watch

SMALLEST_PX = SMALLEST_PT * PT  # the smallest type any chart draws, in its PNG's pixels
INTERVAL = re.compile(r"\[[-+]?\$?[\d.,]+[KMB%]?( pp)?, [-+]?\$?[\d.,]+[KMB%]?( pp)?\]")
MEASURE = """() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const imgs = [...document.images].map(i => ({
      ok: i.complete && i.naturalWidth > 0, scale: i.clientWidth / i.naturalWidth,
      caption: (i.closest('figure')?.querySelector('figcaption')?.textContent || '').trim()}));
  const boxes = [...document.querySelectorAll('.table-box')].map(b => ({
      cls: b.querySelector('table').className, table: b.querySelector('table').offsetWidth,
      column: b.parentElement.clientWidth}));
  const rect = s => { const e = document.querySelector(s); const r = e.getBoundingClientRect();
                      return {top: r.top, bottom: r.bottom, text: e.textContent}; };
  return {imgs, boxes, page: document.documentElement.scrollWidth,
          answer: rect('.answer'), question: rect('.question'),
          lead: [...document.querySelectorAll('figure.lead')].map(
              f => f.getBoundingClientRect().top)};
}"""


def _open(browser, report: Path, width: int, shots: Path):
    """The report in a fresh page `width` px wide; (measures, problems), a screenshot kept."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems = watch(page)
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    page.screenshot(path=str(shots / f"report_{width}.png"))
    measures = page.evaluate(MEASURE)
    page.close()
    return measures, problems


def test_report_reads_at_a_glance_at_1400_900_and_800_px(report, browser, tmp_path, capsys):
    wide, problems = _open(browser, report, 1400, tmp_path)
    assert problems == []  # offline: nothing fetched, no console error
    # The first screen: the question, the answer with its interval, the charts that carry it.
    assert wide["question"]["bottom"] < wide["answer"]["top"] < wide["answer"]["bottom"] < 900
    assert INTERVAL.search(wide["answer"]["text"]), wide["answer"]["text"]
    assert len(wide["lead"]) == 3 and max(wide["lead"]) < 900
    # Every chart loads, has a caption, and is shown at its drawn size: type at 1:1.
    assert len(wide["imgs"]) >= 12 and all(i["ok"] and i["caption"] for i in wide["imgs"])
    smallest = {1400: SMALLEST_PX * min(i["scale"] for i in wide["imgs"])}
    assert smallest[1400] >= SMALLEST_PX - 0.01
    narrow, problems = _open(browser, report, 900, tmp_path)
    assert problems == [] and narrow["page"] <= 900  # nothing spills sideways
    smallest[900] = SMALLEST_PX * min(i["scale"] for i in narrow["imgs"])
    assert smallest[900] >= 11, smallest  # charts shrink to the column, type stays legible
    small, _ = _open(browser, report, 800, tmp_path)
    widest = max(small["boxes"], key=lambda b: b["table"] / b["column"])
    assert all(b["table"] <= b["column"] for b in small["boxes"]), small["boxes"]
    with capsys.disabled():
        print(
            f"\n[report] smallest chart text {smallest[1400]:.1f} px at 1400 px, "
            f"{smallest[900]:.1f} px at 900 px; widest table at 800 px: {widest['cls']!r} "
            f"{widest['table']} px in a {widest['column']} px column; screenshots in {tmp_path}"
        )
