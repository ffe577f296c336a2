"""Bundled data: scenarios, sweeps and the facts ledger are found by name from any folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from labelmarket import bundled
from tests.support import ROOT, assert_bad_input, call_main, run_cli


def test_the_source_tree_folders_are_the_bundled_ones() -> None:
    assert bundled.scenarios_dir() == ROOT / "scenarios"
    assert bundled.seeds_dir() == ROOT / "seeds"
    assert bundled.calibration_file("targets.yaml") == ROOT / "calibration" / "targets.yaml"
    assert "historical" in bundled.scenario_names()
    assert "sobol_deal_effect" in bundled.scenario_names(sweeps=True)


def test_a_name_resolves_to_the_bundled_file_unless_a_file_is_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert bundled.resolve_scenario("historical") == ROOT / "scenarios" / "historical.yaml"
    assert bundled.resolve_scenario("no_deal.yaml") == ROOT / "scenarios" / "no_deal.yaml"
    sweep = bundled.resolve_scenario("sobol_deal_effect", sweeps=True)
    assert sweep == ROOT / "scenarios" / "sweeps" / "sobol_deal_effect.yaml"
    (tmp_path / "historical.yaml").write_text("name: mine\n", encoding="utf-8")
    assert bundled.resolve_scenario("historical.yaml") == Path("historical.yaml")
    assert bundled.resolve_scenario("sub/missing.yaml") == Path("sub/missing.yaml")


def test_an_unknown_name_lists_the_bundled_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = call_main(["validate", "histrical"], capsys)
    assert_bad_input(code, err, "histrical", "file not found", "historical", "no_deal")


def test_run_a_bundled_scenario_by_name_from_any_folder(tmp_path: Path) -> None:
    proc = run_cli(["run", "no_deal", "-n", "2", "--no-charts", "-w", "1"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "runs" / "no_deal" / "summary.csv").is_file()
    assert list((tmp_path / "runs" / "no_deal" / "timeseries.parquet").glob("*.parquet"))


def test_scenarios_lists_scenarios_and_sweeps(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call_main(["scenarios"], capsys)
    assert code == 0
    for name in bundled.scenario_names() + bundled.scenario_names(sweeps=True):
        assert f"  {name} " in out
    assert "Counterfactual: Meta never buys its 49% stake" in out
    code, out, _ = call_main(["scenarios", "--path"], capsys)
    assert Path(out.strip()) == ROOT / "scenarios"


def test_every_package_folder_is_in_the_wheel() -> None:
    """A sub-package missing from pyproject's list is missing from the wheel (not the checkout)."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    mapping = config["tool"]["setuptools"]["package-dir"]
    for package, folder in mapping.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            parts = init.parent.relative_to(ROOT / folder).parts
            assert ".".join((package, *parts)) in listed, init
    assert {"labelmarket.scenarios", "labelmarket.scenarios.sweeps", "labelmarket.seeds"} <= listed


@pytest.mark.parametrize("folder", ["", "some/folder/"])
def test_a_file_name_too_long_is_one_message_not_a_traceback(
    folder: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by the large fuzz run: looking the name up among the bundled ones raised OSError."""
    code, _, err = call_main(["validate", folder + "x" * 300 + ".yaml"], capsys)
    assert code == 2 and err.count("\n") == 2 and "Traceback" not in err
    assert ("cannot read file" in err) or ("file not found" in err)
