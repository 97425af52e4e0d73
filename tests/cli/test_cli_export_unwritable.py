"""``kequn export -o FILE.csv`` where the folder exists but the file cannot be made (here
/proc, which refuses new files even to root, as a read-only or foreign folder would):
Arrow's error named no file, so it was a traceback; it is now the one line naming the
path, in the chosen language, exit 1. The .xlsx writer was already told."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import kequn_output
from kequn.demo import demo_workspace
from kequn.pipeline import run as run_taxonomy
from kequn.store.workspace import Workspace

pytestmark = pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = demo_workspace(tmp_path_factory.mktemp("shop"), 40, seed=7)
    run_taxonomy(ws)
    return ws


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "Cannot use /proc/kequn-export.csv: no such file or folder."),
        ("zh", "无法使用 /proc/kequn-export.csv：文件或文件夹不存在。"),
    ],
)
def test_a_csv_that_cannot_be_made(
    shop: Workspace, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    code, out, err = kequn_output(
        capsys, "--lang", lang, "export", "lifecycle=churned", "-o", "/proc/kequn-export.csv",
        "-w", shop.root,
    )  # fmt: skip
    assert code == 1, out + err
    assert "Traceback" not in out + err
    assert words in " ".join(err.split())


def test_a_writable_csv_is_still_written(
    shop: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "loyal.csv"
    code, _, err = kequn_output(
        capsys, "export", "lifecycle=loyal", "-o", out_file, "-w", shop.root
    )
    assert code == 0, err
    assert out_file.read_text(encoding="utf-8").startswith('"customer_id"')
