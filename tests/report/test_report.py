"""`labelmarket report`: one self-contained page, checked in headless Chromium like a reader."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from labelmarket.cli.main import main
from tests.support import CHROMIUM, ROOT
from tests.support import CHROMIUM_FLAGS as FLAGS


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A historical run (with its charts) reported against the no-deal world, same seeds."""
    root = tmp_path_factory.mktemp("report")
    for name in ("historical", "no_deal"):
        args = ["run", str(ROOT / "scenarios" / f"{name}.yaml"), "-n", "4", "-s", "1", "-w", "1"]
        assert main([*args, "--out", str(root / name)]) == 0
    out = root / "historical" / "report.html"
    code = main(
        [
            "report",
            str(root / "historical"),
            "--compare",
            str(root / "no_deal"),
            "--seeds",
            str(ROOT / "seeds"),
        ]
    )
    assert code == 0
    return out


def test_report_is_self_contained_and_complete(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    # Nothing to fetch: every src is inline data and no stylesheet or script is linked.
    assert not re.search(r"""(src|href)=["'](https?:)?//""", html)
    assert "<link" not in html and "<script" not in html
    srcs = re.findall(r'<img src="([^"]+)"', html)
    assert len(srcs) >= 10 and all(s.startswith("data:image/png;base64,") for s in srcs)
    for heading in (
        "The scenario in words",
        "Headline outcomes",
        "Compared with no_deal",
        "Charts",
        "Facts ledger beside the simulation",
        "Reproduce this run",
    ):
        assert f">{heading}</h2>" in html, heading
    assert "Meta takes 49% of Scale" in html  # the event, in words
    assert re.search(r">[-+]\d+% \[[-+]?\d+%, [-+]?\d+%\]</td>", html)  # a difference
    assert "scale_valuation_post_deal_usd" in html  # a fact beside its simulated value
    assert "labelmarket run" in html and "replicate seeds" in html  # how to reproduce


def test_report_without_facts_when_asked(report: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert main(["report", str(report.parent), "--no-facts", "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "Facts ledger beside" not in html and "Compared with" not in html


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_report_renders_in_headless_chromium(report: Path, tmp_path: Path) -> None:
    """Open the page as a reader would: every chart loads, tables are there; keep a PNG."""
    sync_api = pytest.importorskip("playwright.sync_api")
    shot = tmp_path / "report.png"
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
            viewport={"width": 1200, "height": 900},
            offline=True,
        )
        try:
            page = context.new_page()
            page.goto(report.as_uri())
            images = page.evaluate(
                "() => [...document.images].map(i => [i.complete, i.naturalWidth, i.alt])"
            )
            tables = page.evaluate("() => document.querySelectorAll('table').length")
            headings = page.evaluate("() => [...document.querySelectorAll('h2')].length")
            page.screenshot(path=str(shot), full_page=True)
        finally:
            context.close()
    assert len(images) >= 10, images
    broken = [alt for complete, width, alt in images if not (complete and width > 0)]
    assert not broken, f"broken images: {broken}"
    assert tables >= 8 and headings == 6
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 200_000


@pytest.mark.parametrize("case", ["missing", "no_manifest", "bad_compare"])
def test_report_bad_input(
    report: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    folder = tmp_path / "run"
    if case == "no_manifest":
        shutil.copytree(report.parent, folder)
        (folder / "manifest.json").unlink()
    elif case == "bad_compare":
        folder = report.parent
    args = ["report", str(folder), "--out", str(tmp_path / "r.html")]
    if case == "bad_compare":
        args += ["--compare", str(tmp_path / "nowhere")]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and ("not found" in err or "manifest.json" in err), err
    assert not (tmp_path / "r.html").exists()


def _read_tables(page) -> dict[str, list[list[str]]]:
    """Each table of the page with a class, as rows of cell texts (header first)."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('table[class]')]
            .filter(t => t.className).map(t => [t.className, [...t.rows].map(
                r => [...r.cells].map(c => c.textContent.trim() + '|' + c.className))]))"""
    )


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_report_tables_read_well_in_chromium(report: Path, tmp_path: Path) -> None:
    """The comparison as a vendor x metric table, units and meanings, the facts' pass/miss."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 900})
            page.goto(report.as_uri())
            tables = _read_tables(page)
            text = page.inner_text("body")
            page.locator("table.vendors").screenshot(path=str(tmp_path / "cmp.png"))
        finally:
            browser.close()
    # Comparison: one row per vendor, one column per metric, intervals, direction colours.
    head, *rows = tables["comparison vendors"]
    columns = [c.split("|")[0] for c in head]
    assert columns[0] == "vendor" and "revenue 2026" in columns
    assert "market share at end" in columns and "valuation at end" in columns
    assert "revenue 2024" not in columns  # before the deal the worlds are the same: dropped
    assert [r[0].split("|")[0] for r in rows] == [
        "Scale AI",
        "Surge AI",
        "Mercor",
        "Appen",
        "Turing",
    ]
    cells = [c for r in rows for c in r[1:]]
    assert all(re.fullmatch(r"\S+ (pp )?\[.+, .+\]\|num.*", c) for c in cells), cells
    assert any(c.endswith("down") for c in cells)  # Scale's 2026 revenue falls in every pair
    assert not re.search(r"-0(\.0)?(%| pp)", text), "negative zero shown"
    # Parameters with their units and meanings.
    assert "utility / ownership share" in text or "ownership share" in text
    assert "Extra conflict exposure rivals see" in text
    # Facts: simulated value, tolerance, pass/miss and the source files by name.
    head, *facts = tables["facts"]
    assert [c.split("|")[0] for c in head][-3:] == [
        "tolerance",
        "simulated: median [5%, 95%]",
        "pass / miss",
    ]
    results = {r[-1] for r in facts}  # n/a: a target on a series run folders do not keep
    assert results <= {"pass|pass", "miss|miss", "n/a|"} and "pass|pass" in results
    assert all(re.search(r"\d{3}_[0-9a-f]{16}\.txt", r[1]) for r in facts)
    # Client segments named as they are: Enterprise is not one of the AI labs.
    intro = re.search(r"clients buy it: (.+?), with", text).group(1)
    assert re.search(r"six AI labs \(Google, Meta, OpenAI, xAI, Anthropic, Microsoft\)", intro)
    assert "enterprise segment" in intro and "Enterprise" not in intro.split(")")[0]
