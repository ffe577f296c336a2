"""What each sub-command accepts, one module each: `add_arguments(parser) -> None`.

Kept apart from `labelmarket.cli.commands` (what a command does) so that building a
command's parser, and answering its --help, imports neither the API nor the numerical stack
behind it; a test checks it. These modules import only the standard library and
`labelmarket.cli.arguments`.
"""
