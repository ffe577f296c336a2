"""The three recipes of docs/architecture.md work as written, each applied to a package copy.

The code is read from docs/architecture.md itself (blocks starting `# file:` or `# row:`), so the
recipes and this test cannot drift apart. Each check runs in a fresh interpreter on the
modified copy; the source tree is never touched.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT, copy_package

BLOCK = re.compile(r"```python[^\n]*\n# (file|row): (\S+)\n(.*?)```", re.S)
ANCHORS = {
    "CLIENT": 'class ClientParameters:\n    """Per client: (R, C)."""\n\n    # fmt: off\n',
    "BUSINESS_MODELS": "BUSINESS_MODELS: tuple[BusinessModel, ...] = (\n",
}
ROW_FILES = {
    "CLIENT": "model/core/parameters/client.py",
    "BUSINESS_MODELS": "model/core/business_models.py",
}


def recipes() -> dict[str, str]:
    """The recipes' code blocks by target: a file path, or the name of a declaration list."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    return {target: body for _, target, body in BLOCK.findall(text)}


@pytest.fixture()
def package(tmp_path: Path) -> Path:
    """A copy of the package as it installs (labelmarket/, its links to model/, calibration/,
    scenarios/ and seeds/ copied as the folders they point to)."""
    site = copy_package(tmp_path / "site")
    for cached in (ROOT / "model" / "core").rglob("__pycache__/*.nb[ic]"):
        # the compiled rules: valid in the copy while its rules are the same files
        target = site / "labelmarket" / cached.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(cached, target)
    return site


def apply(site: Path, target: str, body: str) -> None:
    """Write a `# file:` block, or insert a `# row:` block at the top of its list."""
    if target in ANCHORS:
        path = site / "labelmarket" / ROW_FILES[target]
        text = path.read_text(encoding="utf-8")
        assert ANCHORS[target] in text, f"docs/architecture.md recipe anchor for {target} moved"
        path.write_text(text.replace(ANCHORS[target], ANCHORS[target] + body, 1), encoding="utf-8")
    else:
        (site / "labelmarket" / target).write_text(body, encoding="utf-8")


def python(site: Path, code: str) -> str:
    """Run code in a fresh interpreter that imports the modified copy; return stdout."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=site,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


PREAMBLE = f"""
import numpy as np, yaml
from labelmarket.model.scenario.loading import load_scenario
from labelmarket.model.scenario.schema import Scenario
from labelmarket.model.scenario.compile import compile_world
from labelmarket.model.drivers.batched import run_batch
from labelmarket.model.execution.seeds import replicate_seeds
data = load_scenario({str(ROOT / "scenarios" / "no_deal.yaml")!r}).resolved
"""


def test_add_an_event_type(package: Path) -> None:
    """A new event module is found, validated, listed, and changes the state as it says."""
    target = next(t for t in recipes() if t.startswith("model/scenario/events/"))
    apply(package, target, recipes()[target])
    out = python(
        package,
        PREAMBLE
        + """
from labelmarket.model.scenario.listing import parameter_rows
data["events"] = [{"type": "funding_round", "month": "2024-07", "vendor": "Mercor",
                   "amount": 5e8}]
with_round = compile_world(Scenario.model_validate(data))
data["events"] = []
without = compile_world(Scenario.model_validate(data))
seeds = replicate_seeds(1, 2)
a, b = run_batch(with_round, seeds), run_batch(without, seeds)
v = with_round.vendors.index("Mercor")
gap = a.history["cash"][:, :, v] - b.history["cash"][:, :, v]
print(round(gap[6:].min()), round(gap[6:].max()), round(abs(gap[:6]).max()))
print(any(r[0].startswith("events[type=funding_round].amount") for r in parameter_rows()))
""",
    )
    assert out.split() == ["500000000", "500000000", "0", "True"]


def test_add_a_client_parameter(package: Path) -> None:
    """A declared row reaches the schema, the compiled world, the listing and sweep paths."""
    apply(package, "CLIENT", recipes()["CLIENT"])
    out = python(
        package,
        PREAMBLE
        + """
from labelmarket.model.scenario.listing import parameter_rows
from labelmarket.model.scenario.paths import locate, with_parameters
data["clients"][0]["procurement_lag"] = 3
scenario = Scenario.model_validate(data)
world = compile_world(scenario)
print(world.procurement_lag.tolist())
p = locate(scenario, "clients.*.procurement_lag")
print(with_parameters(world, [p], np.array([[2.0]])).procurement_lag.tolist())
print([r[1] for r in parameter_rows() if r[0] == "clients[].procurement_lag"])
try:
    data["clients"][0]["procurement_lag"] = 99
    Scenario.model_validate(data)
except Exception as exc:
    print("refused" if "less than or equal to 24" in str(exc) else exc)
""",
    )
    lines = out.splitlines()
    assert lines[0] == str([3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    assert lines[1] == str([[2.0] * 7])
    assert lines[2] == "['months']" and lines[3] == "refused"


def test_add_a_vendor_business_model(package: Path) -> None:
    """A new model is accepted on vendors, runs, reports its share of revenue, and the charts
    and the report count its vendors as its own (not as expert vendors)."""
    apply(package, "BUSINESS_MODELS", recipes()["BUSINESS_MODELS"])
    out = python(
        package,
        PREAMBLE
        + """
from labelmarket.model.results.metrics import market_metrics
next(v for v in data["vendors"] if v["name"] == "Turing")["model"] = "synthetic"
world = compile_world(Scenario.model_validate(data))
result = run_batch(world, replicate_seeds(1, 2))
metrics = market_metrics(result, world)
total = sum(metrics[m] for m in ("crowd_share", "expert_vendor_share", "synthetic_vendor_share"))
print(world.of_model("synthetic").tolist().index(True) == world.vendors.index("Turing"))
print(world.policies["wages"][world.vendors.index("Turing")] == "fixed")
print(bool(np.allclose(total, 1.0)), bool((metrics["synthetic_vendor_share"] > 0).all()))
from labelmarket.model.charts.style import business_model_colours
from labelmarket.model.results.run import business_model_members
from labelmarket.report.scenario import intro
members = business_model_members([(v["name"], v["model"]) for v in data["vendors"]])
print(members["synthetic"] == ["Turing"] and "Turing" not in members["expert"])
print(len(set(business_model_colours().values())) == 3)
print("synthetic vendors Turing" in intro(data, []))
""",
    )
    assert out.split() == ["True"] * 7  # the charts and the report ask the registry too
