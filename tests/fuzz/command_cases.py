"""Generators of bad sweep files and bad command lines, one function per family.

Sweep files are mutations of a tiny valid Morris sweep over the shipped scenario; command
lines are valid commands with one bad option, output place, `--set` or argument. Every
case is bad by construction.
"""

from __future__ import annotations

import random
from typing import Any

import yaml

from tests.fuzz.harness import Case
from tests.fuzz.scenario_cases import IMPOSSIBLE_DATES as DATES
from tests.fuzz.scenario_cases import SECRET, SECRET_FILES, UNSAFE_NAMES, VALID

SWEEP = {
    "name": "tiny",
    "scenario": "base.yaml",
    "design": "morris",
    "points": 2,
    "parameters": [
        {"path": "clients.*.conflict_sensitivity", "range": [0, 8]},
        {"path": "market.founder_exposure", "range": [0, 0.5]},
    ],
    "replicates": 1,
    "seed": 5,
    "outcomes": [{"metric": "revenue", "vendor": "Scale AI", "year": 2026}],
}
FILES = {"in/base.yaml": VALID, **SECRET_FILES}
BAD_COUNTS = ["0", "-1", "1e999", "nan", "inf", "-inf", "abc", "", "99999999999999999999999",
              "1e30", "1.5", "0x10", "9" * 50, "1e6.5", "--"]  # fmt: skip
BAD_SEEDS = ["-1", "1e999", "nan", "abc", "", "9" * 30, "2e19", "1.5", "-0.5"]


def _sweep_case(rng: random.Random, data: Any, family: str, text: str | None = None) -> Case:
    """A sweep file run by `labelmarket sweep`, into work/ or the default folder."""
    argv = ["sweep", "{IN}/sw.yaml", "--workers", "1", "--no-charts"]
    argv += rng.choice([[], ["--out", "{WORK}/sw"], ["--out", "{WORK}/sw", "--resume"]])
    body = text if text is not None else yaml.safe_dump(data, sort_keys=False)
    return Case(family, argv, {**FILES, "in/sw.yaml": body}, secrets=(SECRET,))


SWEEP_BREAKS: list[tuple[str, Any]] = [
    ("seed", -1), ("seed", 2**63), ("seed", 10**30), ("seed", "x"), ("seed", 1.5),
    ("seed", float("nan")), ("replicates", 0), ("replicates", 100_001), ("max_runs", 0),
    ("max_runs", 10**8), ("max_runs", float("inf")), ("points", 0), ("points", 10**9),
    ("points", 10**30), ("points", -5), ("design", "grid"), ("design", "nope"),
    ("morris_levels", 3), ("outcomes", []), ("parameters", []), ("scenario", "missing.yaml"),
    ("scenario", "../escape/secret.yaml"), ("scenario", "{ESCAPE}/secret.yaml"),
    ("scenario", "notes.yaml"), ("scenario", "/etc/passwd"), ("scenario", ""),
    ("baseline", "../escape/secret.yaml"), ("baseline", "sw.yaml"), ("overrides", ["nope"]),
    ("overrides", ["market.budget_noise=.nan"]), ("overrides", ["name=.."]),
    ("overrides", ["start=2024-02-30"]), ("description", {"a": 1}), ("extends", "base.yaml"),
]  # fmt: skip
PARAMETER_BREAKS: list[dict[str, Any]] = [
    {"range": [float("nan"), 1]}, {"range": [0, float("inf")]}, {"range": [5, 1]},
    {"range": [0, 1e9]}, {"range": [0, 8], "scale": "log"}, {"values": [float("nan")]},
    {"path": "market.spill_rounds"}, {"path": "clients.Nobody.price_sensitivity"}, {"path": "x"},
    {"path": "clients.*.conflict_sensitivity"}, {"levels": 3}, {"range": [0]},
    {"range": "0-8"}, {"values": [1, 2], "range": None}, {"extra": 1},
]  # fmt: skip


def bad_sweep(rng: random.Random) -> Case:
    """A sweep file with one field broken: seeds, budgets, designs, paths, scenarios."""
    data: dict[str, Any] = {**SWEEP, "parameters": [dict(p) for p in SWEEP["parameters"]]}
    how = rng.random()
    if how < 0.5:
        key, value = rng.choice(SWEEP_BREAKS)
        data[key] = value
    elif how < 0.8:
        change = rng.choice(PARAMETER_BREAKS)
        data["parameters"][1].update(change)
    elif how < 0.9:
        data["outcomes"] = [rng.choice([{"metric": "happiness"}, {"metric": "revenue",
                            "vendor": "Nobody"}, {"metric": "hhi", "year": 1800}])]  # fmt: skip
    else:
        data["name"] = rng.choice(UNSAFE_NAMES)
    return _sweep_case(rng, data, "bad sweep")


def sweep_text(rng: random.Random) -> Case:
    """Sweep files broken below the schema: dates, YAML, not a sweep at all."""
    text = rng.choice([
        yaml.safe_dump(SWEEP, sort_keys=False).replace("seed: 5", f"seed: {rng.choice(DATES)}"),
        "{[1]: 2}\n", "name: [" * 50, f"{SECRET}: 1\n", "- a\n", "", "a: &x [*x]\n",
        yaml.safe_dump(SWEEP, sort_keys=False) + "name: twice\n",
    ])  # fmt: skip
    return _sweep_case(rng, None, "bad sweep text", text)


def _command(rng: random.Random) -> list[str]:
    """A valid command line over the valid files (to be broken by one option)."""
    return rng.choice([
        ["run", "{IN}/base.yaml", "-n", "1", "--workers", "1", "--no-charts"],
        ["compare", "{IN}/base.yaml", "{IN}/base.yaml", "-n", "1", "--workers", "1"],
        ["sweep", "{IN}/sw.yaml", "--workers", "1", "--no-charts"],
    ])  # fmt: skip


def bad_count(rng: random.Random) -> Case:
    """A count or seed option given something that is not an allowed whole number."""
    argv = _command(rng)
    option = {
        "run": ["--replicates", "-n", "--seed", "-s", "--workers", "-w"],
        "compare": ["-n", "--seed", "--workers"],
        "sweep": ["--workers", "--limit", "--chunk-size"],
    }[argv[0]]
    name = rng.choice(option)
    values = BAD_SEEDS if name in ("--seed", "-s") else BAD_COUNTS
    if rng.random() < 0.1 and argv[0] != "sweep":
        argv, name, values = ["calibrate", "--quick"], "--budget", [*BAD_COUNTS, "99"]
    argv = [*argv, f"{name}={rng.choice(values)}"]
    return Case("bad count", argv, {**FILES, "in/sw.yaml": yaml.safe_dump(SWEEP)})


BAD_OUTS = [
    "", ".", "..", "/proc/x", "/proc/self/x", "{IN}/base.yaml", "{IN}/base.yaml/x",
    "{WORK}/" + "x" * 300, "{IN}", "{ESCAPE}", "/dev/null", "/dev/null/x", "/",
]  # fmt: skip


def bad_out(rng: random.Random) -> Case:
    """An output place that is not a writable folder name, or holds someone else's files."""
    argv = _command(rng) if rng.random() < 0.9 else ["calibrate", "--quick", "--no-charts"]
    out = rng.choice(BAD_OUTS)
    argv = [*argv, f"--out={out}"]
    if out in ("{IN}", "{ESCAPE}", "/") or rng.random() < 0.3:
        argv.append(rng.choice(["--force", "--resume"]) if argv[0] in ("sweep",) else "--force")
    if argv[0] == "calibrate" and rng.random() < 0.5:  # a file place that is not writable
        place = rng.choice(["", ".", "{IN}", "/proc/x.yaml", "/dev/null/x.yaml", "x" * 300])
        argv = ["calibrate", "--quick", "--out={WORK}/cal", f"--scenario-out={place}"]
    return Case("bad output place", argv, {**FILES, "in/sw.yaml": yaml.safe_dump(SWEEP)})


BAD_SETS = [
    "noequals", "=1", ".=1", "market..x=1", "a." * 40 + "b=1", "vendors.Nobody.price.expert=1",
    "vendors.99.cash=1", "market.observation_noise=" + "[" * 60 + "]" * 60, "start=2024-02-30",
    "market.budget_noise=.nan", "clients.Google.budget=1e999", "name=../x", "vendors=5",
    "market=3", "events.0.month=2099-01", "market.spill_rounds=1.5", "vendors.0.cash=.inf",
    "end=2100-01", "market.budget_noise={a: 1}", "clients.Google=3",
]  # fmt: skip


def bad_set(rng: random.Random) -> Case:
    """A `--set` that cannot be applied or gives a value the schema refuses."""
    command = rng.choice(
        [
            ["validate", "{IN}/base.yaml"],
            ["run", "{IN}/base.yaml", "-n", "1", "--workers", "1", "--no-charts"],
        ]
    )
    return Case("bad --set", [*command, "--set", rng.choice(BAD_SETS)], dict(FILES))


MISC = [
    ["bogus"], ["run"], ["run", "{IN}/base.yaml", "--bogus"], ["compare", "{IN}/base.yaml"],
    ["compare", "{IN}/nope", "{IN}/base.yaml"], ["compare", "{IN}", "{IN}/base.yaml"],
    ["plot", "{IN}"], ["report", "{IN}"], ["validate"], ["validate", "{IN}"],
    ["validate", "/dev/zero"], ["validate", "/dev/null"], ["validate", "/proc/self/mem"],
    ["validate", "{IN}/" + "x" * 300 + ".yaml"], ["sweep", "{IN}/base.yaml"],
    ["sweep", "{IN}/notes.yaml"], ["validate", "{IN}/notes.yaml"], ["run", "{ESCAPE}"],
    ["dashboard", "{IN}/nope.yaml"], ["dashboard", "{IN}/base.yaml", "--port", "70000"],
    ["calibrate", "--quick", "--holdout", "../x"], ["calibrate", "--quick", "--seeds", "{IN}"],
    ["run", "{IN}/base.yaml", "--set=--"], ["run", "{IN}/base.yaml", "--out=--"],
    ["sweep", "{IN}/sw.yaml", "--limit=--"], ["compare", "-n=--", "{IN}/base.yaml", "{IN}"],
]  # fmt: skip


def misc(rng: random.Random) -> Case:
    """Unknown commands and options, missing or wrong arguments, devices, secrets."""
    return Case("bad arguments", list(rng.choice(MISC)), dict(FILES), secrets=(SECRET,))


FAMILIES = {
    "sweep": bad_sweep, "sweep-text": sweep_text, "count": bad_count, "out": bad_out,
    "set": bad_set, "misc": misc,
}  # fmt: skip
