"""The `labelmarket` command line: one module per sub-command in `commands/`."""

from labelmarket.cli.main import main

__all__ = ["main"]
