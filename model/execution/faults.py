"""How an engine reports losing a worker or its scheduler: one message, what to do, exit 1.

A worker killed with SIGKILL is almost always the kernel's out-of-memory killer (or an
operator's `kill -9`); the message says so, because "worker died" alone sends people
looking for a bug. The engines raise these as `FaultError`s, which the command line
prints as one message with exit code 1.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass

from labelmarket.errors import FaultError

MEMORY_HINT = (
    "SIGKILL is what the kernel's out-of-memory killer sends: free memory, or run with fewer "
    "`workers=` (each holds one chunk of runs) or fewer replicates"
)


@dataclass(frozen=True)
class Loss:
    """One worker process that died holding a task."""

    slot: int  # which of the engine's workers (1-based)
    workers: int  # how many the engine runs
    pid: int | None
    exitcode: int | None  # negative: killed by that signal (multiprocessing's convention)

    @property
    def how(self) -> str:
        """'killed by SIGKILL (likely out of memory)', or 'exited with code 3'."""
        code = self.exitcode
        if code is None or code >= 0:
            return f"exited with code {code}" if code is not None else "vanished"
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        oom = " (likely out of memory)" if -code == signal.SIGKILL else ""
        return f"killed by {name}{oom}"

    def describe(self) -> str:
        """'worker 2 of 4 (pid 1234) was killed by SIGKILL (likely out of memory)'."""
        verb = "was " if self.how.startswith("killed") else ""
        return f"worker {self.slot} of {self.workers} (pid {self.pid}) {verb}{self.how}"


class WorkerLost(FaultError):
    """A task lost with its worker twice: on the first worker and on a fresh one."""

    def __init__(self, task: int, tasks: int, first: Loss, second: Loss):
        self.task, self.tasks, self.first, self.second = task, tasks, first, second
        again = second.how if second.how != first.how else "the same way"
        message = (
            f"a local worker died running chunk {task + 1} of {tasks}: {first.describe()}; "
            f"retried once on a fresh worker (pid {second.pid}), which {_past(again)}"
        )
        if signal.SIGKILL in (-(first.exitcode or 0), -(second.exitcode or 0)):
            message += f". {MEMORY_HINT}"
        super().__init__(message)


class SchedulerLost(FaultError):
    """The Dask scheduler stopped answering while runs were out on the cluster."""


def _past(how: str) -> str:
    """'was killed by ...' / 'exited with ...' / 'died the same way'."""
    if how == "the same way":
        return "died the same way"
    return f"was {how}" if how.startswith("killed") else how
