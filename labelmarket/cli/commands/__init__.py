"""Sub-commands, one module each, found automatically by `labelmarket.cli`.

A command module keeps its top-level imports light (argparse, pathlib) and defines
`add_parser(subparsers) -> None`, which must `set_defaults(handler=run)`, and
`run(args) -> int`, which imports what it needs. Bad input raises
`labelmarket.errors.UsageError` (exit code 2, one message, no traceback).
"""
