"""``kequn export`` with a segment typed wrong said only "No such segment: lifecycle=dormnat",
unlike ``kequn events`` and ``--why-not``, which list what there is. It now lists the
dimension's labels (as export takes them), or the dimensions, in the chosen language."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import kequn_output
from kequn.demo import demo_workspace
from kequn.pipeline import run as run_taxonomy
from kequn.store.workspace import Workspace


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = demo_workspace(tmp_path_factory.mktemp("shop"), 40, seed=9)
    run_taxonomy(ws)
    return ws


@pytest.mark.parametrize(
    ("lang", "segment", "words"),
    [
        ("en", "lifecycle=dormnat", "No such segment: lifecycle=dormnat; known: lifecycle=prospect, lifecycle=new, lifecycle=churned, lifecycle=dormant"),
        ("zh", "lifecycle=dormnat", "没有这个客群：lifecycle=dormnat；可选：lifecycle=prospect"),
        ("en", "lifecyle=dormant", "No such segment: lifecyle=dormant; known: lifecycle, value, behaviour"),
    ],
)  # fmt: skip
def test_a_typo_lists_what_there_is(
    shop: Workspace,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    segment: str,
    words: str,
) -> None:
    out_file = tmp_path / "x.csv"
    code, out, err = kequn_output(
        capsys, "--lang", lang, "export", segment, "-o", out_file, "-w", shop.root
    )
    assert code == 2, out + err
    assert words in " ".join(err.split())
    assert len(err.strip().splitlines()) == 1
    assert not out_file.exists()
