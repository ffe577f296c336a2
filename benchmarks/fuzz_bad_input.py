"""Large fuzz run of bad input: thousands of generated cases, and the share that is clean.

    python benchmarks/fuzz_bad_input.py --cases 5000 --seed 1

Draws cases across every family of `tests/fuzz` (bad scenario files, YAML and `extends:`
abuse, bad sweep files, bad command lines) plus the reproducers of issue 10, runs each one
as the command line would (a forked child per case, in its own sandbox) and checks the
contract: exit code 2, no traceback, a message, nothing written, no secret echoed, within
the time and memory bounds. Prints the clean rate, the slowest and largest cases, and every
case that broke the contract. The suite runs a small sample of the same generator
(`tests/fuzz/test_bad_input_fuzz.py`).
"""

from __future__ import annotations

import argparse
import collections
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fuzz.cases import generate  # noqa: E402
from tests.fuzz.harness import run_case  # noqa: E402


def main() -> int:
    """Run the cases, print the figures; exit code 1 if any case broke the contract."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5000, help="generated cases (default 5000)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="labelmarket-fuzz-"))
    started = time.perf_counter()
    verdicts = []
    try:
        for i, case in enumerate(generate(args.cases, args.seed)):
            verdicts.append(run_case(case, root / f"case-{i}"))
            shutil.rmtree(root / f"case-{i}", ignore_errors=True)
            if (i + 1) % 500 == 0:
                print(f"  {i + 1:,} cases, {time.perf_counter() - started:.0f} s", flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return _report(verdicts, time.perf_counter() - started)


def _report(verdicts: list, seconds: float) -> int:
    """Print the clean rate by family and every broken case."""
    families = collections.Counter(v.case.family for v in verdicts)
    clean = sum(v.clean for v in verdicts)
    print(f"{len(verdicts):,} cases in {seconds:.0f} s across {len(families)} families: "
          f"{clean:,} clean ({100 * clean / len(verdicts):.2f}%)")  # fmt: skip
    slow = max(verdicts, key=lambda v: v.seconds)
    big = max(verdicts, key=lambda v: v.memory)
    print(f"slowest case {slow.seconds:.2f} s ({slow.case.family}); largest "
          f"{big.memory / 2**20:.0f} MB peak resident ({big.case.family})")  # fmt: skip
    for family, n in sorted(families.items()):
        bad = sum(not v.clean for v in verdicts if v.case.family == family)
        print(f"  {family:<28} {n:>6,} cases  {bad:>4} broken")
    for v in verdicts:
        if not v.clean:
            print(f"BROKEN [{v.case.family}] {v.case.argv[:6]}: {'; '.join(v.broken)}")
            print("   " + v.stderr.strip().replace("\n", "\n   ")[:600])
    return 0 if clean == len(verdicts) else 1


if __name__ == "__main__":
    raise SystemExit(main())
