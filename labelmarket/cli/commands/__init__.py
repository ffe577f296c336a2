"""Sub-commands, one module each, listed with their help in `labelmarket.cli.main.COMMANDS`.

A command module defines `add_arguments(parser) -> None` and `run(args) -> int`, which
calls one function of the API (`labelmarket.api`) with keyword arguments and prints what it
returns; it imports nothing below the API. Only the module of the command being run is
imported. Bad input raises an `labelmarket.errors.InputError` (exit code 2, one message).
"""
