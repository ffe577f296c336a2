"""Getting local workers ready while a command is still loading (kept light to import).

A command that runs its replicates on local workers calls `head_start` before importing
the rest of the API: the workers' fork server then imports the model and loads its
compiled rules (about a second) on another core while this process imports pandas,
pyarrow and matplotlib and reads the scenario, instead of after.
"""

from __future__ import annotations

from labelmarket.model.execution.fork_server import head_start as _start_server


def head_start(workers: int | None, scheduler: str | None, runs: int = 2) -> None:
    """Start the local workers' fork server now when the command's `runs` will use one."""
    if scheduler is None:
        _start_server(workers, runs)
