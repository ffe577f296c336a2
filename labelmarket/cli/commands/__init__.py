"""Sub-commands, one module each, listed with their help in `labelmarket.cli.main.COMMANDS`.

A command module defines `run(args) -> int`, which calls one function of the API
(`labelmarket.api`, imported at the module's top) with keyword arguments and prints what it
returns; it imports nothing below the API. What the command accepts is in
`labelmarket.cli.options.<name>`, so --help never imports this module. Bad input raises an
`labelmarket.errors.InputError` (exit code 2, one message).
"""
