"""numpy's hugepage advice is off in a kequn process unless the user's variable says
otherwise (kequn.core.hugepages), whether numpy is imported before kequn or after."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

ADVICE = "from numpy._core.multiarray import _get_madvise_hugepage;print(_get_madvise_hugepage())"


def _advice(code: str, variable: str | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    if variable is not None:
        env["NUMPY_MADVISE_HUGEPAGE"] = variable
    done = subprocess.run(
        [sys.executable, "-c", code + ";" + ADVICE],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout.strip()


@pytest.mark.parametrize("code", ["import kequn, numpy", "import numpy, kequn"])
def test_kequn_turns_the_advice_off(code: str) -> None:
    if _advice("import numpy") != "True":  # else the check could not fail
        pytest.skip("numpy does not advise hugepages on this kernel")
    assert _advice(code) == "False"


def test_the_users_variable_wins() -> None:
    assert _advice("import kequn, numpy", "1") == "True"
    assert _advice("import numpy, kequn", "1") == "True"
