"""Bundled data: scenarios, sweeps and the facts ledger are found by name from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
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
    package = ROOT / "labelmarket"
    for folder, _, files in os.walk(package, followlinks=True):  # through the links
        if "__init__.py" in files:
            parts = Path(folder).relative_to(package).parts
            assert ".".join(("labelmarket", *parts)) in listed, folder
    assert {"labelmarket.scenarios", "labelmarket.scenarios.sweeps", "labelmarket.seeds"} <= listed


def test_the_checkout_is_the_package_without_an_install() -> None:
    """model/, calibration/, scenarios/ and seeds/ are reached through links in labelmarket/."""
    for name in ("model", "calibration", "scenarios", "seeds"):
        link = ROOT / "labelmarket" / name
        assert link.is_symlink() and link.resolve() == ROOT / name, link
    code = (  # -S: no site-packages, so no installed or editable labelmarket to fall back on
        "import labelmarket.model.results.folders as b, labelmarket.calibration.errors as e\n"
        "print(b.__file__, e.__file__)"
    )
    proc = subprocess.run(
        [sys.executable, "-S", "-c", code], env={"PYTHONPATH": str(ROOT)}, cwd="/",
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    model, calibration = proc.stdout.split()
    assert model == str(ROOT / "labelmarket/model/results/folders.py")
    assert calibration == str(ROOT / "labelmarket/calibration/errors.py")


@pytest.mark.parametrize("folder", ["", "some/folder/"])
def test_a_file_name_too_long_is_one_message_not_a_traceback(
    folder: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by the large fuzz run: looking the name up among the bundled ones raised OSError."""
    code, _, err = call_main(["validate", folder + "x" * 300 + ".yaml"], capsys)
    assert code == 2 and err.count("\n") == 2 and "Traceback" not in err
    assert ("cannot read file" in err) or ("file not found" in err)
