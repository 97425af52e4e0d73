"""``KEQUN_WORKSPACE`` (or ``--workspace``) naming a file, not a folder: kequn said the
path was no workspace and to run ``kequn init``, which then failed on the file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize(
    ("lang", "said"), [("en", "which is a file, not a workspace folder"), ("zh", "是一个文件")]
)
@pytest.mark.parametrize("given_by", ["KEQUN_WORKSPACE", "--workspace"])
def test_a_workspace_that_is_a_file_is_named_as_one(
    tmp_path: Path, lang: str, said: str, given_by: str
) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text("order id,customer id\nO1,A\n", encoding="utf-8")
    env = {**os.environ, "KEQUN_LANG": lang}
    args = [sys.executable, "-m", "kequn.cli", "status"]
    if given_by == "KEQUN_WORKSPACE":
        env["KEQUN_WORKSPACE"] = str(orders)
    else:
        args += ["--workspace", str(orders)]
    done = subprocess.run(
        args, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=False
    )
    assert done.returncode == 1
    assert said in done.stderr
    assert given_by in done.stderr
    assert "kequn init" not in done.stderr
    assert "Traceback" not in done.stderr
