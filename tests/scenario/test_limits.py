"""The limits on scenario input (docs/limits.md): each refused with one clean message.

Impossible dates, keys that are lists, deep nesting, alias bombs, huge files, thousands of
unknown keys, NaN and infinities, values where the arithmetic breaks, horizons and
compounded budgets beyond the caps, and names that would steer outputs out of `runs/`.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from labelmarket.model.scenario.loading import load_scenario
from labelmarket.model.scenario.problems import ScenarioError
from labelmarket.model.scenario.yaml_input import MAX_NODES, YamlInputError, parse_yaml
from tests.support import HISTORICAL, assert_bad_input, base, call_main, dump, vendor

TEXT = HISTORICAL.read_text(encoding="utf-8")


def _validate(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    """`labelmarket validate PATH`, which must be refused; its stderr."""
    code, _, err = call_main(["validate", str(path), *extra], capsys)
    assert_bad_input(code, err)
    return err


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("start: 2024-01", "start: 2024-02-30"),
        ("end: 2026-12", "end: 2026-13-01"),
        ("month: 2025-06", "month: 2025-06-31"),
    ],
)
def test_impossible_dates_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str
) -> None:
    assert old in TEXT
    path = tmp_path / "s.yaml"
    path.write_text(TEXT.replace(old, new, 1), encoding="utf-8")
    err = _validate(path, capsys)
    assert f"'{new.split(': ')[1]}' is not a real date" in err and "line " in err


def test_impossible_date_by_set_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    err = _validate(HISTORICAL, capsys, "--set", "start=2024-02-30")
    assert "--set start=2024-02-30" in err and "not a real date" in err


@pytest.mark.parametrize("text", ["{[1]: 2}\n", "{{a: 1}: 2}\n", "? [a, b]\n: 1\n"])
def test_keys_that_are_lists_or_mappings_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    assert "a key must be a name or a number" in _validate(path, capsys)


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 5000 + "]" * 5000,
        "a: " + "{a: " * 3000 + "1" + "}" * 3000,
        "a: " + "[" * 40 + "]" * 40,
        "".join("\n" + " " * i + "a:" for i in range(40)) + " 1",
    ],
    ids=["5000-deep-list", "3000-deep-mapping", "40-deep-list", "40-deep-block"],
)
def test_deep_nesting_is_refused_not_a_recursion_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(text + "\n", encoding="utf-8")
    assert "nest" in _validate(path, capsys)


def test_alias_bombs_and_self_reference_are_refused() -> None:
    bomb = "l0: &l0 [x]\n" + "".join(
        f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]\n" for i in range(1, 8)
    )
    with pytest.raises(YamlInputError, match=f"more than {MAX_NODES:,} values"):
        parse_yaml(bomb)
    with pytest.raises(YamlInputError, match="contains it"):
        parse_yaml("a: &x [*x]\n")
    deep_alias = "a: &a [[[[[[[[[[1]]]]]]]]]]\n" + "".join(
        f"b{i}: &b{i} [[[[[[[[[[*{'a' if i == 0 else f'b{i - 1}'}]]]]]]]]]]\n" for i in range(4)
    )
    with pytest.raises(YamlInputError, match="once aliases are expanded"):
        parse_yaml(deep_alias)


def test_merge_keys_and_ordinary_aliases_still_load() -> None:
    data = parse_yaml("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\nd: [*b, *b]\n")
    assert data == {"base": {"x": 1, "y": 2}, "c": {"x": 1, "y": 3}, "d": [data["base"]] * 2}


def test_a_file_over_a_megabyte_is_refused_unread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(TEXT + "description: " + "x" * 1_100_000 + "\n", encoding="utf-8")
    assert "larger than 1,000,000 bytes" in _validate(path, capsys)


def test_thousands_of_unknown_keys_give_twenty_lines_and_a_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(TEXT + "".join(f"k{i}: {i}\n" for i in range(60_000)), encoding="utf-8")
    started = time.perf_counter()
    err = _validate(path, capsys)
    assert time.perf_counter() - started < 30
    assert err.count("unknown field") == 20
    assert "... and 59,980 more problems (the first 20 are shown)" in err
    assert len(err.splitlines()) == 22


@pytest.mark.parametrize(
    "assignment",
    [
        "vendors.Scale AI.cash=.nan",
        "vendors.Scale AI.cash=.inf",
        "vendors.Scale AI.overhead=.inf",
        "vendors.Scale AI.wage.expert=.inf",
        "vendors.Scale AI.price.generalist=.inf",
        "vendors.Scale AI.workforce.generalist=.inf",
        "vendors.Scale AI.hours_per_worker.expert=.inf",
        "market.prior_precision=.inf",
        "market.founder_exposure=.inf",
        "clients.Google.budget=1e999",
        "clients.Google.current_vendors.Scale AI=.nan",
        "events.0.amount=.inf",
    ],
)
def test_nan_and_infinities_are_refused(assignment: str) -> None:
    with pytest.raises(ScenarioError, match="finite number"):
        load_scenario(HISTORICAL, [assignment])


@pytest.mark.parametrize(
    ("assignment", "allowed"),
    [
        ("market.trial_share=1e-300", "greater than or equal to 0.001"),
        ("market.observation_noise=1e-200", "greater than or equal to 0.01"),
        ("market.prior_precision=1e-300", "greater than or equal to 1"),
        ("vendors.Scale AI.price.expert=1e-300", "greater than or equal to 0.01"),
        ("vendors.Scale AI.hours_per_worker.expert=1e-300", "greater than or equal to 1"),
        ("clients.Google.price_sensitivity=20", "less than or equal to 10"),
        ("events.0.stake=1e-9", "greater than or equal to 0.0001"),
        ("clients.Google.budget=1e13", "less than or equal to 1000000000000"),
    ],
)
def test_values_where_the_arithmetic_breaks_are_refused(assignment: str, allowed: str) -> None:
    with pytest.raises(ScenarioError, match=allowed):
        load_scenario(HISTORICAL, [assignment])


def test_budgets_compounding_past_the_cap_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"clients\[Google\].budget: with its growth"):
        load_scenario(
            HISTORICAL,
            ["clients.Google.budget=1e12", "clients.Google.budget_growth=0.5", "end=2030-12"],
        )
    data = base()
    data["events"] += [{"type": "demand_shift", "month": "2025-01", "budget_factor": 100.0}] * 9
    with pytest.raises(ScenarioError, match="reaches 1e"):
        load_scenario(dump(tmp_path / "shifts.yaml", data))
    data = base()
    data["events"] += [{"type": "vendor_pivot", "month": "2025-01", "vendor": "Appen",
                        "expert_wage_factor": 10.0}] * 9  # fmt: skip
    with pytest.raises(ScenarioError, match=r"vendors\[Appen\].wage.expert: its pivots"):
        load_scenario(dump(tmp_path / "pivots.yaml", data))


def test_the_horizon_is_at_most_600_months(tmp_path: Path) -> None:
    scenario = load_scenario(HISTORICAL, ["start=2024-01", "end=2073-12"])
    assert scenario.end == "2073-12"  # 600 months exactly
    with pytest.raises(ScenarioError, match="is 601 months; the horizon is at most 600"):
        load_scenario(HISTORICAL, ["end=2074-01"])
    with pytest.raises(ScenarioError, match="must not be before start"):
        load_scenario(HISTORICAL, ["end=2023-12"])


@pytest.mark.parametrize(("start", "end"), [("'0000-01'", "2026-12"), ("0001-01", "9999-12")])
def test_years_outside_1900_2200_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], start: str, end: str
) -> None:
    path = tmp_path / "s.yaml"
    text = TEXT.replace("start: 2024-01", f"start: {start}").replace("end: 2026-12", f"end: {end}")
    path.write_text(text, encoding="utf-8")
    assert "the year must be between 1900 and 2200" in _validate(path, capsys)


@pytest.mark.parametrize(
    "name", ["/tmp/somewhere", "../../x", "..", ".", "x/../../../y", ".hidden", "a b", "x" * 65]
)
def test_names_must_be_safe_folder_names(tmp_path: Path, name: str) -> None:
    data = base()
    data["name"] = name
    with pytest.raises(ScenarioError, match="is not a usable name"):
        load_scenario(dump(tmp_path / "s.yaml", data))
    with pytest.raises(ScenarioError, match=r"`overrides=` name=.*is not a usable name"):
        load_scenario(HISTORICAL, [f"name={name}"])


def test_at_most_a_thousand_vendors(tmp_path: Path) -> None:
    data = base()
    data["vendors"] = [{**vendor(data), "name": f"V{i}"} for i in range(1001)]
    with pytest.raises(ScenarioError, match="at most 1000 items"):
        load_scenario(dump(tmp_path / "s.yaml", data))


def test_problem_messages_cut_long_input() -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(HISTORICAL, ["start=" + "9" * 5000])
    assert len(str(caught.value)) < 400


def test_params_lists_the_allowed_range_of_every_declared_number() -> None:
    from labelmarket.model.core.parameters import DECLARED
    from labelmarket.model.scenario.listing import allowed_ranges

    rows = allowed_ranges()
    prefix = {"market": "market", "vendor": "vendors[]", "tier": "vendors[]", "client": "clients[]"}
    for d in DECLARED:
        block = prefix[d.scope] + (f".{d.group}" if d.group else "")
        low, high = rows[f"{block}.{d.name}"].strip("[]()").split(", ")
        assert (float(low), float(high)) == (d.ge if d.ge is not None else d.gt, d.le or d.lt)
    assert rows["market.trial_share"] == "[0.001, 0.2]"
    assert rows["clients[].budget"] == "(0, 1e+12]"
    assert rows["events[type=investment].stake"] == "[0.0001, 1]"
