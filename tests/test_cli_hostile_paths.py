"""Paths a person gets wrong on the command line: a file where a folder is wanted, a
folder where a file is, a folder that does not exist. Each is one message naming the
path and what is wrong with it, in the chosen language, exit 1: never a traceback."""

from __future__ import annotations

import errno
import functools
import os
from pathlib import Path

import pytest

from cli_helpers import kequn_output
from kequn.demo import demo_workspace
from kequn.store.workspace import Workspace


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """The real entry point (`kequn ...`): exit code, stdout and stderr."""
    return functools.partial(kequn_output, capsys)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    from kequn.pipeline import run

    ws = demo_workspace(tmp_path_factory.mktemp("shop"), 40, seed=3)
    run(ws)
    return ws


def _told(result: tuple[int, str, str], *words: str) -> None:
    code, out, err = result
    assert code == 1, (out, err)
    assert "Traceback" not in out + err
    for word in words:
        assert word in err, err


def test_init_on_a_file_names_it(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "a-file"
    target.write_text("x")
    _told(cli("init", "-w", target, "--lang", "en"), str(target), "not a folder")
    _told(cli("init", "-w", target, "--lang", "zh"), str(target), "不是文件夹")


def test_export_to_a_folder_or_a_missing_folder(cli, shop: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    w = ["-w", shop.root]
    _told(cli("export", "lifecycle=churned", "-o", tmp_path, *w), str(tmp_path), "a folder")
    missing = tmp_path / "nowhere" / "x.csv"
    _told(
        cli("export", "lifecycle=churned", "-o", missing, *w, "--lang", "zh"),
        str(missing.parent),
        "不存在",
    )
    assert not missing.parent.exists()


def test_privacy_export_to_a_folder(cli, shop: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    customer = "C00000001"
    _told(cli("privacy", "export", customer, "-o", tmp_path, "-w", shop.root), str(tmp_path))
    missing = tmp_path / "nowhere" / "p.json"
    _told(cli("privacy", "export", customer, "-o", missing, "-w", shop.root), "nowhere")


def test_taxonomy_check_of_a_missing_file_a_folder_or_a_csv(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _told(cli("taxonomy", "check", tmp_path / "none.yaml"), "none.yaml", "no such file")
    _told(cli("taxonomy", "check", tmp_path), str(tmp_path), "a folder")
    table = tmp_path / "orders.csv"
    table.write_text("customer_id,name\nC1,Ann\n")
    code, out, err = cli("taxonomy", "check", table, "--lang", "zh")
    assert code == 1
    assert "Traceback" not in out + err
    assert "不是分类体系" in "".join((out + err).split())


@pytest.mark.parametrize(
    ("code", "en", "zh"),
    [
        (errno.EROFS, "the file system is read-only", "只读文件系统"),
        (errno.EACCES, "permission denied", "没有权限"),
        (errno.ENOSPC, "the disk is full", "磁盘已满"),
    ],
)
def test_a_read_only_or_locked_workspace_is_named(code: int, en: str, zh: str) -> None:
    """A workspace on a read-only mount or without write permission (chmod -w): every
    command that takes its lock or writes its reader files stopped with a traceback."""
    from kequn.errors import user_message

    exc = OSError(code, os.strerror(code), "/srv/shop/locks/write.lock")
    assert user_message(exc, "en") == (
        f"Cannot use /srv/shop/locks/write.lock: {en}. Check the path (a file or a folder, "
        "and that its folder exists) and its permissions, then try again."
    )
    said = user_message(exc, "zh")
    assert said is not None
    assert said.startswith(f"无法使用 /srv/shop/locks/write.lock：{zh}")
    # an OSError without a path is not a path's problem: its traceback is kept
    assert user_message(OSError(code, os.strerror(code)), "en") is None
