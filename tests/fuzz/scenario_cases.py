"""Generators of bad scenario files, one function per family, each drawing from a `Random`.

Every case is bad by construction (a fuzz case that happened to be valid would be a
generator bug, not a finding): a mutation of the shipped historical scenario that the
docs/limits.md's rules refuse, or a file that is not a scenario at all. The file goes through
`validate`, `run` or `compare`, chosen at random.
"""

from __future__ import annotations

import copy
import math
import random
from typing import Any

import yaml

from labelmarket.model.core.parameters import DECLARED
from labelmarket.model.core.world import TIERS
from tests.fuzz.harness import Case
from tests.support import base

SECRET = "CANARY-7f3a9c"
"""In files outside what a scenario may read, and in files that are not scenarios."""
SECRET_FILES = {
    "escape/secret.yaml": f"name: {SECRET}\n{SECRET}_key: {SECRET}_value\n",
    "escape/secret.txt": f"password: {SECRET}\n",
    "in/notes.yaml": f"{SECRET}_key: {SECRET}_value\nother: 1\n",
}
BASE = base()
VALID = yaml.safe_dump(BASE, sort_keys=False)
UNSAFE_NAMES = [
    "/tmp/somewhere", "../../x", "..", ".", "x/../../../y", "a/b", "", " ", "{ESCAPE}/abs",
    "x" * 65, ".hidden", "-dash", "name with spaces", "a\\b", "ça", "a\nb", "~", "runs/../..",
]  # fmt: skip
IMPOSSIBLE_DATES = ["2024-02-30", "2025-06-31", "2026-13-01", "2023-02-29", "2024-00-10"]


def _dump(data: Any) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True)


def _command(rng: random.Random, files: dict, family: str, **extra: Any) -> Case:
    """The case run through validate, run or compare (output under work/ or by default)."""
    command = rng.choice(["validate", "run", "run", "compare"])
    target = "{IN}/s.yaml"
    if command == "validate":
        argv = ["validate", target]
    elif command == "run":
        argv = ["run", target, "-n", "2", "--workers", "1", "--no-charts"]
        argv += rng.choice([[], ["--out", "{WORK}/out"], ["--out", "{WORK}/a/b"]])
    else:
        argv = ["compare", target, "{IN}/base.yaml", "-n", "1", "--workers", "1"]
        argv += rng.choice([[], ["--out", "{WORK}/cmp"]])
    all_files = {"in/base.yaml": VALID, **SECRET_FILES, **files}
    return Case(family, argv, all_files, secrets=(SECRET,), **extra)


def _mutated(rng: random.Random, family: str, change) -> Case:
    """A copy of the historical scenario with one change applied."""
    data = copy.deepcopy(BASE)
    change(data)
    return _command(rng, {"in/s.yaml": _dump(data)}, family)


def _numeric_fields(data: dict) -> list[tuple[Any, Any]]:
    """(container, key) of every number in the scenario: market, vendors, clients, events."""
    found = [(data["market"], k) for k in data["market"]]
    for v in data["vendors"]:
        found += [(v[k], t) for k in v if isinstance(v[k], dict) for t in v[k]]
        found += [(v, k) for k in v if isinstance(v[k], (int, float)) and k != "founded"]
    for c in data["clients"]:
        found += [(c, k) for k in c if isinstance(c[k], (int, float))]
        found += [(c["current_vendors"], k) for k in c.get("current_vendors", {})]
    for e in data["events"]:
        found += [(e, k) for k in e if isinstance(e[k], float)]
    return found


def non_finite(rng: random.Random) -> Case:
    """NaN or an infinity in any number of the file."""
    value = rng.choice([float("nan"), float("inf"), float("-inf"), "1e999", "-1e999", ".NaN"])

    def change(d: dict) -> None:
        holder, key = rng.choice(_numeric_fields(d))
        holder[key] = value

    return _mutated(rng, "non-finite number", change)


def _outside(d: Any, rng: random.Random) -> float:
    """A value just outside a declaration's range (below it or above it)."""
    options = []
    if d.ge is not None:
        options.append(d.ge - max(abs(d.ge), 1.0) * 0.5)
    if d.gt is not None:
        options.append(d.gt)
    if d.le is not None:
        options.append(d.le + max(abs(d.le), 1.0) * 0.5)
    if d.lt is not None:
        options.append(d.lt)
    value = rng.choice(options)
    if d.integer:
        return math.floor(value) if value < d.bounds[0] else math.ceil(value)
    return value


def out_of_range(rng: random.Random) -> Case:
    """A declared parameter just outside its range (every parameter has finite bounds)."""
    d = rng.choice(DECLARED)
    value = _outside(d, rng)

    def change(data: dict) -> None:
        if d.scope == "market":
            data["market"][d.name] = {t: value for t in TIERS} if d.tiered else value
        elif d.scope == "tier":
            rng.choice(data["vendors"])[d.name] = {t: value for t in TIERS}
        else:
            rng.choice(data[f"{d.scope}s"])[d.name] = value

    return _mutated(rng, "out of range", change)


EVENT_BREAKS = {
    "investment": [("stake", 0), ("stake", 1.5), ("stake", 1e-5), ("amount", -1), ("amount", 1e14)],
    "demand_shift": [("budget_factor", 0), ("budget_factor", 101), ("expert_shift", 11)],
    "pay_cut": [("fraction", 1), ("fraction", 0), ("quality_loss", 2)],
    "client_pause": [("months", 0), ("months", 601)],
    "quality_shock": [("delta", 1.5), ("recovery_months", 0), ("recovery_months", 10**6)],
    "vendor_pivot": [("expert_wage_factor", 0), ("ramp_months", 601)],
    "talent_departure": [("fraction", 0), ("recovery_months", 0)],
}
EVENT_BASE = {
    "investment": {"investor": "Meta", "vendor": "Scale AI", "stake": 0.4, "amount": 1e9},
    "demand_shift": {},
    "pay_cut": {"vendor": "Appen", "fraction": 0.2},
    "client_pause": {"client": "xAI", "months": 3},
    "quality_shock": {"vendor": "Appen", "delta": -0.1},
    "vendor_pivot": {"vendor": "Scale AI"},
    "talent_departure": {"vendor": "Mercor", "fraction": 0.1},
}


def bad_event(rng: random.Random) -> Case:
    """An event with a field outside its range, a wrong name or a month off the horizon."""
    kind = rng.choice(sorted(EVENT_BASE))
    event = {"type": kind, "month": "2025-03", **EVENT_BASE[kind]}
    how = rng.randrange(4)
    if how == 0:
        field, value = rng.choice(EVENT_BREAKS[kind])
        event[field] = value
    elif how == 1:
        event["month"] = rng.choice(["2023-12", "2027-01", "2025-13", "1899-05", 2025])
    elif how == 2:
        event["type"] = kind + "_x"
    else:
        event[next((k for k in ("vendor", "client", "investor") if k in event), "client")] = "X"
    return _mutated(rng, "bad event", lambda d: d["events"].append(event))


def unsafe_name(rng: random.Random) -> Case:
    """A scenario name that is not one safe folder name (in the file or by --set)."""
    name = rng.choice(UNSAFE_NAMES)
    case = _mutated(rng, "unsafe name", lambda d: d.update(name=name))
    if rng.random() < 0.3 and case.argv[0] != "compare":
        case.files["in/s.yaml"] = VALID
        case.argv += ["--set", f"name={name}"] if name else ["--set", "name="]
    return case


def horizon(rng: random.Random) -> Case:
    """Horizons that are too long, reversed, or in years the outputs cannot hold."""
    start, end = rng.choice(
        [("0000-01", "2026-12"), ("0001-01", "9999-12"), ("1900-01", "2200-12"),
         ("2024-01", "2074-01"), ("2024-05", "2024-04"), ("1899-12", "1900-06"),
         ("2200-01", "2201-01"), ("2024-1", "2025-01"), ("24-01", "2025-01")]
    )  # fmt: skip
    return _mutated(rng, "horizon", lambda d: d.update(start=start, end=end))


def impossible_date(rng: random.Random) -> Case:
    """Dates no calendar has, as YAML timestamps, in start, end or an event's month."""
    date = rng.choice(IMPOSSIBLE_DATES)
    where = rng.choice(["start", "end", "event"])
    text = VALID.replace("start: 2024-01", f"start: {date}") if where == "start" else VALID
    text = text.replace("end: 2026-12", f"end: {date}") if where == "end" else text
    if where == "event":
        text = text.replace("month: 2025-06", f"month: {date}", 1)
        text = text.replace("month: '2025-06'", f"month: {date}", 1)
    case = _command(rng, {"in/s.yaml": text}, "impossible date")
    if text == VALID:
        case.files["in/s.yaml"] = VALID + f"bogus: {date}\n"
    return case


def growth(rng: random.Random) -> Case:
    """Budgets that compound, by growth or demand shifts, past the finite cap."""

    def change(d: dict) -> None:
        c = rng.choice(d["clients"])
        if rng.random() < 0.5:
            c.update(budget=1e12, budget_growth=0.5)
            d["end"] = "2030-12"
        else:
            shift = {"type": "demand_shift", "month": "2025-01", "budget_factor": 100.0}
            d["events"] += [dict(shift) for _ in range(12)]

    return _mutated(rng, "growth past the cap", change)


def wrong_type(rng: random.Random) -> Case:
    """A list, mapping, text or nothing where a number, name or list belongs."""
    value = rng.choice([[1, 2], {"a": 1}, "lots", None, "", [[[]]]])

    def change(d: dict) -> None:
        target = rng.choice(["number", "vendors", "clients", "events", "market", "name"])
        if target == "number":
            holder, key = rng.choice(_numeric_fields(d))
            holder[key] = value if value is not None else {"x": None}
        elif target in ("vendors", "clients", "market"):
            d[target] = rng.choice(["x", 3, [1], None, []]) if target != "market" else [1]
        elif target == "events":
            d["events"] = {"type": "pay_cut"}
        else:
            d["name"] = rng.choice([[1], {"a": 1}, None])

    return _mutated(rng, "wrong type", change)


def references(rng: random.Random) -> Case:
    """Names that do not resolve: duplicates, unknown incumbents, shares above one."""

    def change(d: dict) -> None:
        how = rng.randrange(4)
        if how == 0:
            d["vendors"].append(copy.deepcopy(d["vendors"][0]))
        elif how == 1:
            d["clients"][0]["current_vendors"] = {"Nobody": 0.5}
        elif how == 2:
            d["clients"][0]["current_vendors"] = {"Scale AI": 0.8, "Appen": 0.8}
        else:
            d["clients"][1]["name"] = d["clients"][0]["name"]

    return _mutated(rng, "references", change)


def unknown_and_repeated_keys(rng: random.Random) -> Case:
    """Unknown keys at any level, or a key given twice."""
    if rng.random() < 0.5:
        text = VALID + rng.choice(["name: again\n", "market: {}\n", "vendors: []\n"])
        return _command(rng, {"in/s.yaml": text}, "repeated key")

    def change(d: dict) -> None:
        holder = rng.choice([d, d["market"], d["vendors"][0], d["clients"][0], d["events"][0]])
        holder[rng.choice(["qualty", "Budget", "x", "extends_", "type_"])] = 1

    return _mutated(rng, "unknown key", change)


FAMILIES = {
    "non-finite": non_finite, "out-of-range": out_of_range, "bad-event": bad_event,
    "unsafe-name": unsafe_name, "horizon": horizon, "impossible-date": impossible_date,
    "growth": growth, "wrong-type": wrong_type, "references": references,
    "unknown-keys": unknown_and_repeated_keys,
}  # fmt: skip
