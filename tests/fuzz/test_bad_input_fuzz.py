"""Fuzz: generated bad scenario files, sweep files and command lines keep the contract.

A seeded sample of `tests.fuzz.cases` (every family, plus the reproducers of issue 10):
each case exits with code 2 and one message, no traceback, writes nothing anywhere, echoes
no secret, within the time and memory bounds. `benchmarks/fuzz_bad_input.py` runs the same
generator on thousands of cases.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fuzz.cases import REPRODUCERS, generate
from tests.fuzz.harness import MEMORY_LIMIT, run_case
from tests.support import run_cli

SAMPLE = list(generate(90, seed=2025))


@pytest.mark.parametrize(
    "case", SAMPLE, ids=[f"{i}-{c.family.replace(' ', '_')}" for i, c in enumerate(SAMPLE)]
)
def test_bad_input_keeps_the_contract(case, tmp_path: Path) -> None:
    verdict = run_case(case, tmp_path / "case")
    assert verdict.clean, f"{case.argv}: {verdict.broken}\n{verdict.stderr[:2000]}"
    assert verdict.memory < MEMORY_LIMIT


@pytest.mark.parametrize("name", ["issue: extends /etc/shadow", "issue: 5000-deep list"])
def test_the_real_command_agrees_with_the_harness(name: str, tmp_path: Path) -> None:
    """The same case through `python -m labelmarket` in a fresh interpreter: exit code 2."""
    case = next(c for c in REPRODUCERS if c.family == name)
    sandbox = tmp_path / "case"
    for place in ("in", "work", "escape"):
        (sandbox / place).mkdir(parents=True)
    for file, content in case.files.items():
        (sandbox / file).write_text(content if isinstance(content, str) else content.decode())
    argv = [a.replace("{IN}", str(sandbox / "in")) for a in case.argv]
    proc = run_cli(argv, cwd=sandbox / "work")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert "CANARY" not in proc.stderr + proc.stdout
    assert list((sandbox / "work").iterdir()) == []
