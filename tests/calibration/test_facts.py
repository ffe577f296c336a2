"""Tests for the corpus facts ledger (seeds/*.yaml) and its loader in calibration.facts."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from labelmarket.calibration.facts import (
    FACTS_FILE,
    SOURCES_FILE,
    LedgerError,
    facts_table,
    format_facts,
    load_ledger,
)
from tests.support import ROOT

SEEDS = ROOT / "seeds"
CORPUS = ROOT.parent / "shared" / "seeds"

REQUIRED_FACTS = {
    "meta_scale_investment_usd",
    "meta_scale_stake_fraction",
    "meta_stake_non_voting",
    "meta_scale_deal_closed",
    "scale_valuation_post_deal_usd",
    "scale_valuation_pre_deal_usd",
    "scale_valuation_doubled",
    "scale_founded_year",
    "scale_contractor_headcount",
    "scale_contractor_countries",
    "google_largest_client",
    "google_planned_spend_2025_usd",
    "google_paused_projects_after_deal",
    "openai_xai_reduced_work_after_deal",
    "openai_cfo_will_continue",
    "tbd_labs_quality_doubts",
    "meta_buys_from_surge_mercor",
    "expert_vendors_high_pay_fast_growth",
    "scale_outlier_platform",
    "scale_lost_major_clients",
    "scale_layoffs_after_client_losses",
    "wang_joins_meta",
    "wang_keeps_board_seat",
    "droege_interim_ceo",
    "mayer_left_meta_after_two_months",
    "demand_shift_volume_to_expert",
    "crowd_model_volume_not_specialist",
    "wang_team_about_50_researchers",
    "scale_kept_independent_antitrust",
}
REQUIRED_CONFLICTS = {"meta_investment_amount", "openai_relationship_after_deal"}
F000, F001, F002, F003, F004 = (
    "000_7868b753fc98329d.txt",
    "001_bc4c057cc0c7fb99.txt",
    "002_32783b6c2cfa20e1.txt",
    "003_3e7baa42ad9fac7b.txt",
    "004_6f4155edb6850541.txt",
)


@pytest.fixture
def ledger():
    return load_ledger(SEEDS)


def _copy_seeds(tmp_path: Path) -> Path:
    out = tmp_path / "seeds"
    out.mkdir()
    for name in (SOURCES_FILE, FACTS_FILE):
        shutil.copy(SEEDS / name, out / name)
    return out


def _edit(seeds: Path, name: str, change) -> None:
    """Load one YAML file of a copied ledger, let `change` mutate it, write it back."""
    data: dict[str, Any] = yaml.safe_load((seeds / name).read_text(encoding="utf-8"))
    change(data)
    (seeds / name).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def _error(seeds: Path, corpus: Path | None = None) -> LedgerError:
    with pytest.raises(LedgerError) as info:
        load_ledger(seeds, corpus)
    return info.value


def test_shipped_ledger_has_required_facts_and_conflicts(ledger):
    assert not REQUIRED_FACTS - {f.id for f in ledger.facts}
    assert not REQUIRED_CONFLICTS - {c.id for c in ledger.conflicts}
    assert {s.file for s in ledger.sources} == {F000, F001, F002, F003, F004}
    assert all(s.language == "fr" for s in ledger.sources)


def test_shipped_ledger_numbers(ledger):
    deal = ledger.fact("meta_scale_investment_usd")
    assert (deal.value, deal.unit, deal.date) == (14.3e9, "USD", "2025-06-12")
    assert set(deal.sources) == {F000, F001, F003, F004}
    assert ledger.fact("meta_scale_stake_fraction").value == pytest.approx(0.49)
    post = ledger.fact("scale_valuation_post_deal_usd").value
    pre = ledger.fact("scale_valuation_pre_deal_usd").value
    assert (post, pre) == (29e9, 14e9)
    # the post-money valuation is what 14.3B for 49% implies, within rounding
    assert deal.value / 0.49 == pytest.approx(post, rel=0.02)
    assert ledger.fact("scale_valuation_doubled").value == pytest.approx(post / pre, rel=0.05)
    assert ledger.fact("scale_founded_year").value == 2016
    heads = ledger.fact("scale_contractor_headcount")
    assert (heads.value, heads.unit, heads.direction) == (100000, "people", "above")
    assert ledger.fact("google_planned_spend_2025_usd").value == 200e6
    assert ledger.fact("wang_team_about_50_researchers").value == 50
    assert ledger.fact("mayer_left_meta_after_two_months").unit == "months"
    assert ledger.fact("openai_cfo_will_continue").confidence == "low"


def test_required_conflicts_are_resolved_against_the_right_sources(ledger):
    conflicts = {c.id: c for c in ledger.conflicts}
    amount = conflicts["meta_investment_amount"]
    assert [F002] in [cl.sources for cl in amount.claims]
    assert "meta_scale_investment_usd" in {cl.fact_id for cl in amount.claims}
    assert "14.3" in amount.resolution and "29" in amount.resolution
    openai = conflicts["openai_relationship_after_deal"]
    cited = {s for cl in openai.claims for s in cl.sources}
    assert {F000, F001, F002} <= cited
    assert "openai_cfo_will_continue" in {cl.fact_id for cl in openai.claims}


def test_every_source_is_cited_by_a_fact(ledger):
    cited = {s for f in ledger.facts for s in f.sources}
    assert cited == {s.file for s in ledger.sources}


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared/seeds corpus not checked out beside repo")
def test_shipped_sources_exist_in_corpus():
    assert len(load_ledger(SEEDS, CORPUS).sources) == 5


def test_source_missing_from_corpus_dir_is_reported(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in (F000, F001, F002, F004):  # 003 is missing
        (corpus / name).write_text("x", encoding="utf-8")
    err = _error(SEEDS, corpus)
    assert err.file.endswith(SOURCES_FILE)
    assert err.field == "sources[3].file"
    assert F003 in err.message
    assert str(err) == f"{err.file}: {err.field}: {err.message}"


def test_missing_corpus_dir_skips_the_existence_check(tmp_path):
    assert load_ledger(SEEDS, tmp_path / "no_such_dir").facts


def test_fact_citing_unlisted_source_is_rejected(tmp_path):
    seeds = _copy_seeds(tmp_path)
    _edit(seeds, FACTS_FILE, lambda d: d["facts"][2].update(sources=["999_missing.txt"]))
    err = _error(seeds)
    assert err.file.endswith(FACTS_FILE)
    assert err.field == "facts[2].sources[0]"
    assert "999_missing.txt" in str(err)


def test_claim_citing_unlisted_source_is_rejected(tmp_path):
    seeds = _copy_seeds(tmp_path)
    _edit(seeds, FACTS_FILE, lambda d: d["conflicts"][1]["claims"][0].update(sources=["x.txt"]))
    assert _error(seeds).field == "conflicts[1].claims[0].sources[0]"


@pytest.mark.parametrize(
    ("name", "change", "field"),
    [
        (FACTS_FILE, lambda d: d["facts"][1].update(colour="red"), "facts[1].colour"),
        (FACTS_FILE, lambda d: d.update(extra_section=[]), "extra_section"),
        (FACTS_FILE, lambda d: d["conflicts"][0].update(winner="x"), "conflicts[0].winner"),
        (SOURCES_FILE, lambda d: d["sources"][0].update(url="http://x"), "sources[0].url"),
    ],
)
def test_unknown_key_is_rejected(tmp_path, name, change, field):
    seeds = _copy_seeds(tmp_path)
    _edit(seeds, name, change)
    err = _error(seeds)
    assert (err.file.endswith(name), err.field) == (True, field)
    assert "extra" in err.message.lower()


def test_duplicate_fact_id_is_rejected(tmp_path):
    seeds = _copy_seeds(tmp_path)
    _edit(seeds, FACTS_FILE, lambda d: d["facts"][4].update(id=d["facts"][0]["id"]))
    err = _error(seeds)
    assert err.field == "facts[4].id"
    assert "duplicate" in err.message and "meta_scale_investment_usd" in err.message


def test_conflict_id_clashing_with_fact_id_is_rejected(tmp_path):
    seeds = _copy_seeds(tmp_path)
    _edit(seeds, FACTS_FILE, lambda d: d["conflicts"][0].update(id="scale_founded_year"))
    assert _error(seeds).field == "conflicts[0].id"


def test_duplicate_source_file_is_rejected(tmp_path):
    seeds = _copy_seeds(tmp_path)
    _edit(seeds, SOURCES_FILE, lambda d: d["sources"].append(dict(d["sources"][0])))
    err = _error(seeds)
    assert (err.field, err.file.endswith(SOURCES_FILE)) == ("sources[5].file", True)


def test_conflict_claim_with_unknown_fact_id_is_rejected(tmp_path):
    seeds = _copy_seeds(tmp_path)
    _edit(seeds, FACTS_FILE, lambda d: d["conflicts"][0]["claims"][1].update(fact_id="nope"))
    err = _error(seeds)
    assert err.field == "conflicts[0].claims[1].fact_id"
    assert "nope" in err.message


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda f: f.update(value="14.3e9"), "facts[0].value"),
        (lambda f: f.update(date="2025-13"), "facts[0].date"),
        (lambda f: f.update(confidence="sure"), "facts[0].confidence"),
        (lambda f: f.update(sources=[]), "facts[0].sources"),
        (lambda f: f.update(unit=None), "facts[0]"),
        (lambda f: f.pop("quote_ref"), "facts[0].quote_ref"),
    ],
)
def test_bad_field_values_are_rejected(tmp_path, change, field):
    seeds = _copy_seeds(tmp_path)
    _edit(seeds, FACTS_FILE, lambda d: change(d["facts"][0]))
    err = _error(seeds)
    assert err.field == field
    assert "meta_scale_investment_usd" in err.message  # the message names the offending fact


def test_broken_yaml_and_missing_file_raise_ledger_error(tmp_path):
    seeds = _copy_seeds(tmp_path)
    (seeds / FACTS_FILE).write_text("facts: [unclosed\n", encoding="utf-8")
    assert _error(seeds).field == "<yaml>"
    (seeds / FACTS_FILE).write_text("- just a list\n", encoding="utf-8")
    assert _error(seeds).field == "<root>"
    (seeds / SOURCES_FILE).unlink()
    err = _error(seeds)
    assert (err.field, err.file.endswith(SOURCES_FILE)) == ("<file>", True)


def test_facts_table_rows(ledger):
    rows = facts_table(ledger)
    assert len(rows) == len(ledger.facts)
    deal = next(r for r in rows if r["id"] == "meta_scale_investment_usd")
    assert deal["value"] == "14.3B USD"
    assert deal["sources"] == "000,001,003,004"
    stake = next(r for r in rows if r["id"] == "meta_scale_stake_fraction")
    assert stake["value"] == "49%"
    heads = next(r for r in rows if r["id"] == "scale_contractor_headcount")
    assert heads["value"] == "> 100,000 people"
    crows = facts_table(ledger, conflicts=True)
    assert {r["id"] for r in crows} == {c.id for c in ledger.conflicts}
    assert all(set(r) == {"id", "topic", "claims", "resolution", "reason"} for r in crows)


def test_format_facts_shows_stake_fact_within_width(ledger):
    text = format_facts(ledger)
    assert "meta_scale_investment_usd" in text and "14.3B USD" in text
    assert "meta_scale_stake_fraction" in text and "49%" in text
    assert "meta_investment_amount" not in text
    assert max(len(line) for line in text.splitlines()) <= 100


def test_format_conflicts_shows_both_required_conflicts(ledger):
    text = format_facts(ledger, conflicts=True)
    for cid in REQUIRED_CONFLICTS:
        assert cid in text
    assert "[002]" in text and "resolution:" in text
    assert max(len(line) for line in format_facts(ledger, True, width=72).splitlines()) <= 72
