"""Ctrl-C while the after-run automation works reaches DuckDB as "Query interrupted", a
RuntimeError: the hook logged it as a failure, with its traceback, and the command went
on to exit 0. Now it ends the command as Ctrl-C does (``KeyboardInterrupt``). Run in a
process of its own, with the ``kequn`` program's SIGINT handler."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from kequn.snapshots.runs import current_run
from kequn.store.workspace import Workspace

SCRIPT = """
import os, signal, sys
from pathlib import Path
from kequn import automation
from kequn.core import interrupts
from kequn.snapshots.runs import current_run
from kequn.store.workspace import Workspace

run = current_run(Workspace.open(Path(sys.argv[1])))
interrupts.install()
try:  # Ctrl-C, seen by a query and turned into its error (here: taken by the test)
    os.kill(os.getpid(), signal.SIGINT)
    for _ in range(1000):
        pass
except KeyboardInterrupt:
    pass
try:
    automation.on_publish(run, "cli")  # fails: the run's taxonomy is spoiled
except KeyboardInterrupt:
    sys.exit(130)
"""


def test_ctrl_c_during_the_automation_ends_the_command(aws: Workspace) -> None:
    current_run(aws).taxonomy_path.write_text("{[ not: yaml", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SCRIPT), str(aws.root)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 130, done
    assert "was not processed" not in done.stderr, done.stderr
