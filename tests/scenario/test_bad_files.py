"""Bad scenario files: exit code 2, a message naming file, field and what is allowed,
nothing written. Built from the shipped historical.yaml so they follow the real scenario."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from labelmarket.model.scenario.files import ScenarioError
from labelmarket.model.scenario.loading import load_scenario
from tests.support import (
    HISTORICAL,
    INVESTMENT,
    assert_bad_input,
    assert_nothing_written,
    base,
    call_main,
    client,
    dump,
    investment,
    vendor,
)

# ----------------------------------------------------------- bad scenario files (cases)

Mutation = Callable[[dict], Any]


def _rename(mapping: dict, old: str, new: str) -> None:
    mapping[new] = mapping.pop(old)


def _set(path: Callable[[dict], dict], key: str, value: Any) -> Mutation:
    def mutate(d: dict) -> dict:
        path(d)[key] = value
        return d

    return mutate


def _top_level_list(d: dict) -> list:
    return [d]


def _unknown_top(d: dict) -> dict:
    _rename(d, "events", "evnts")
    return d


def _unknown_market(d: dict) -> dict:
    _rename(d["market"], "observation_noise", "observation_nois")
    return d


def _unknown_vendor_quality(d: dict) -> dict:
    _rename(vendor(d), "quality", "qualty")
    return d


def _unknown_vendor_multiple(d: dict) -> dict:
    _rename(vendor(d), "valuation_multiple", "valuation_multipel")
    return d


def _unknown_client(d: dict) -> dict:
    _rename(client(d), "conflict_sensitivity", "conflict_sensitivty")
    return d


def _unknown_event(d: dict) -> dict:
    _rename(investment(d)[1], "founder_moves", "founder_move")
    return d


def _quality_15(d: dict) -> dict:
    vendor(d)["quality"]["expert"] = 1.5
    return d


def _month_outside(d: dict) -> dict:
    end_year = int(str(d["end"])[:4])
    investment(d)[1]["month"] = f"{end_year + 1}-01"
    return d


def _unknown_event_vendor(d: dict) -> dict:
    investment(d)[1]["vendor"] = "Scale"
    return d


def _unknown_investor(d: dict) -> dict:
    investment(d)[1]["investor"] = "Metta"
    return d


def _unknown_pause_client(d: dict) -> dict:
    d["events"].append({"type": "client_pause", "month": d["start"], "client": "Gogle"})
    return d


def _unknown_event_type(d: dict) -> dict:
    investment(d)[1]["type"] = "merger"
    return d


def _scalar_pair(d: dict) -> dict:
    vendor(d)["quality"] = 0.8
    return d


def _end_before_start(d: dict) -> dict:
    d["end"] = f"{int(str(d['start'])[:4]) - 1}-12"
    d["events"] = []
    return d


def _duplicate_vendor(d: dict) -> dict:
    d["vendors"].append(copy.deepcopy(vendor(d, "Surge AI")))
    return d


def _unknown_current_vendor(d: dict) -> dict:
    client(d)["current_vendors"]["Scael AI"] = client(d)["current_vendors"].pop("Scale AI")
    return d


# (id, mutation, fragments that must appear in stderr besides the file name)
CASES: list[tuple[str, Mutation, tuple[str, ...]]] = [
    ("top-level-list", _top_level_list, ("must be a YAML mapping",)),
    ("unknown-top", _unknown_top, ("evnts", "unknown field", "did you mean 'events'", "allowed:")),
    (
        "unknown-market",
        _unknown_market,
        ("market.observation_nois", "did you mean 'observation_noise'", "allowed:"),
    ),
    (
        "unknown-vendor-field",
        _unknown_vendor_quality,
        ("vendors[Scale AI].qualty", "did you mean 'quality'", "allowed:"),
    ),
    (
        "unknown-vendor-field-2",
        _unknown_vendor_multiple,
        ("vendors[Scale AI].valuation_multipel", "did you mean 'valuation_multiple'"),
    ),
    (
        "unknown-client-field",
        _unknown_client,
        ("clients[Google].conflict_sensitivty", "did you mean 'conflict_sensitivity'"),
    ),
    (
        "unknown-event-field",
        _unknown_event,
        (f"events[{INVESTMENT}].founder_move", "did you mean 'founder_moves'", "allowed:"),
    ),
    (
        "wrong-type",
        _set(client, "budget", "lots"),
        ("clients[Google].budget", "valid number"),
    ),
    (
        "negative-budget",
        _set(client, "budget", -5.0e6),
        ("clients[Google].budget", "greater than 0"),
    ),
    (
        "quality-above-1",
        _quality_15,
        ("vendors[Scale AI].quality.expert", "less than or equal to 1"),
    ),
    (
        "expert-share-1",
        _set(client, "expert_share", 1),
        ("clients[Google].expert_share", "less than 1"),
    ),
    ("bad-enum", _set(vendor, "model", "hybrid"), ("vendors[Scale AI].model", "'crowd'")),
    ("scalar-for-pair", _scalar_pair, ("vendors[Scale AI].quality", "dictionary")),
    (
        "month-outside-horizon",
        _month_outside,
        (f"events[{INVESTMENT}].month", "outside the horizon 2024-01 to 2026-12"),
    ),
    (
        "event-unknown-vendor",
        _unknown_event_vendor,
        (
            f"events[{INVESTMENT}].vendor",
            "unknown vendor 'Scale'",
            "did you mean 'Scale AI'",
            "allowed:",
        ),
    ),
    (
        "event-unknown-investor",
        _unknown_investor,
        (f"events[{INVESTMENT}].investor", "unknown client 'Metta'", "did you mean 'Meta'"),
    ),
    (
        "event-unknown-client",
        _unknown_pause_client,
        ("].client", "unknown client 'Gogle'", "did you mean 'Google'", "allowed:"),
    ),
    (
        "event-unknown-type",
        _unknown_event_type,
        (f"events[{INVESTMENT}]", "'merger'", "'investment'", "'client_pause'"),
    ),
    ("end-before-start", _end_before_start, ("end", "must not be before start")),
    ("duplicate-vendor", _duplicate_vendor, ("vendors[Surge AI].name", "duplicate name")),
    (
        "unknown-current-vendor",
        _unknown_current_vendor,
        ("clients[Google].current_vendors", "unknown vendor 'Scael AI'", "'Scale AI'"),
    ),
]


@pytest.fixture(params=CASES, ids=[c[0] for c in CASES])
def bad_file(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, tuple[str, ...]]:
    """A bad scenario written to tmp_path, and the fragments its error must contain."""
    name, mutate, fragments = request.param
    path = dump(tmp_path / f"bad-{name}.yaml", mutate(base()))
    return path, fragments


def test_mutations_start_from_a_valid_scenario() -> None:
    """The base every case mutates is itself valid, so each error comes from the mutation."""
    scenario = load_scenario(HISTORICAL)
    assert scenario.events, "the investment event the cases mutate is gone"
    assert investment(base())[1]["investor"] == "Meta"


def test_validate_rejects_bad_file(
    bad_file: tuple[Path, tuple[str, ...]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path, fragments = bad_file
    monkeypatch.chdir(path.parent)
    code, out, err = call_main(["validate", path.name], capsys)
    assert_bad_input(code, err, path.name, *fragments)
    assert "OK" not in out


def test_run_rejects_bad_file_and_writes_nothing(
    bad_file: tuple[Path, tuple[str, ...]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path, fragments = bad_file
    monkeypatch.chdir(path.parent)
    out = path.parent / "out"
    code, _, err = call_main(["run", path.name, "--out", str(out), "-n", "1", "-w", "1"], capsys)
    assert_bad_input(code, err, path.name, *fragments)
    assert_nothing_written(out)
    assert not (path.parent / "runs").exists()


def test_error_lists_every_problem(tmp_path: Path) -> None:
    """Several mistakes in one file are all reported at once, each with its field."""
    data = _unknown_vendor_multiple(_quality_15(_unknown_investor(base())))
    path = dump(tmp_path / "many.yaml", data)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    fields = {p.field for p in info.value.problems}
    assert "vendors[Scale AI].valuation_multipel" in fields
    assert "vendors[Scale AI].quality.expert" in fields
    assert all(p.file == str(path) for p in info.value.problems)
