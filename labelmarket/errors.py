"""Errors every command reports the same way: one message, exit code 2."""

EXIT_BAD_INPUT = 2


class UsageError(Exception):
    """Bad input found by a command: print the message, exit with code 2."""
