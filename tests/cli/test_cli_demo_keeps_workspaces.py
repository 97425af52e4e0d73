"""``kequn demo -w FOLDER`` on a workspace it did not make: it deleted the folder, the
shop's imports, users and runs with it, without a word, and put demo data in its place.
It now refuses, in the chosen language, and leaves everything as it was; a workspace the
demo made is still replaced by the next demo, as ``scripts/demo.sh`` run twice needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import kequn_output


def _demo(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str, str]:
    return kequn_output(capsys, *args, "demo", "-w", root, "--customers", "12", "--no-runs")


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "is a workspace kequn demo did not make, and the demo would delete its data"),
        ("zh", "是一个不是由 kequn demo 创建的工作区，演示会删除其中的数据"),
    ],
)
def test_a_shops_workspace_is_not_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    shop = tmp_path / "shop"
    assert kequn_output(capsys, "init", "-w", shop)[0] == 0
    code, _, err = kequn_output(capsys, "user", "add", "ana", "--role", "admin", "-w", shop)
    assert code == 0, err
    before = sorted(p.relative_to(shop) for p in shop.rglob("*"))
    code, out, err = _demo(capsys, shop, "--lang", lang)
    assert code == 1
    assert words in " ".join(err.split())
    assert str(shop) in err.replace("\n", "")
    assert "customers:" not in out  # nothing was imported
    assert sorted(p.relative_to(shop) for p in shop.rglob("*")) == before
    code, out, _ = kequn_output(capsys, "user", "list", "-w", shop)
    assert code == 0
    assert "ana" in out


def test_a_demo_workspace_is_replaced_by_the_next_demo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "demo-workspace"
    code, _, err = _demo(capsys, root)
    assert code == 0, err
    code, _, err = kequn_output(capsys, "user", "add", "bob", "--role", "admin", "-w", root)
    assert code == 0, err
    code, out, err = _demo(capsys, root)
    assert code == 0, err
    assert "customers: read 12 rows" in out
    code, out, _ = kequn_output(capsys, "user", "list", "-w", root)
    assert "bob" not in out  # a new demo workspace
