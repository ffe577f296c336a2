"""The import contracts bite: each of the probes that once passed them now breaks them.

Each probe is planted in a copy of the package, in the rules core (`model/core/world.py`),
and `.ci/check_layers.py` (import-linter with the project's `allowed` contract type) must
fail on it and name the import; the copy without a probe passes, so the failure is the
probe's. The copy is made once; each check takes well under a second.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT, copy_package

CHECK = ROOT / ".ci" / "check_layers.py"
WORLD = Path("labelmarket/model/core/world.py")
PROBES = {  # what is planted -> what the report must name
    "from labelmarket import run": "imports labelmarket (",
    'import importlib\nimportlib.import_module("labelmarket.cli.main")': "imports importlib",
    "import networkx": "imports networkx",
    "import sklearn": "imports sklearn",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the package and its pyproject.toml, as the contracts read them."""
    if importlib.util.find_spec("importlinter") is None:
        pytest.skip("import-linter is in the test extra")
    found = copy_package(tmp_path_factory.mktemp("contracts"))
    shutil.copy2(ROOT / "pyproject.toml", found / "pyproject.toml")
    return found


def check(site: Path) -> subprocess.CompletedProcess[str]:
    """Run the contracts on the copy."""
    return subprocess.run(
        [sys.executable, str(CHECK), str(site)], capture_output=True, text=True, check=False
    )


def test_the_copy_keeps_every_contract(site: Path) -> None:
    done = check(site)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize("probe", list(PROBES), ids=["root", "cli-by-name", "networkx", "sklearn"])
def test_each_probe_breaks_the_contracts(site: Path, probe: str) -> None:
    world = site / WORLD
    original = world.read_text(encoding="utf-8")
    world.write_text(f"{original}\n{probe}\n", encoding="utf-8")
    try:
        done = check(site)
    finally:
        world.write_text(original, encoding="utf-8")
    assert done.returncode != 0, done.stdout
    assert "BROKEN" in done.stdout
    assert f"labelmarket.model.core.world {PROBES[probe]}" in done.stdout, done.stdout


def test_a_command_reaching_below_the_api_breaks_them(site: Path) -> None:
    command = site / "labelmarket/cli/commands/run.py"
    original = command.read_text(encoding="utf-8")
    command.write_text(f"{original}\nfrom labelmarket.model.results import tables\n", "utf-8")
    try:
        done = check(site)
    finally:
        command.write_text(original, encoding="utf-8")
    assert done.returncode != 0
    assert "labelmarket.cli.commands.run imports labelmarket.model.results" in done.stdout
