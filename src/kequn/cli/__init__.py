"""The ``kequn`` command. Thin: parses options, calls :mod:`kequn.pipeline`,
:mod:`kequn.ingest` and :mod:`kequn.snapshots`, prints tables or JSON. Help and
messages follow ``--lang`` / ``KEQUN_LANG`` (help's Chinese: :mod:`kequn.cli.help_zh`)."""

from __future__ import annotations

import gc
import os
import sys
import threading
from typing import NoReturn

# the commands' modules make ~150k objects that live as long as the process: the cyclic
# collector, triggered by their count, walked them over and over (245 collections, 0.08
# CPU-s of the start-up), and again in each full collection of the command. Made with the
# collector off, then frozen (Python's gc.freeze: out of every later collection), they
# cost it nothing; the collector is on again for the command's own objects.
_collecting = gc.isenabled()
gc.disable()
try:
    from kequn.cli import (  # noqa: F401 - importing registers the commands
        analysis,
        analysis_taxonomy,
        automation,
        clv,
        data,
        demo,
        digest,
        identity,
        privacy,
        server,
        sources,
    )
    from kequn.cli._app import app, err
    from kequn.core import i18n, interrupts
    from kequn.errors import exit_status, interrupted, user_message
    from kequn.store import workspace
except KeyboardInterrupt:  # Ctrl-C while kequn starts: nothing done, no traceback
    raise SystemExit(130) from None
finally:
    gc.freeze()
    if _collecting:
        gc.enable()

__all__ = ["app", "main", "program", "user_message"]


def main(argv: list[str] | None = None) -> None:
    """Run the command; errors a user can act on print one clear message (exit 1, or 2
    for a mistake in what was asked: :func:`kequn.errors.exit_status`), not a traceback,
    unless ``KEQUN_DEBUG`` is set."""
    try:
        args = global_options_first(sys.argv[1:] if argv is None else list(argv))
        _unknown_language_said(args)
        workspace.lock_wait_notice = _say_waiting
        app(args=args, prog_name="kequn")
    except KeyboardInterrupt:
        _say_interrupted()
    except Exception as exc:
        if interrupted(exc):
            _say_interrupted()
        message = user_message(exc)
        if message is None or os.environ.get("KEQUN_DEBUG"):
            raise
        err.print(message, style="red", soft_wrap=True)
        if type(exc).__module__.split(".")[0] in ("duckdb", "pyspark", "_duckdb"):
            # an engine's error told in words: its traceback may still help; a file's
            # or a workspace's error says all there is
            err.print(i18n.t("error.debug"), style="dim", soft_wrap=True)
        raise SystemExit(exit_status(exc)) from None


def program() -> None:
    """The ``kequn`` program (the console script and ``python -m kequn.cli``):
    :func:`main`, then Python's own exit with the objects the command leaves frozen.

    At exit the interpreter runs its cyclic collector over every object the process
    still holds (the modules of ibis, DuckDB, pandas, numba, scikit-learn...), several
    times: 0.67-0.73 CPU-s after a daily import and run at 1M customers, a tenth of the
    run, against 0.07-0.08 s with ``gc.freeze()`` first (perf: ``gc_collect_main`` and
    its visits were two thirds of it). Everything else of the exit is as before: threads
    joined, ``atexit`` handlers and finalizers run, files flushed and closed; only
    cycles among the objects frozen are not collected, a moment before the process's
    memory is returned whole. Not in :func:`main`, which tests call many times in one
    process (there, frozen objects would stay for the session; what importing this
    module made is frozen once, as it is imported). Ctrl-C is remembered as well as
    raised (:mod:`kequn.core.interrupts`)."""
    interrupts.install()  # a Ctrl-C Python drops is still the command's end
    try:
        main()
    finally:
        gc.freeze()


def _say_interrupted() -> NoReturn:
    """Ctrl-C: what it left, in words, not a traceback (DuckDB's "Query interrupted") nor
    typer's silent exit; 130, as a shell reports a command its SIGINT ended."""
    err.print(i18n.t("cli.interrupted"), style="yellow", soft_wrap=True)
    raise SystemExit(130) from None


def _say_waiting(timeout: float) -> None:
    # the command's own wait only: ``kequn serve``'s jobs and requests wait in threads of
    # the server for one another, and each wait told its log that another process wrote
    if threading.current_thread() is not threading.main_thread():
        return
    err.print(i18n.t("ws.waiting", seconds=int(timeout)), style="yellow", soft_wrap=True)


def _unknown_language_said(args: list[str]) -> None:
    """A ``KEQUN_LANG`` that is neither Chinese nor English (``fr``) was read as English
    without a word: say so, in both languages (no ``--lang`` given to override it)."""
    value = os.environ.get("KEQUN_LANG", "")
    if not value or value.lower().startswith(("zh", "en")) or args[:1] == ["--lang"]:
        return
    shown = value if value.isprintable() and len(value) <= 20 else repr(value[:20])
    err.print(i18n.t("error.lang_unknown", "en", value=shown), style="yellow", soft_wrap=True)


#: options that belong to ``kequn`` itself, accepted anywhere on the line
_GLOBAL = ("--lang",)


def global_options_first(args: list[str]) -> list[str]:
    """Move ``--lang X`` (or ``--lang=X``) to the front, so ``kequn show C001 --lang zh``
    works as the README writes it, as well as ``kequn --lang zh show C001``. Arguments
    after ``--`` are left alone."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        name = arg.split("=", 1)[0]
        if name in _GLOBAL:
            if "=" in arg:
                front.append(arg)
            elif i + 1 < len(args):
                front.extend(args[i : i + 2])
                i += 1
            else:
                # the last word, its value missing: alone, so click says it needs one
                # (in front of the command, "kequn status --lang" read "status" as it)
                return [arg]
        else:
            rest.append(arg)
        i += 1
    return front + rest
