"""Every family of bad input, and a seeded generator that draws cases across all of them.

The families are in `scenario_cases` (schema-level mistakes in scenario files),
`file_cases` (YAML and `extends:` abuse), `command_cases` (sweep files and command lines)
and `REPRODUCERS` below (the reproducers of issue 10, always included).
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import yaml

from tests.fuzz import command_cases, file_cases, scenario_cases
from tests.fuzz.harness import Case
from tests.fuzz.scenario_cases import SECRET, SECRET_FILES, VALID
from tests.support import base

FAMILIES = {**scenario_cases.FAMILIES, **file_cases.FAMILIES, **command_cases.FAMILIES}
V = ["validate", "{IN}/s.yaml"]
RUN = ["run", "{IN}/s.yaml", "-n", "1", "--workers", "1", "--no-charts"]
BASE = ["run", "{IN}/base.yaml", "-n", "1", "--workers", "1", "--no-charts"]


def _reproducer(name: str, argv: list[str], text: str | None = None) -> Case:
    files = {"in/base.yaml": VALID, **SECRET_FILES}
    if text is not None:
        files["in/s.yaml"] = text
    return Case(f"issue: {name}", argv, files, secrets=(SECRET,))


def _with(old: str, new: str, text: str = VALID) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _nan_share() -> str:
    data = base()
    data["clients"][0]["current_vendors"]["Scale AI"] = float("nan")
    return yaml.safe_dump(data, sort_keys=False)


REPRODUCERS = [
    _reproducer("extends /etc/shadow", V, "extends: /etc/shadow\nname: x\n"),
    _reproducer("extends ../", V, "extends: ../escape/secret.yaml\nname: x\n"),
    _reproducer("name /tmp", RUN, _with("name: historical", "name: '{ESCAPE}/somewhere'")),
    _reproducer("name ../../x", RUN, _with("name: historical", "name: ../../x")),
    _reproducer("--set name=/abs", [*BASE, "--set", "name={ESCAPE}/d"]),
    _reproducer(
        "compare name",
        ["compare", "{IN}/base.yaml", "{IN}/s.yaml", "-n", "1"],
        _with("name: historical", "name: x/../../../y"),
    ),
    _reproducer("unhashable key", V, "{[1]: 2}\n"),
    _reproducer("start 2024-02-30", V, _with("start: 2024-01", "start: 2024-02-30")),
    _reproducer("event 2025-06-31", V, _with("month: 2025-06", "month: 2025-06-31")),
    _reproducer("end 2026-13-01", V, _with("end: 2026-12", "end: 2026-13-01")),
    _reproducer("--set start", ["validate", "{IN}/base.yaml", "--set", "start=2024-02-30"]),
    _reproducer("5000-deep list", V, "a: " + "[" * 5000 + "]" * 5000 + "\n"),
    _reproducer("3000-deep mapping", V, "a: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n"),
    _reproducer("--replicates 1e23", [*BASE, "--replicates", "9" * 23]),
    _reproducer("--out ''", [*BASE, "--out", ""]),
    _reproducer("--out /proc/x", [*BASE, "--out", "/proc/x"]),
    _reproducer("founder_exposure .inf", [*BASE, "--set", "market.founder_exposure=.inf"]),
    _reproducer("budget 1e999", [*BASE, "--set", "clients.Google.budget=1e999"]),
    _reproducer("current_vendors nan", RUN, _nan_share()),
    _reproducer("cash .inf", [*BASE, "--set", "vendors.0.cash=.inf"]),
    _reproducer(
        "trial share 1e-300",
        [*BASE, "--set", "market.trial_share=1e-300", "--set", "market.budget_noise=1"],
    ),
    _reproducer("compare -n 0", ["compare", "-n", "0", "{IN}/base.yaml", "{IN}/base.yaml"]),
    _reproducer("start 0000-01", V, _with("start: 2024-01", "start: '0000-01'")),
    _reproducer(
        "0001 to 9999",
        V,
        _with("end: 2026-12", "end: 9999-12", _with("start: 2024-01", "start: 0001-01")),
    ),
    _reproducer("-n 1e9", [*BASE, "--replicates", "1000000000"]),
]


def generate(n: int, seed: int) -> Iterator[Case]:
    """The reproducers, then `n` cases drawn round-robin over the families (seeded)."""
    names = sorted(FAMILIES)
    yield from REPRODUCERS
    for i in range(n):
        yield FAMILIES[names[i % len(names)]](random.Random(f"{seed}-{i}"))
