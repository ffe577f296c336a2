"""The one kind of error every layer raises for bad input: one message, exit code 2.

Scenario, sweep, run-folder, calibration and engine errors all derive from `InputError`,
so the command line reports any of them the same way, without a traceback.
"""

EXIT_BAD_INPUT = 2


class InputError(Exception):
    """Input that cannot be used (a file, a field, an option); the message says why."""


class UsageError(InputError):
    """Bad input found by a command itself (an option, an output folder)."""
