"""What loads fine: shipped scenarios, `extends:` merging, `--set` changing one field."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest

from labelmarket.model.scenario.fields import month_index
from labelmarket.model.scenario.loading import load_scenario
from tests.support import (
    HISTORICAL,
    INVESTMENT,
    NO_DEAL,
    ROOT,
    base,
    call_main,
    dump,
    run_cli,
    vendor,
)

# --------------------------------------------------------------- what does load fine


@pytest.mark.parametrize("path", [HISTORICAL, NO_DEAL], ids=["historical", "no_deal"])
def test_shipped_scenarios_validate(path: Path, tmp_path: Path) -> None:
    proc = run_cli(["validate", str(path)], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    scenario = load_scenario(path)
    assert f"OK: '{scenario.name}'" in proc.stdout
    assert f"{len(scenario.vendors)} vendors, {len(scenario.clients)} clients" in proc.stdout


def test_no_deal_is_historical_without_events() -> None:
    hist = load_scenario(HISTORICAL).resolved
    nodeal = load_scenario(NO_DEAL).resolved
    assert hist["events"] and nodeal["events"] == []
    same = {k for k in hist if k not in ("name", "description", "events")}
    assert {k: hist[k] for k in same} == {k: nodeal[k] for k in same}


def test_extends_merges_vendors_by_name(tmp_path: Path) -> None:
    child = tmp_path / "cheap_scale.yaml"
    child.write_text(
        f"extends: {os.path.relpath(HISTORICAL, tmp_path)}\n"  # the bundled scenarios
        "name: cheap_scale\n"
        "vendors:\n"
        "  - name: Scale AI\n"
        "    price: {generalist: 10, expert: 90}\n",
        encoding="utf-8",
    )
    parent = load_scenario(HISTORICAL).resolved
    scenario = load_scenario(child)
    merged = scenario.resolved

    assert scenario.name == "cheap_scale"
    assert [v["name"] for v in merged["vendors"]] == [v["name"] for v in parent["vendors"]]
    scale = next(v for v in merged["vendors"] if v["name"] == "Scale AI")
    parent_scale = next(v for v in parent["vendors"] if v["name"] == "Scale AI")
    assert scale["price"] == {"generalist": 10.0, "expert": 90.0}
    assert parent_scale["price"] != scale["price"]
    assert {k: v for k, v in scale.items() if k != "price"} == {
        k: v for k, v in parent_scale.items() if k != "price"
    }
    assert [v for v in merged["vendors"] if v["name"] != "Scale AI"] == [
        v for v in parent["vendors"] if v["name"] != "Scale AI"
    ]
    for key in ("clients", "events", "market", "start", "end"):
        assert merged[key] == parent[key], key


def test_extends_appends_new_vendor_and_is_relative_to_the_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = dump(tmp_path / "parent.yaml", base())
    newcomer = copy.deepcopy(vendor(base(), "Turing"))
    newcomer["name"] = "Newco"
    (tmp_path / "sub").mkdir()
    middle = dump(
        tmp_path / "sub" / "middle.yaml",
        {"extends": f"../{parent.name}", "vendors": [newcomer]},
    )
    child = dump(tmp_path / "child.yaml", {"extends": f"sub/{middle.name}", "name": "child"})
    monkeypatch.chdir(ROOT)  # `extends` resolves against the child's folder, not the cwd
    scenario = load_scenario(child)
    names = [v.name for v in scenario.vendors]
    assert names == [v["name"] for v in base()["vendors"]] + ["Newco"]


def test_set_changes_exactly_one_field() -> None:
    before = load_scenario(HISTORICAL).resolved
    after = load_scenario(HISTORICAL, ["vendors.Scale AI.price.expert=80"]).resolved
    assert before["vendors"][0]["name"] == "Scale AI"
    assert after["vendors"][0]["price"]["expert"] == 80.0
    after["vendors"][0]["price"]["expert"] = before["vendors"][0]["price"]["expert"]
    assert after == before


def test_set_through_cli_changes_the_resolved_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    event_month = f"events.{INVESTMENT}.month=2025-09"
    code, out, err = call_main(
        ["validate", str(HISTORICAL), "--set", "clients.Google.budget=1.5e6", "--set", event_month],
        capsys,
    )
    assert code == 0, err
    assert "OK" in out
    scenario = load_scenario(
        HISTORICAL, ["clients.Google.budget=1.5e6", "clients.Google.budget=2e6", event_month]
    )
    assert next(c for c in scenario.clients if c.name == "Google").budget == 2e6  # last wins
    assert month_index(scenario.start, scenario.events[INVESTMENT].month) == 20
