"""The ``kequn`` command. Thin: parses options, calls :mod:`kequn.service` / :mod:`kequn.results`,
prints tables or JSON. Help is in English; messages follow ``--lang`` / ``KEQUN_LANG``."""

from __future__ import annotations

import os
import re

from rich.markup import escape

from kequn import i18n
from kequn.cli import analysis, data, server  # noqa: F401 - importing registers the commands
from kequn.cli._app import app, err

__all__ = ["app", "main", "user_message"]


def user_message(exc: BaseException) -> str | None:
    """What to tell a person about an error they can act on, or None for a bug.

    Workspace, input-file, taxonomy and rule errors already carry a translated message;
    DuckDB running out of memory becomes advice about ``memory_limit``, a file DuckDB
    cannot read or write (disk full, damaged database) and a Spark that cannot start
    (no Java) are told as such, with the engine's own words as the detail. Other engine
    errors are taken for bugs: they keep their traceback.
    """
    import duckdb

    from kequn.core.rules._grammar import RuleError
    from kequn.store.readers import SourceError
    from kequn.store.workspace import WorkspaceError
    from kequn.taxonomy.model import TaxonomyError

    if isinstance(exc, duckdb.OutOfMemoryException):
        used = re.search(r"/\s*([\d.]+ ?[KMGT]i?B) used\)", str(exc))
        return i18n.t("error.memory", limit=used.group(1) if used else "?")
    if isinstance(exc, duckdb.IOException):
        return i18n.t("error.io", detail=str(exc))
    if isinstance(exc, WorkspaceError | SourceError | TaxonomyError | RuleError):
        return str(exc)
    if type(exc).__name__ == "PySparkRuntimeError" and "JAVA_GATEWAY_EXITED" in str(exc):
        return i18n.t("error.spark_start", detail=str(exc))  # (pyspark is an optional extra)
    return None


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
