"""The error every command raises for a failure the user can act on; the CLI prints it as one line."""


class CommandError(Exception):
    """A command failed in a way the user can act on; the message says how."""
