"""Errors the command line reports with exit code 2 (bad input), raised by the library."""


class UsageError(Exception):
    """A bad option, path or results directory, reported with a message and exit code 2."""


class ScenarioError(Exception):
    """Bad input, with a message fit for the user: where, which field, what was expected."""
