"""``kequn export -o FILE`` wrote over an existing FILE without a word, and in place: a
crash mid-write left a cut file where the user's old one was. It now refuses a file that
exists (a usage error naming it and ``--force``, exit 2, in the chosen language) unless
``--force`` is given, and writes a temporary file beside it that is renamed only once
complete. An Excel cell holds at most 32,767 characters ("Excel specifications and
limits", https://support.microsoft.com/en-us/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3);
a longer text is cut, with a note naming its row and column, not written as a workbook
Excel calls damaged."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from cli_helpers import kequn_output, kequn_words, small_shop
from kequn.demo import demo_workspace
from kequn.pipeline import run as run_taxonomy
from kequn.snapshots import export_files
from kequn.store.workspace import Workspace

OLD = "the user's own file\n"


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = demo_workspace(tmp_path_factory.mktemp("shop"), 40, seed=7)
    run_taxonomy(ws)
    return ws


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "already exists: add --force to replace it, or give another name with -o."),
        ("zh", "已存在：加 --force 覆盖它，或用 -o 给出另一个文件名。"),
    ],
)
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_existing_file_is_refused(
    shop: Workspace,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    words: str,
    suffix: str,
) -> None:
    out_file = tmp_path / f"mine{suffix}"
    out_file.write_text(OLD, encoding="utf-8")
    code, said = kequn_words(
        capsys, "--lang", lang, "export", "lifecycle=churned", "-o", out_file, "-w", shop.root
    )
    assert code == 2, said
    assert words in said
    # the file named (Rich may break its path where the panel wraps)
    assert (out_file.name + words).replace(" ", "") in said.replace(" ", "")
    assert "Traceback" not in said
    assert out_file.read_text(encoding="utf-8") == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == [out_file.name]


def test_force_replaces_it_whole(
    shop: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "mine.csv"
    out_file.write_text(OLD, encoding="utf-8")
    out_file.chmod(0o640)
    code, out, err = kequn_output(
        capsys, "export", "lifecycle=churned", "-o", out_file, "--force", "-w", shop.root
    )
    assert code == 0, out + err
    assert out_file.read_text(encoding="utf-8").startswith('"customer_id"')
    assert out_file.stat().st_mode & 0o777 == 0o640  # the user's file's permissions kept
    assert sorted(p.name for p in tmp_path.iterdir()) == [out_file.name]  # no part left


def test_a_new_file_is_written(
    shop: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "new.xlsx"
    code, out, err = kequn_output(
        capsys, "export", "lifecycle=churned", "-o", out_file, "-w", shop.root
    )
    assert code == 0, out + err
    assert openpyxl.load_workbook(out_file).worksheets[0]["A1"].value == "customer_id"
    assert sorted(p.name for p in tmp_path.iterdir()) == [out_file.name]


def test_a_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    """What is written goes to a file beside the target; an error before the end (a
    crash, a full disk) leaves the old file whole and no temporary file behind."""
    out_file = tmp_path / "mine.xlsx"
    out_file.write_text(OLD, encoding="utf-8")

    def crash_midway() -> None:
        with export_files.written_whole(out_file, replace=True) as part:
            part.write_text("half", encoding="utf-8")
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        crash_midway()
    assert out_file.read_text(encoding="utf-8") == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == [out_file.name]


def test_a_file_made_meanwhile_is_not_replaced(tmp_path: Path) -> None:
    out_file = tmp_path / "mine.xlsx"

    def write_meanwhile() -> None:
        with export_files.written_whole(out_file, replace=False) as part:
            part.write_text("new", encoding="utf-8")
            out_file.write_text(OLD, encoding="utf-8")  # another writer, while this one wrote

    with pytest.raises(FileExistsError):
        write_meanwhile()
    assert out_file.read_text(encoding="utf-8") == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == [out_file.name]


def test_a_cell_too_long_for_excel_is_cut_and_told(tmp_path: Path) -> None:
    out_file = tmp_path / "long.xlsx"
    cut: list[tuple[int, str]] = []
    rows = [{"id": "C1", "note": "short"}, {"id": "C2", "note": "x" * 40_000}]
    export_files.write_xlsx(
        ["id", "note"], rows, out_file, "s", on_cut=lambda r, c: cut.append((r, c))
    )
    sheet = openpyxl.load_workbook(out_file).worksheets[0]
    assert len(sheet["B3"].value) == export_files.XLSX_CELL_MAX == 32_767
    assert sheet["B3"].value.endswith("…")
    assert sheet["B2"].value == "short"
    assert cut == [(3, "note")]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "Note: 1 cells were longer than an Excel cell holds (32,767 characters)"),
        ("zh", "注意：1 个单元格超过 Excel 单元格上限 32,767 个字符"),
    ],
)
def test_the_export_says_what_it_cut(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    long_name = "名" * 40_000
    files = {
        "customers": f"customer_id,name\nC1,{long_name}\nC2,Bo\n",
        "orders": "order_id,customer_id,ordered_at,amount\nO1,C1,2025-04-02,10\n"
        "O2,C2,2025-06-01,20\n",
    }
    small_shop(tmp_path, files)
    out_file = tmp_path / "all.xlsx"
    code, said = kequn_words(
        capsys, "--lang", lang, "export", "lifecycle=new", "-o", out_file, "-w", tmp_path / "ws"
    )
    assert code == 0, said
    assert words in said
    names = [row[2] for row in openpyxl.load_workbook(out_file).worksheets[0].values]
    assert long_name[:100] in names[1] + names[2]
