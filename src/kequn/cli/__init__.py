"""The ``kequn`` command. Thin: parses options, calls :mod:`kequn.service` / :mod:`kequn.results`,
prints tables or JSON. Help is in English; messages follow ``--lang`` / ``KEQUN_LANG``."""

from kequn.cli import analysis, data, server  # noqa: F401 - importing registers the commands
from kequn.cli._app import app

__all__ = ["app", "main"]


def main() -> None:
    app()
