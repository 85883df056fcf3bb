"""Errors the CLI turns into one clear line and an exit code, never a traceback."""


class UsageError(Exception):
    """The user's input or configuration is wrong: exit code 2."""


class FatalError(Exception):
    """The run cannot go on (e.g. an output it must write is unreachable): exit code 1."""
