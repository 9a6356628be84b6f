"""Readers for every input format the eval suites accept (each raises LoaderError with a clear message)."""


class LoaderError(ValueError):
    """An input file that cannot be evaluated; the message names the file and what to change."""
