"""`labelmarket params [SCENARIO] [--format json|csv]`: every parameter by the path an
override takes, with its unit and value; each path a scenario lists takes its value back."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

import labelmarket as lm
from labelmarket.model.scenario.schema import ClientSpec, MarketParams
from tests.support import call_main


def test_without_a_scenario_paths_name_their_items_by_placeholders(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = call_main(["params", "--format", "csv"], capsys)
    assert code == 0
    table = pd.read_csv(io.StringIO(out)).set_index("path")
    unit = ClientSpec.model_fields["conflict_sensitivity"].json_schema_extra["unit"]
    assert table.loc["clients.<client>.conflict_sensitivity", "unit"] == unit
    for name, field in MarketParams.model_fields.items():
        found = table.filter(regex=rf"^market\.{name}(\.|$)", axis=0)
        assert (found["unit"] == field.json_schema_extra["unit"]).all() and len(found), name
    assert "vendors.<vendor>.price.expert" in table.index
    assert "events.<n>.stake (investment events)" in table.index
    assert not table.index.str.contains(r"\[\]").any()  # no `clients[].x`: paths users type


def test_a_scenarios_paths_take_their_own_values_back(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call_main(["params", "historical", "--format", "json"], capsys)
    assert code == 0
    rows = json.loads(out)
    values = {r["path"]: r["value"] for r in rows}
    assert values["clients.Google.conflict_sensitivity"] == pytest.approx(
        next(
            c for c in lm.load_scenario("historical").clients if c.name == "Google"
        ).conflict_sensitivity
    )
    assert "vendors.Scale AI.price.expert" in values and "events.0.stake" in values
    again = lm.load_scenario("historical", values)  # every path is one --set takes
    assert again.resolved["clients"] == lm.load_scenario("historical").resolved["clients"]


def test_overrides_show_in_the_values_and_the_table_reads_well(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["params", "no_deal", "--set", "clients.Google.conflict_sensitivity=2.5"]
    code, out, _ = call_main(args, capsys)
    assert code == 0
    header, *lines = out.splitlines()
    assert header.split()[:3] == ["parameter", "unit", "value"]
    google = next(line for line in lines if line.startswith("clients.Google.conflict_"))
    assert " 2.5 " in google
