"""Generators of bad files below the schema: YAML that breaks parsers, and `extends:` abuse.

Families: malformed text and bytes, keys that are lists or mappings, deep nesting, alias
bombs, huge files (refused by size) and files with thousands of unknown keys (whose
message must stay short), and `extends:` pointing at secrets, outside the allowed folders,
at non-scenario files, at devices, in circles or down chains too long to follow.
"""

from __future__ import annotations

import random

from tests.fuzz.harness import Case
from tests.fuzz.scenario_cases import SECRET, VALID, _command

MAX_SHOWN = 20


def malformed(rng: random.Random) -> Case:
    """Text that is not YAML, not UTF-8, or not a mapping: any of them is refused."""
    noise = "{}[]:-?&*!|>'\"%@`,#\t\n ab"
    options = [
        lambda: "".join(rng.choice(noise) for _ in range(rng.randrange(1, 200))),
        lambda: bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300))),
        lambda: VALID.replace("\n  observation_noise", "\n\tobservation_noise", 1),
        lambda: VALID[: rng.randrange(10, len(VALID))] + "\n  - : [\n",
        lambda: "name: a\x00b\n",
        lambda: b"name: caf\xe9\n",
        lambda: "- just\n- a list\n",
        lambda: "a plain scalar",
        lambda: "",
        lambda: "name: !!python/object/apply:os.system ['touch {WORK}/pwned']\n",
        lambda: "x: *undefined\n",
        lambda: "%YAML 1.1\n---\na: 1\n---\nb: 2\n",
    ]
    return _command(rng, {"in/s.yaml": rng.choice(options)()}, "malformed YAML")


def unhashable_key(rng: random.Random) -> Case:
    """Mapping keys that are lists or mappings, at the top or inside a block."""
    text = rng.choice([
        "{[1]: 2}\n", "{{a: 1}: 2}\n", VALID + "[1]: 1\n", VALID + "? [a, b]\n: 1\n",
        VALID + "? {x: y}\n: 1\n", "vendors:\n  - {[x]: 1}\n", "market: {[[]]: 1}\n",
    ])  # fmt: skip
    return _command(rng, {"in/s.yaml": text}, "unhashable key")


def deep(rng: random.Random) -> Case:
    """Nesting far beyond what a scenario needs: flow or block, lists or mappings."""
    depth = rng.choice([33, 100, 999, 1001, 3000, 5000, 20000])
    style = rng.choice(["flow-list", "flow-map", "block-map", "block-list"])
    if style == "flow-list":
        body = "[" * depth + "]" * depth
    elif style == "flow-map":
        body = "{a: " * depth + "1" + "}" * depth
    elif style == "block-map":
        body = "".join("\n" + " " * (i + 2) + "a:" for i in range(min(depth, 1200))) + " 1"
    else:
        body = "".join("\n" + " " * (i + 2) + "-" for i in range(min(depth, 1200))) + " 1"
    text = f"name: deep\ndescription: {body}\n" if style.startswith("flow") else f"name:{body}\n"
    return _command(rng, {"in/s.yaml": text}, "deep nesting")


def alias_bomb(rng: random.Random) -> Case:
    """Aliases that expand exponentially, or a value that contains itself."""
    if rng.random() < 0.3:
        text = rng.choice(["a: &x [*x]\n", "a: &x {b: *x}\nname: x\n"])
        return _command(rng, {"in/s.yaml": text}, "alias bomb")
    width, levels = rng.choice([(10, 7), (9, 8), (100, 4), (2, 40)])
    lines = ["l0: &l0 [x]"]
    for i in range(1, levels + 1):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]")
    lines.append(f"vendors: *l{levels}")
    return _command(rng, {"in/s.yaml": "\n".join(lines) + "\n"}, "alias bomb")


def huge(rng: random.Random) -> Case:
    """Over a megabyte (refused by size), or many unknown keys (a short message)."""
    if rng.random() < 0.4:
        size = rng.choice([1_000_001, 3_000_000])
        text = VALID + "description: " + "x" * size + "\n"
        return _command(rng, {"in/s.yaml": text}, "huge file")
    keys = rng.choice([500, 5_000, 5_000, 20_000, 60_000])
    text = VALID + "".join(f"k{i}: {i}\n" for i in range(keys))
    return _command(rng, {"in/s.yaml": text}, "many unknown keys", max_lines=MAX_SHOWN + 3)


def _chain(n: int) -> dict[str, str]:
    """n files, each extending the next; the last extends the valid scenario."""
    files = {f"in/c{i}.yaml": f"extends: c{i + 1}.yaml\n" for i in range(n)}
    files[f"in/c{n}.yaml"] = "extends: base.yaml\n"
    files["in/s.yaml"] = "extends: c0.yaml\nname: chained\n"
    return files


def bad_extends(rng: random.Random) -> Case:
    """`extends:` at secrets, outside the allowed folders, at non-files, in circles."""
    links: dict[str, str] = {}
    target = rng.choice([
        "/etc/shadow", "/etc/passwd", "{ESCAPE}/secret.yaml", "../escape/secret.yaml",
        "../../../../../../etc/passwd", "../escape/secret.txt", "notes.yaml", "linked.yaml",
        "device.yaml", "~/x.yaml", "", "base", "s.yaml", "missing.yaml", "sub", "a\0b.yaml",
        "/dev/zero", "chain", "loop", "merge", "merge",
    ])  # fmt: skip
    files = {}
    if target == "linked.yaml":
        links["in/linked.yaml"] = "{ESCAPE}/secret.yaml"
    elif target == "device.yaml":
        links["in/device.yaml"] = "/dev/zero"
    elif target == "sub":
        files["in/sub/x.txt"] = "x"
    elif target == "chain":
        return _command(rng, _chain(rng.choice([16, 20, 200])), "extends chain")
    elif target == "loop":
        files["in/a.yaml"] = "extends: s.yaml\n"
        target = "a.yaml"
    elif target == "merge":  # a valid parent, a child whose named lists are not
        name = rng.choice(["[1]", "{a: 1}", "null", "3"])
        block = rng.choice(["vendors", "clients"])
        files["in/s.yaml"] = f"extends: base.yaml\n{block}:\n  - name: {name}\n    x: 1\n"
        return _command(rng, files, "bad extends")
    value = (
        rng.choice([target, [target], {"path": target}, 3, None]) if rng.random() < 0.2 else target
    )
    text = f"extends: {value!r}\nname: x\n" if isinstance(value, str) else f"extends: {value}\n"
    if isinstance(value, str) and "\0" in value:
        text = 'extends: "a\\0b.yaml"\nname: x\n'
    files["in/s.yaml"] = text
    case = _command(rng, files, "bad extends")
    case.links.update(links)
    return case


def non_scenario(rng: random.Random) -> Case:
    """A file that is not a scenario, named on the command line: never echoed."""
    text = rng.choice([
        f"{SECRET}: 1\n", f"{SECRET}_a: 1\n{SECRET}_b: 2\n", f"- {SECRET}\n", f"{SECRET}\n",
        f"password: {SECRET}\nuser: root\n",
    ])  # fmt: skip
    return _command(rng, {"in/s.yaml": text}, "not a scenario")


FAMILIES = {
    "malformed": malformed, "unhashable-key": unhashable_key, "deep": deep,
    "alias-bomb": alias_bomb, "huge": huge, "extends": bad_extends,
    "not-a-scenario": non_scenario,
}  # fmt: skip
