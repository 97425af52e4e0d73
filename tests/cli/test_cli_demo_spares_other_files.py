"""``kequn demo -w FOLDER`` wrote its workspace into a folder already holding other files,
and the next ``kequn demo`` into it, replacing "its" workspace, deleted the whole folder:
``kequn demo -w ~/Documents`` run twice emptied Documents. And an export kept in a demo
workspace's folder, named with ``--from``, was deleted before it was read ("There is no
file …"). Both are now refused, in the chosen language, and nothing is touched."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import kequn_output

CORPUS = Path(__file__).parents[1] / "ingest" / "corpus"


def _demo(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str, str]:
    return kequn_output(capsys, *args, "demo", "-w", root, "--customers", "12", "--no-runs")


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "is not empty, and the demo would delete what it holds the next time"),
        ("zh", "不是空文件夹，下次运行演示时会删除其中的内容"),
    ],
)
def test_a_folder_holding_other_files_gets_no_demo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    folder = tmp_path / "documents"
    (folder / "letters").mkdir(parents=True)
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    code, out, err = _demo(capsys, folder, "--lang", lang)
    assert code == 1, out + err
    assert words in " ".join(err.split())
    assert str(folder) in err.replace("\n", "")
    assert "Traceback" not in err
    assert sorted(p.name for p in folder.iterdir()) == ["letters", "notes.txt"]
    # an empty folder is fine
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _demo(capsys, empty)[0] == 0


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "is inside the demo workspace"),
        ("zh", "位于演示工作区"),
    ],
)
def test_an_export_inside_the_demo_workspace_is_not_deleted_to_read_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    import importlib
    import sys

    sys.path.insert(0, str(CORPUS))
    try:
        taobao = importlib.import_module("taobao")
    finally:
        sys.path.remove(str(CORPUS))
    root = tmp_path / "demo-workspace"
    assert _demo(capsys, root)[0] == 0
    export = taobao.build(root)["files"][0]
    code, out, err = kequn_output(
        capsys, "--lang", lang, "demo", "-w", root, "--from", export, "--no-runs"
    )
    assert code == 1, out + err
    assert words in " ".join(err.split())
    assert export.name in err.replace("\n", "")
    assert export.is_file()
    assert (root / "kequn.toml").is_file()  # the demo workspace is kept too
