"""What to tell a person about an error: shared by the CLI and the server's jobs."""

from __future__ import annotations

import errno
import re

from kequn.core import i18n
from kequn.core.os_errors import REASONS as _OS_REASONS

#: refusals of a write: a copy's error names the file it read first and the one it wrote
#: second (``filename2``), which is the one to tell
_WRITES = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def user_message(exc: BaseException, lang: str | None = None) -> str | None:  # noqa: PLR0911 - one return per kind of error
    """What to tell a person about an error they can act on, or None for a bug.

    Workspace, input-file, taxonomy, journeys.yaml and rule errors already carry a
    translated message;
    a value out of range or that cannot be cast (a rule's arithmetic on the data) is told
    as such;
    DuckDB running out of memory becomes advice about ``memory_limit``, a file DuckDB
    cannot read or write (disk full, damaged database or Parquet file: a run's labels, a
    run's segment events) and a Spark that cannot start (no Java) are told as such, with
    the engine's own words as the detail. A path the operating system refuses (a folder
    given for a file, a missing folder, no permission, a full disk) names the path and
    why. Other engine errors are taken for bugs: they keep their traceback.
    """
    import duckdb

    from kequn.automation.channel_models import JourneysError
    from kequn.core.rules._grammar import RuleError
    from kequn.ingest.formats import ProfileError
    from kequn.ingest.mapping import MappingError
    from kequn.ingest.readers import SourceError
    from kequn.models import TransactionsError
    from kequn.store.workspace import WorkspaceError
    from kequn.taxonomy.model import TaxonomyError

    if isinstance(exc, duckdb.OutOfMemoryException):
        used = re.search(r"/\s*([\d.]+ ?[KMGT]i?B) used\)", str(exc))
        return i18n.t("error.memory", lang, limit=used.group(1) if used else "?")
    if isinstance(exc, duckdb.IOException) or (
        isinstance(exc, duckdb.InvalidInputException) and _DAMAGED_PARQUET.search(str(exc))
    ):
        return i18n.t("error.io", lang, detail=str(exc))
    if isinstance(exc, duckdb.OutOfRangeException | duckdb.ConversionException):
        # a rule's arithmetic on the data (an integer overflowing, a cast that cannot be):
        # the taxonomy or the data to look at, not a bug to report
        return i18n.t("error.out_of_range", lang, detail=str(exc).splitlines()[0])
    if getattr(exc, "usage", False) is True and exc.args:  # a usage mistake, said already
        return str(exc.args[0])
    if isinstance(exc, RuleError):
        return exc.message(lang)
    if isinstance(
        exc,
        WorkspaceError
        | SourceError
        | TaxonomyError
        | MappingError
        | ProfileError
        | TransactionsError
        | JourneysError,
    ):
        return str(exc)
    if isinstance(exc, OSError) and exc.errno in _OS_REASONS and exc.filename:
        reason = i18n.t(_OS_REASONS[exc.errno], lang)
        path = exc.filename2 if exc.errno in _WRITES and exc.filename2 else exc.filename
        return i18n.t("error.os", lang, path=path, reason=reason)
    if type(exc).__name__ == "PySparkRuntimeError" and "JAVA_GATEWAY_EXITED" in str(exc):
        return i18n.t("error.spark_start", lang, detail=str(exc))  # (pyspark is an optional extra)
    return None


def exit_status(exc: BaseException) -> int:
    """The command's exit status for an error :func:`user_message` tells: 2 for a mistake
    in what the command line asked (a dimension or label that is not there: the error
    says ``usage``), as click's usage errors and the options' own checks exit; else 1."""
    return 2 if getattr(exc, "usage", False) is True else 1


class Interrupted(Exception):  # noqa: N818 - what happened, not a fault
    """A command cut short by Ctrl-C (SIGINT): told in words, exit status 130."""


def interrupted(exc: BaseException) -> bool:
    """Whether ``exc`` is Ctrl-C: Python's KeyboardInterrupt, or what DuckDB raises when
    the signal arrives during a query (a plain RuntimeError, "Query interrupted")."""
    if isinstance(exc, KeyboardInterrupt | Interrupted):
        return True
    return type(exc).__name__ in ("RuntimeError", "InterruptException") and str(exc).startswith(
        "Query interrupted"
    )


#: DuckDB's words for a Parquet file that is not whole (truncated, emptied, overwritten)
_DAMAGED_PARQUET = re.compile(
    r"No magic bytes found|too small to be a Parquet file|Footer length error|"
    r"Snappy decompression|Could not read Parquet|not a Parquet file"
)
