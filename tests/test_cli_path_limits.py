"""Paths the operating system refuses for their shape rather than their place: a name
longer than the file system takes (ENAMETOOLONG: `kequn export -o` with a name of 300
characters, a `--workspace` that long) and a folder whose symbolic links loop (ELOOP, as
`--workspace` or KEQUN_WORKSPACE). Each was a traceback; each is now one message naming
the path and what is wrong with it, in the chosen language, exit 1."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from cli_helpers import kequn_output
from kequn.demo import demo_workspace
from kequn.store.workspace import Workspace


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    return functools.partial(kequn_output, capsys)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    from kequn.pipeline import run

    ws = demo_workspace(tmp_path_factory.mktemp("limits"), 40, seed=5)
    run(ws)
    return ws


def _told(result: tuple[int, str, str], *words: str) -> None:
    code, out, err = result
    assert "Traceback" not in out + err
    assert code == 1, (out, err)
    said = "".join(err.split())
    for word in words:
        assert "".join(word.split()) in said, err


def test_an_export_name_too_long_is_said(cli, shop: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / ("a" * 300 + ".csv")
    w = ["-w", shop.root]
    _told(cli("export", "lifecycle=churned", "-o", target, *w, "--lang", "en"), "too long")
    _told(cli("export", "lifecycle=churned", "-o", target, *w, "--lang", "zh"), "名称过长")
    assert list(tmp_path.iterdir()) == []


def test_a_workspace_name_too_long_is_said(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / ("w" * 300)
    _told(cli("segments", "-w", folder, "--lang", "en"), "too long")
    _told(cli("status", "-w", folder, "--lang", "zh"), "名称过长")


def test_a_workspace_whose_links_loop_is_said(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    _told(cli("segments", "-w", loop, "--lang", "en"), str(loop), "symbolic links form a loop")
    monkeypatch.setenv("KEQUN_WORKSPACE", str(loop))
    _told(cli("status", "--lang", "zh"), str(loop), "符号链接构成循环")
