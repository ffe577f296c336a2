"""The two kinds of error every layer raises: bad input (exit code 2) and faults (exit code 1).

Scenario, sweep, run-folder, calibration and engine errors all derive from `InputError`,
so the command line reports any of them the same way, without a traceback. A fault is
what goes wrong while working on good input (a worker killed by the out-of-memory killer,
a scheduler gone, a disk that fills up): `FaultError`, one message saying what happened,
what was kept and what to do, exit code 1. Operating-system errors that a user can act
on (no space, permission, read-only, a name too long) are described by `os_error_message`.
"""

import errno
import json
import os
from importlib import metadata

EXIT_FAULT = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for Ctrl-C
EXIT_TERMINATED = 143  # 128 + SIGTERM

ADVICE = {  # errno -> (what happened, what to do)
    errno.ENOSPC: ("no space left on its disk", "free some space or choose another `out=`"),
    errno.EDQUOT: ("disk quota exceeded", "free some space or choose another `out=`"),
    errno.EFBIG: ("file too large for its file system", "choose another `out=`"),
    errno.EACCES: ("permission denied", "make it writable (chmod/chown) or choose another `out=`"),
    errno.EPERM: ("operation not permitted", "make it writable or choose another `out=`"),
    errno.EROFS: ("the file system is read-only", "choose another `out=`"),
    errno.ENAMETOOLONG: ("a name in the path is too long", "choose a shorter `out=`"),
}


class InputError(Exception):
    """Input that cannot be used (a file, a field, an option); the message says why."""

    heading = ""  # what the message is about, when its lines need one ("error in scenario")


class UsageError(InputError):
    """Bad input found by a command itself (an option, an output folder)."""


class FaultError(Exception):
    """A fault while working (a lost worker or scheduler, a full disk): one message, exit 1."""

    def __init__(self, message: str, place: object | None = None) -> None:
        super().__init__(message)
        self.place = place  # the output whose work is kept, when there is one


class Interrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM) while working; the message says what was kept and how to go on."""


class OutputError(FaultError):
    """An output that could not be written; the message names it and says what to do."""


def is_actionable(exc: BaseException) -> bool:
    """An operating-system error a user can fix (space, permission, read-only, name length)."""
    return isinstance(exc, OSError) and exc.errno in ADVICE


def os_error_message(exc: OSError, place: object | None = None) -> str:
    """'PLACE: no space left on its disk (...); free some space or choose another --out'.

    `place` is the output the user named (a folder or file); the file the system call
    was on, when known and different, is added. Without a place the error may be about
    an input, so the advice is only to check that path.
    """
    what, todo = ADVICE.get(exc.errno or 0, (exc.strerror or type(exc).__name__, ""))
    if place is None:
        todo = "check that path (its permissions, its disk) and try again"
    where = str(place) if place is not None else str(exc.filename or "a file")
    detail = ""
    if exc.filename is not None and os.fspath(exc.filename) != where:
        detail = f" (at {exc.filename})"
    return f"{where}: {what}{detail}; {todo}"


def install_hint(extra: str) -> str:
    """The pip command that adds an optional extra, as this copy was installed: editable
    from a checkout (`pip install -e '.[viz]'`), or from a wheel or an index."""
    try:
        found = metadata.distribution("labelmarket").read_text("direct_url.json") or "{}"
        editable = json.loads(found).get("dir_info", {}).get("editable", False)
    except (metadata.PackageNotFoundError, ValueError):
        editable = True  # not installed at all: a checkout on the path
    return f"pip install -e '.[{extra}]'" if editable else f"pip install 'labelmarket[{extra}]'"
