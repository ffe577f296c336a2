"""`labelmarket COMMAND --help` answers without loading the API's numerical stack (numba,
numpy, pandas, pyarrow, matplotlib, pydantic): help must come at once, whatever the command."""

from __future__ import annotations

import subprocess
import sys

import pytest

from labelmarket.cli.main import COMMANDS
from labelmarket.cli.options.run import RECORD_MODES
from labelmarket.model.core.record import RECORDS

PROBE = """
import contextlib, io, sys
from labelmarket.cli.main import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    main([*sys.argv[1:], "--help"])
heavy = {"numba", "numpy", "pandas", "pyarrow", "matplotlib", "pydantic"}
print(" ".join(sorted(m for m in sys.modules if m.split(".")[0] in heavy)))
"""


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_commands_help_loads_no_api(command: str) -> None:
    """The command's options are built from the CLI's own modules only."""
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, command], capture_output=True, text=True, check=True
    )
    assert proc.stdout.split() == [], f"{command} --help loaded {proc.stdout.split()[:5]}"


def test_the_record_modes_the_cli_offers_are_the_engines() -> None:
    """`--record`'s choices, written in the CLI, are the engine's record modes."""
    assert RECORD_MODES == RECORDS
