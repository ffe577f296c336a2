"""The bad-input contract of `labelmarket validate` and `labelmarket run`.

Every bad scenario (or bad `--set`) must end with exit code 2 and a message on stderr that
names the file, the field and what is allowed; never a traceback, and `run` must not write
anything. Bad files are built from the shipped `scenarios/historical.yaml` so these tests
follow the real scenario as it evolves.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from cli_process import run_cli

from labelmarket.cli.main import main
from labelmarket.model.scenario.fields import month_index
from labelmarket.model.scenario.files import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
HISTORICAL = SCENARIOS / "historical.yaml"
NO_DEAL = SCENARIOS / "no_deal.yaml"


# ---------------------------------------------------------------------------- helpers


def base() -> dict[str, Any]:
    """A fresh copy of the historical scenario as plain YAML data."""
    return yaml.safe_load(HISTORICAL.read_text(encoding="utf-8"))


def dump(path: Path, data: Any) -> Path:
    """Write YAML data to `path` and return it."""
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def vendor(data: dict, name: str = "Scale AI") -> dict:
    """The vendor mapping called `name`."""
    return next(v for v in data["vendors"] if v["name"] == name)


def client(data: dict, name: str = "Google") -> dict:
    """The client mapping called `name`."""
    return next(c for c in data["clients"] if c["name"] == name)


def investment(data: dict) -> tuple[int, dict]:
    """Index and mapping of the first investment event (Meta's stake in Scale)."""
    return next((i, e) for i, e in enumerate(data["events"]) if e["type"] == "investment")


def call_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run `labelmarket.cli.main(ARGS)` in this process; return (code, stdout, stderr)."""
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_bad_input(code: int, err: str, *fragments: str) -> None:
    """Exit code 2, no traceback, and every fragment (file, field, what is allowed) in stderr."""
    assert code == 2, f"exit code {code}, stderr:\n{err}"
    assert "Traceback" not in err, err
    for fragment in fragments:
        assert fragment in err, f"{fragment!r} not in stderr:\n{err}"


def assert_nothing_written(out: Path) -> None:
    """`run` left neither the output folder nor a staging folder next to it."""
    assert not out.exists(), f"{out} was created"
    assert not list(out.parent.glob(f".{out.name}.*")), "a staging folder was left behind"


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


INV = investment(base())[0]  # index of the investment event in the shipped scenario

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
        (f"events[{INV}].founder_move", "did you mean 'founder_moves'", "allowed:"),
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
        (f"events[{INV}].month", "outside the horizon 2024-01 to 2026-12"),
    ),
    (
        "event-unknown-vendor",
        _unknown_event_vendor,
        (f"events[{INV}].vendor", "unknown vendor 'Scale'", "did you mean 'Scale AI'", "allowed:"),
    ),
    (
        "event-unknown-investor",
        _unknown_investor,
        (f"events[{INV}].investor", "unknown client 'Metta'", "did you mean 'Meta'"),
    ),
    (
        "event-unknown-client",
        _unknown_pause_client,
        ("].client", "unknown client 'Gogle'", "did you mean 'Google'", "allowed:"),
    ),
    (
        "event-unknown-type",
        _unknown_event_type,
        (f"events[{INV}]", "'merger'", "'investment'", "'client_pause'"),
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
    scenario, _ = load_scenario(HISTORICAL)
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


# ------------------------------------------------------------------- malformed YAML


def test_malformed_yaml_reports_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = yaml.safe_dump(base(), sort_keys=False).splitlines()
    broken = next(i for i, line in enumerate(lines) if line.strip().startswith("stake:"))
    lines[broken] = lines[broken].replace("stake: ", "stake: [", 1)  # unclosed bracket
    path = tmp_path / "broken.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    code, _, err = call_main(["validate", str(path)], capsys)
    assert_bad_input(code, err, "broken.yaml", "malformed YAML")
    match = re.search(r"line (\d+), column (\d+)", err)
    assert match, err
    # the parser notices the unclosed bracket at the next key, a line or two later
    assert broken + 1 <= int(match.group(1)) <= broken + 3, (broken + 1, err)


def test_malformed_yaml_in_subprocess_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("name: x\nvendors: [a, b\nclients: []\n", encoding="utf-8")
    proc = run_cli(["run", "broken.yaml", "--out", "out"], cwd=tmp_path)
    assert_bad_input(proc.returncode, proc.stderr, "broken.yaml", "line 3, column", "malformed")
    assert_nothing_written(tmp_path / "out")


def test_python_tags_are_refused_not_executed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.yaml"
    path.write_text(f'name: !!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8")
    code, _, err = call_main(["validate", str(path)], capsys)
    assert_bad_input(code, err, "evil.yaml", "malformed YAML")
    assert not marker.exists()


def test_empty_file_is_not_a_mapping(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("", encoding="utf-8")
    code, _, err = call_main(["validate", str(path)], capsys)
    assert_bad_input(code, err, "empty.yaml", "must be a YAML mapping")


def test_undecodable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"name: caf\xe9\n")
    code, _, err = call_main(["validate", str(path)], capsys)
    assert_bad_input(code, err, "latin1.yaml", "cannot read file")


def test_duplicate_keys_are_rejected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = HISTORICAL.read_text(encoding="utf-8") + "\nevents: []\n"
    path = tmp_path / "twice.yaml"
    path.write_text(text, encoding="utf-8")
    code, _, err = call_main(["validate", str(path)], capsys)
    assert_bad_input(code, err, "twice.yaml", "events", "duplicate")


# ---------------------------------------------------------- missing files and extends


def test_missing_scenario_file(tmp_path: Path) -> None:
    proc = run_cli(["run", "nope.yaml", "--out", "out"], cwd=tmp_path)
    assert_bad_input(proc.returncode, proc.stderr, "nope.yaml", "file not found")
    assert_nothing_written(tmp_path / "out")
    proc = run_cli(["validate", "nope.yaml"], cwd=tmp_path)
    assert_bad_input(proc.returncode, proc.stderr, "nope.yaml", "file not found")


def test_a_folder_is_not_a_scenario(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "dir.yaml").mkdir()
    code, _, err = call_main(["validate", str(tmp_path / "dir.yaml")], capsys)
    assert_bad_input(code, err, "dir.yaml")


def test_missing_extends_parent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    child = tmp_path / "child.yaml"
    child.write_text("extends: missing_parent.yaml\nname: child\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = call_main(["run", str(child), "--out", str(out)], capsys)
    assert_bad_input(code, err, "missing_parent.yaml", "not found")
    assert_nothing_written(out)


def test_missing_extends_parent_names_the_child(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    child = tmp_path / "child.yaml"
    child.write_text("extends: missing_parent.yaml\nname: child\n", encoding="utf-8")
    code, _, err = call_main(["validate", str(child)], capsys)
    assert_bad_input(code, err, "child.yaml", "extends", "missing_parent.yaml")


def test_circular_extends(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("extends: b.yaml\nname: a\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\nname: b\n", encoding="utf-8")
    proc = run_cli(["run", "a.yaml", "--out", "out"], cwd=tmp_path)
    assert_bad_input(
        proc.returncode, proc.stderr, "a.yaml", "b.yaml", "extends", "circular extends"
    )
    assert_nothing_written(tmp_path / "out")


def test_self_extends(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "self.yaml"
    path.write_text("extends: self.yaml\nname: s\n", encoding="utf-8")
    code, _, err = call_main(["validate", str(path)], capsys)
    assert_bad_input(code, err, "self.yaml", "extends", "circular")


def test_extends_must_be_a_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ext.yaml"
    path.write_text("extends: 3\nname: x\n", encoding="utf-8")
    code, _, err = call_main(["validate", str(path)], capsys)
    assert_bad_input(code, err, "ext.yaml", "extends", "path to a scenario file")


def test_child_errors_name_the_child_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    child = dump(
        tmp_path / "child.yaml",
        {"extends": str(HISTORICAL), "vendors": [{"name": "Scale AI", "qualty": {}}]},
    )
    code, _, err = call_main(["validate", str(child)], capsys)
    assert_bad_input(code, err, "child.yaml", "vendors[Scale AI].qualty", "did you mean 'quality'")


# ------------------------------------------------------------------------ --set errors

SET_CASES: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "unknown-vendor-in-path",
        "vendors.Scale.price.expert=80",
        ("--set", "vendors.Scale", "no item 'Scale'", "did you mean 'Scale AI'", "allowed:"),
    ),
    (
        "unknown-client-in-path",
        "clients.Gogle.budget=1",
        ("--set", "clients.Gogle", "did you mean 'Google'"),
    ),
    (
        "unknown-field-in-path",
        "vendors.Scale AI.pric.expert=80",
        ("vendors[Scale AI].pric", "did you mean 'price'"),
    ),
    (
        "value-fails-validation",
        "vendors.Scale AI.price.expert=-3",
        ("vendors[Scale AI].price.expert", "greater than 0"),
    ),
    (
        "value-wrong-type",
        "clients.Google.budget=lots",
        ("clients[Google].budget", "valid number"),
    ),
    (
        "event-month-outside",
        f"events.{INV}.month=2031-01",
        (f"events[{INV}].month", "outside the horizon"),
    ),
    (
        "event-index-out-of-range",
        "events.99.month=2025-01",
        ("--set", "events.99", "no item '99'"),
    ),
    (
        "without-equals",
        "vendors.Scale AI.price.expert",
        ("--set", "expected --set path.to.field=value"),
    ),
    ("empty-path", "=3", ("--set", "expected --set path.to.field=value")),
    (
        "whole-list-item",
        "vendors.Scale AI=3",
        ("--set", "name an item of the list, then a field"),
    ),
]


@pytest.mark.parametrize(
    ("assignment", "fragments"), [c[1:] for c in SET_CASES], ids=[c[0] for c in SET_CASES]
)
def test_bad_set(
    assignment: str,
    fragments: tuple[str, ...],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out"
    args = ["run", str(HISTORICAL), "--set", assignment, "--out", str(out), "-n", "1"]
    code, _, err = call_main(args, capsys)
    assert_bad_input(code, err, "historical.yaml", *fragments)
    assert_nothing_written(out)
    code, _, err = call_main(["validate", str(HISTORICAL), "--set", assignment], capsys)
    assert_bad_input(code, err, "historical.yaml", *fragments)


def test_bad_set_in_subprocess(tmp_path: Path) -> None:
    proc = run_cli(
        ["run", str(HISTORICAL), "--set", "vendors.Scale.price.expert=80", "--out", "out"],
        cwd=tmp_path,
    )
    assert_bad_input(proc.returncode, proc.stderr, "historical.yaml", "did you mean 'Scale AI'")
    assert_nothing_written(tmp_path / "out")
    proc = run_cli(["validate", str(HISTORICAL), "--set", "market.observation_noise"], tmp_path)
    assert_bad_input(proc.returncode, proc.stderr, "expected --set path.to.field=value")


@pytest.mark.parametrize(
    "assignment", ["name.x=3", "market.observation_noise.x=1", "vendors.Scale AI.name.x=1"]
)
def test_set_below_a_plain_value(assignment: str, tmp_path: Path) -> None:
    proc = run_cli(["run", str(HISTORICAL), "--set", assignment, "--out", "out"], cwd=tmp_path)
    assert_bad_input(proc.returncode, proc.stderr, "historical.yaml", "--set")
    assert_nothing_written(tmp_path / "out")


# ------------------------------------------------------------- command-line arguments


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--seed", "-1"], "--seed"),
        (["--replicates", "0"], "--replicates"),
        (["--workers", "two"], "--workers"),
    ],
)
def test_bad_arguments(args: list[str], fragment: str, tmp_path: Path) -> None:
    proc = run_cli(["run", str(HISTORICAL), "--out", "out", *args], cwd=tmp_path)
    assert_bad_input(proc.returncode, proc.stderr, fragment)
    assert_nothing_written(tmp_path / "out")


# --------------------------------------------------------------- what does load fine


@pytest.mark.parametrize("path", [HISTORICAL, NO_DEAL], ids=["historical", "no_deal"])
def test_shipped_scenarios_validate(path: Path, tmp_path: Path) -> None:
    proc = run_cli(["validate", str(path)], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    scenario, _ = load_scenario(path)
    assert f"OK: '{scenario.name}'" in proc.stdout
    assert f"{len(scenario.vendors)} vendors, {len(scenario.clients)} clients" in proc.stdout


def test_no_deal_is_historical_without_events() -> None:
    _, hist = load_scenario(HISTORICAL)
    _, nodeal = load_scenario(NO_DEAL)
    assert hist["events"] and nodeal["events"] == []
    same = {k for k in hist if k not in ("name", "description", "events")}
    assert {k: hist[k] for k in same} == {k: nodeal[k] for k in same}


def test_extends_merges_vendors_by_name(tmp_path: Path) -> None:
    child = tmp_path / "cheap_scale.yaml"
    child.write_text(
        f"extends: {HISTORICAL}\n"
        "name: cheap_scale\n"
        "vendors:\n"
        "  - name: Scale AI\n"
        "    price: {generalist: 10, expert: 90}\n",
        encoding="utf-8",
    )
    _, parent = load_scenario(HISTORICAL)
    scenario, merged = load_scenario(child)

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
    child = dump(
        tmp_path / "sub" / "child.yaml",
        {"extends": f"../{parent.name}", "name": "child", "vendors": [newcomer]},
    )
    monkeypatch.chdir(ROOT)  # `extends` resolves against the child's folder, not the cwd
    scenario, _ = load_scenario(child)
    names = [v.name for v in scenario.vendors]
    assert names == [v["name"] for v in base()["vendors"]] + ["Newco"]


def test_set_changes_exactly_one_field() -> None:
    _, before = load_scenario(HISTORICAL)
    _, after = load_scenario(HISTORICAL, ["vendors.Scale AI.price.expert=80"])
    assert before["vendors"][0]["name"] == "Scale AI"
    assert after["vendors"][0]["price"]["expert"] == 80.0
    after["vendors"][0]["price"]["expert"] = before["vendors"][0]["price"]["expert"]
    assert after == before


def test_set_through_cli_changes_the_resolved_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    event_month = f"events.{INV}.month=2025-09"
    code, out, err = call_main(
        ["validate", str(HISTORICAL), "--set", "clients.Google.budget=1.5e6", "--set", event_month],
        capsys,
    )
    assert code == 0, err
    assert "OK" in out
    scenario, _ = load_scenario(
        HISTORICAL, ["clients.Google.budget=1.5e6", "clients.Google.budget=2e6", event_month]
    )
    assert next(c for c in scenario.clients if c.name == "Google").budget == 2e6  # last wins
    assert month_index(scenario.start, scenario.events[INV].month) == 20
