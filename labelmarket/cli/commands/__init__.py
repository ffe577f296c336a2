"""Sub-commands, one module each, found automatically by `labelmarket.cli.main`.

A command module keeps its top-level imports light (argparse, pathlib) and defines
`add_parser(subparsers) -> None`, which must `set_defaults(handler=run)`, and
`run(args) -> int`, which parses nothing more and calls one function of the layers below.
Bad input raises an `labelmarket.errors.InputError` (exit code 2, one message).
"""
