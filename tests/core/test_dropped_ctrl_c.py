"""A Ctrl-C that Python drops (raised inside a weakref callback or a finalizer, printed
as "Exception ignored" and gone) left a ``kequn run`` waiting for ever about once in
twenty: the import system's callback had taken the import lock, the models' thread
waited for it and the run for the models' thread. With :mod:`kequn.core.interrupts`
the dropped Ctrl-C is remembered, ends the wait, and the process exits (the waiting
thread is a daemon). Each case runs in a process of its own, with its own SIGINT."""

from __future__ import annotations

import subprocess
import sys
import textwrap

DROPPED = """
import os, signal, sys, weakref
from kequn.core import interrupts
{install}

class Held:
    pass

def dropped(_ref):
    os.kill(os.getpid(), signal.SIGINT)
    for _ in range(1000):  # Python runs the handler here; its exception is dropped
        pass

held = Held()
ref = weakref.ref(held, dropped)
del held
print("went on", flush=True)
"""


def _run(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,  # a hang fails the test instead of the suite
    )


def test_a_dropped_ctrl_c_is_remembered() -> None:
    check = "\ntry:\n    interrupts.check()\nexcept KeyboardInterrupt:\n    sys.exit(130)\n"
    done = _run(DROPPED.format(install="interrupts.install()") + check)
    assert "went on" in done.stdout  # Python dropped it...
    assert "KeyboardInterrupt" in done.stderr
    assert done.returncode == 130, done  # ...the flag did not
    plain = _run(DROPPED.format(install="") + check)
    assert "went on" in plain.stdout
    assert plain.returncode == 0, plain  # without install, nothing remembers it


def test_a_wait_for_a_thread_stuck_on_the_import_lock_ends() -> None:
    stuck = """
    import _imp
    _imp.acquire_lock()  # left held, as the import system's dropped callback left it
    import importlib
    future = interrupts.in_thread(lambda: importlib.import_module("json.tool"), "stuck")
    try:
        interrupts.result(future)
    except KeyboardInterrupt:
        print("ended", flush=True)
        sys.exit(130)
    """
    done = _run(DROPPED.format(install="interrupts.install()") + textwrap.dedent(stuck))
    assert "ended" in done.stdout, done
    assert done.returncode == 130, done  # and the process exited: the thread was a daemon
