"""Python's cyclic garbage collector held while an import or a run works.

An import or a run makes hundreds of thousands of short-lived Python objects (Ibis
expressions and their nodes, SQL, the models' small tables) around data that lives in
DuckDB, Arrow and numpy, which reference counting frees. Python 3.11 collects its oldest
generation when enough objects have survived the younger ones, and each such collection
walks every object the process holds (the libraries' modules, a server's pages): at 1M
customers a daily import and run in one command spent 0.45-0.49 s in the collector, 0.34 s
of it in five full collections (measured with ``gc.callbacks``; RESULTS.md,
"thirty-fifth pass"), with the same peak memory (990-1,000 MB) held or not.

:func:`paused` disables the collector for the duration (re-entrant and thread-safe: a
run started by an import, or an import and a run in two threads of the server, enable it
again only when the last one ends; a collector the process had disabled stays disabled).
Nothing is lost: reference counting still frees everything outside cycles at once, and the
cycles left are collected once the collector is on again. tests/core/test_gcpause.py.
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

_lock = threading.Lock()
#: how many pauses are open, and whether the collector was on before the first
_state = {"depth": 0, "was_enabled": False}

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def paused() -> Iterator[None]:
    """The cyclic collector off while the block runs (see the module's text)."""
    with _lock:
        if _state["depth"] == 0:
            _state["was_enabled"] = gc.isenabled()
            gc.disable()
        _state["depth"] += 1
    try:
        yield
    finally:
        with _lock:
            _state["depth"] -= 1
            if _state["depth"] == 0 and _state["was_enabled"]:
                gc.enable()


def gc_paused(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` run within :func:`paused`."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with paused():
            return function(*args, **kwargs)

    return wrapper
