"""Every code block of the README and of docs/ runs as written, page by page.

A page's blocks run in order in a folder of their own: ```yaml file=NAME blocks are written
there, ```python blocks run in one namespace, and each `labelmarket ...` line of a ```bash
block runs through the command line in this process (`# exits 2` after a line: the code
it must end with). A block that cannot run here says why in its fence (```bash norun=...):
installs, servers, benchmarks and full calibrations, which CI's wheel job and the
benchmarks run instead. To keep the suite fast, commands run small: at most 2 replicates
and 1 worker, no charts, a calibration's budget at its least (`SMALL`); Python blocks are
written small in the pages themselves.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from labelmarket.cli import main
from tests.support import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"^```(\w*)([^\n]*)\n(.*?)^```", re.M | re.S)
RUNS = {"bash", "python", "yaml"}
SMALL = {  # command -> options added or replaced when a docs command runs here
    "run": {"-n": "2", "-w": "1", "--no-charts": None},
    "compare": {"-n": "2", "-w": "1", "--no-charts": None},
    "sweep": {"-w": "1", "--no-charts": None},
    "calibrate": {"--budget": "300", "--quick": None, "-w": "1", "--no-charts": None},
}
SAME = {"--replicates": "-n", "--workers": "-w"}


def blocks(page: Path) -> list[tuple[str, str, str]]:
    """(language, fence options, body) of each fenced block of a page."""
    return [(m[0], m[1].strip(), m[2]) for m in FENCE.findall(page.read_text(encoding="utf-8"))]


def commands(body: str) -> list[tuple[list[str], int]]:
    """The `labelmarket` command lines of a shell block: (arguments, expected exit code)."""
    found = []
    for line in body.replace("\\\n", " ").splitlines():
        code = int(m[1]) if (m := re.search(r"#\s*exits (\d+)", line)) else 0
        words = shlex.split(line, comments=True)
        if words:
            assert words[0] == "labelmarket", f"not a labelmarket command: {line!r} (norun=?)"
            found.append((words[1:], code))
    return found


def small(args: list[str]) -> list[str]:
    """The command at the size the suite runs it (see SMALL)."""
    args = [SAME.get(a, a) for a in args]
    name = next((a for a in args if not a.startswith("-")), "")
    for option, value in SMALL.get(name, {}).items():
        if option in args:
            i = args.index(option)
            del args[i : i + (1 if value is None else 2)]
        args += [option] if value is None else [option, value]
    return args


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_every_block_of_the_page_runs(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "__main__"}  # as a script the reader runs
    for language, options, body in blocks(page):
        if "norun=" in options:
            assert re.search(r'norun="[^"]{10,}"', options), f"{page.name}: say why it cannot run"
            continue
        if language == "yaml" and options.startswith("file="):
            Path(options.removeprefix("file=")).write_text(body, encoding="utf-8")
        elif language == "python":
            exec(compile(body, f"{page.name} (python block)", "exec"), namespace)
        elif language == "bash":
            for args, expected in commands(body):
                assert main(small(args)) == expected, f"{page.name}: labelmarket {shlex.join(args)}"


def test_the_fences_say_what_runs() -> None:
    """Every block is runnable, output (text, json, csv ...), or says why it does not run."""
    for page in PAGES:
        for language, options, _ in blocks(page):
            if language in RUNS and options and not options.startswith(("norun=", "file=")):
                pytest.fail(f"{page.name}: ```{language} {options}: unknown fence option")
