"""The ``kequn`` command. Thin: parses options, calls :mod:`kequn.service` / :mod:`kequn.results`,
prints tables or JSON. Help is in English; messages follow ``--lang`` / ``KEQUN_LANG``."""

from __future__ import annotations

import os

from rich.markup import escape

from kequn import i18n
from kequn.cli import analysis, data, server  # noqa: F401 - importing registers the commands
from kequn.cli._app import app, err
from kequn.errors import user_message

__all__ = ["app", "main", "user_message"]


def main() -> None:
    """Run the command; errors a user can act on print one clear message (exit 1), not a
    traceback, unless ``KEQUN_DEBUG`` is set."""
    try:
        app()
    except Exception as exc:
        message = user_message(exc)
        if message is None or os.environ.get("KEQUN_DEBUG"):
            raise
        err.print(f"[red]{escape(message)}[/red]", soft_wrap=True)
        err.print(i18n.t("error.debug"), style="dim", soft_wrap=True)
        raise SystemExit(1) from None
