"""Ctrl-C kept in mind where Python lets it drop.

Python raises ``KeyboardInterrupt`` wherever the main thread happens to be. Inside a
weakref callback or a finalizer it is printed ("Exception ignored in ...") and dropped,
and the program goes on; one such place is the import system's own callback, which
takes the interpreter's import lock first. About one Ctrl-C in twenty, a ``kequn run``
interrupted while its models' thread imported scikit-learn went on, with the import lock
held by the main thread and never let go: the models' thread waited for it, the run for
the models' thread, for ever (seen in ``gdb``: the import lock's owner was the main
thread, waiting; the models' thread in ``_get_module_lock``).

:func:`install` (the ``kequn`` program's, not a library's) makes Ctrl-C also set a flag;
:func:`check` raises ``KeyboardInterrupt`` for it at a place the run chooses (between
its steps), and :func:`result` waits for a future so that a Ctrl-C dropped before or
during the wait still ends it. A thread that may be left waiting so is a daemon thread,
which the interpreter does not wait for at exit.
"""

from __future__ import annotations

import concurrent.futures
import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any, TypeVar

__all__ = ["check", "checked", "in_thread", "install", "result"]

T = TypeVar("T")

_said = threading.Event()
#: how often a wait looks at the flag (seconds)
POLL = 0.2


def install() -> None:
    """Ctrl-C (SIGINT) raises ``KeyboardInterrupt`` as Python's own handler does, and is
    remembered. From the main thread only (where Python runs signal handlers); a handler
    someone else set is left alone."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _handler)


def _handler(signum: int, frame: FrameType | None) -> Any:
    _said.set()
    return signal.default_int_handler(signum, frame)


def check() -> None:
    """``KeyboardInterrupt`` if Ctrl-C was pressed since :func:`install`, even one that
    Python dropped."""
    if _said.is_set():
        raise KeyboardInterrupt


def checked(step: Callable[[str], None]) -> Callable[[str], None]:
    """``step`` (a progress callback), after :func:`check` each time it is called."""

    def told(name: str) -> None:
        check()
        step(name)

    return told


def result(future: concurrent.futures.Future[T]) -> T:
    """``future.result()``, ended by a Ctrl-C pressed before or while it waits
    (:func:`check`)."""
    while True:
        check()
        try:
            return future.result(timeout=POLL)
        except concurrent.futures.TimeoutError:
            continue


def in_thread(work: Callable[[], T], name: str) -> concurrent.futures.Future[T]:
    """``work()`` started in a daemon thread of its own, as a future: a Ctrl-C that ends
    the program does not wait for it (a pool's worker threads are joined at exit, and one
    left waiting for the import lock kept the process from ending)."""
    future: concurrent.futures.Future[T] = concurrent.futures.Future()

    def run() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(work())
        except BaseException as exc:  # the waiter's to raise, as a pool's future does
            future.set_exception(exc)

    threading.Thread(target=run, name=name, daemon=True).start()
    return future
