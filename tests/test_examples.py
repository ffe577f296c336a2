"""The scripts in examples/ run, small (CI's wheel job runs them at their own sizes from a
fresh install), and each says what it shows."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

from tests.support import ROOT

SMALL = {  # each script, at the least size that still shows its point
    "deal_effect.py": ["--replicates", "2", "--workers", "1"],
    "sweep_discovery.py": ["--points", "12", "--replicates", "1", "--workers", "1"],
    "mesa_subclass.py": ["--seeds", "1"],
}


def test_every_example_is_listed_here_and_in_its_readme() -> None:
    found = {p.name for p in (ROOT / "examples").glob("*.py")}
    assert found == set(SMALL)
    listing = (ROOT / "examples" / "README.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in listing for name in found)


@pytest.mark.parametrize("name", sorted(SMALL))
def test_the_example_runs(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.chdir(tmp_path)
    script = runpy.run_path(str(ROOT / "examples" / name), run_name="example")
    assert script["main"](SMALL[name]) == 0
    assert script["__doc__"] and len(capsys.readouterr().out.splitlines()) >= 3
