"""`labelmarket report`: one self-contained page that answers its question on the first screen.

The page is built once (a historical run against the no-deal world, 4 replicates) and read
as text here; `test_report_in_chromium.py` opens it in a browser at 1400, 900 and 800 px.
"""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import pytest

from labelmarket.cli.main import main

INTERVAL = (
    r"[-+]?\$?[\d.,]+[KMB%]?( pp)? \[[-+]?\$?[\d.,]+[KMB%]?( pp)?, [-+]?\$?[\d.,]+[KMB%]?( pp)?\]"
)


def _lead(html: str) -> str:
    """The first screen's HTML (before the page's sections)."""
    return html[html.index('<section class="lead">') : html.index("</section>")]


def test_report_answers_first_then_details(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    # Nothing to fetch: every src is inline data and no stylesheet or script is linked.
    assert not re.search(r"""(src|href)=["'](https?:)?//""", html)
    assert "<link" not in html and "<script" not in html
    srcs = re.findall(r'<img src="([^"]+)"', html)
    assert len(srcs) >= 12 and all(s.startswith("data:image/png;base64,") for s in srcs)
    lead = _lead(html)
    assert "Meta takes 49% of Scale in June 2025: what did it change, against no_deal" in lead
    answer = re.search(r'<p class="answer">(.+?)</p>', lead).group(1)
    assert "Scale AI's 2026 revenue is" in answer and re.search(INTERVAL, answer), answer
    assert lead.count("<figure") == 3  # the three charts that carry the answer
    headings = re.findall(r'<h2 id="s\d+">([^<]+)</h2>', html)
    assert headings == [
        "Outcomes by vendor",
        "Compared with no_deal",
        "Charts of this run",
        "Facts ledger beside the simulation",
        "The scenario",
        "Reproduce this run",
    ]  # results first; the scenario, its parameters and the manifest after them
    assert "labelmarket run" in html and "first replicate seeds" in html  # how to reproduce


def test_numbers_are_written_one_way(report: Path) -> None:
    text = re.sub(
        r"<[^>]+>", " ", report.read_text(encoding="utf-8").split("<details><summary>Full")[0]
    )
    assert not re.search(r"\d\.\d+e[+-]\d+", text), "a number in scientific notation"
    assert "~ " not in text and " $<" not in text, "a raw ledger value"
    assert not re.search(r"-0(\.0)?(%| pp)", text), "negative zero shown"
    assert re.search(r"\$\d+(\.\d+)?[MB]\b", text)  # $14.8B, $560M
    # Intervals: every bracket of the comparison reads median [5%, 95%] in one unit.
    cells = re.findall(
        r'<td class="num[^"]*">([^<]+) <span class="iv">(\[[^\]]+\])',
        report.read_text(encoding="utf-8"),
    )
    assert len(cells) > 20 and all(re.fullmatch(INTERVAL, f"{a} {b}") for a, b in cells), cells[:5]


def test_facts_one_row_each_with_targets_and_inputs_marked(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    facts = html[
        html.index('<table class="facts">') : html.index(
            "</table>", html.index('<table class="facts">')
        )
    ]
    ids = re.findall(r"<td rowspan=\"\d+\"><b>([a-z0-9_]+)</b>", facts)
    assert ids and len(ids) == len(set(ids))  # one row (block) per fact
    assert "$14.3B" in facts and "49%" in facts  # the deal's terms, formatted
    for fact in ("meta_scale_investment_usd", "meta_scale_stake_fraction"):
        block = facts[facts.index(f"<b>{fact}</b>") :].split("</tr>")[0]
        assert 'class="input">input' in block and "input of the scenario" in block, fact
    assert "scale_valuation_post_deal_usd" in facts and 'class="pass"' in facts
    assert re.search(r"\d{3}_[0-9a-f]{16}\.txt", facts)  # sources named by file


def test_scenario_in_words_after_the_results(report: Path) -> None:
    html = unescape(report.read_text(encoding="utf-8"))
    scenario = html[html.index(">The scenario</h2>") : html.index(">Reproduce this run</h2>")]
    assert "stake 49%; amount $14.3B; the vendor's founder joins the investor" in scenario
    assert "True" not in scenario and "founder_moves" not in scenario  # no Python text
    text = re.sub(r"<[^>]+>", " ", scenario)
    assert re.search(r"six AI labs \(Google, Meta, OpenAI, xAI, Anthropic, Microsoft\)", text)
    assert "workers at start" in text and "price per task-hour" in text  # tiers by column


def test_report_without_facts_or_baseline(report: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert main(["report", str(report.parent), "--no-facts", "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "Facts ledger beside" not in html and "Compared with" not in html
    lead = _lead(html)
    assert "What happens to the labelling market in historical" in lead
    assert re.search(INTERVAL, lead) and lead.count("<figure") == 3


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
