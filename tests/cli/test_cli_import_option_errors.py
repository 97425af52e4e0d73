"""Options of ``kequn import`` typed wrong, told in the chosen language: an unknown
``--format`` (an English sentence under ``--lang zh``), an unknown ``--encoding`` (told
as "cannot be read as nonsense", as if the file were at fault), and a ``--mapping`` file
that is missing, a folder or not UTF-8 (Python's "[Errno 2] No such file or directory"
and codec text under ``--lang zh``). Each stops before anything is imported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_helpers import kequn_output

ORDERS = "订单编号,客户编号,下单时间,实付金额,订单状态\nT1,C1,2026-01-02 10:00,30.00,交易成功\n"


@pytest.fixture
def shop(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    code, _, err = kequn_output(capsys, "init", "-w", tmp_path / "shop")
    assert code == 0, err
    (tmp_path / "orders.csv").write_text(ORDERS, encoding="utf-8")
    (tmp_path / "folder").mkdir()
    (tmp_path / "gbk.yaml").write_text("statuses:\n  待审核: paid\n", encoding="gbk")
    # neither UTF-8 nor GB18030 (a lone 0xFF)
    (tmp_path / "binary.yaml").write_bytes(b"statuses:\n  \xff: paid\n")
    return tmp_path


def _refused(
    capsys: pytest.CaptureFixture[str], shop: Path, lang: str, *options: str, exit_code: int = 1
) -> str:
    code, out, err = kequn_output(
        capsys, "--lang", lang, "import", "orders", shop / "orders.csv", "-w", shop / "shop",
        *options,
    )  # fmt: skip
    assert code == exit_code, out + err
    assert "Traceback" not in out + err
    assert len(err.strip().splitlines()) == 1, err
    code, out, _ = kequn_output(capsys, "status", "-w", shop / "shop", "--json")
    assert code == 0
    assert json.loads(out)["counts"]["orders"] == 0  # nothing was imported
    return err.strip()


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "There is no export format tmall: use one of amazon, douyin, jd"),
        ("zh", "没有名为 tmall 的导出格式：可用 amazon, douyin, jd"),
    ],
)
def test_an_unknown_format(
    shop: Path, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    said = _refused(capsys, shop, lang, "--format", "tmall")
    assert words in said
    assert "unknown format" not in said


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "There is no encoding called gkb: use utf-8, gb18030, big5"),
        ("zh", "没有名为 gkb 的编码"),
    ],
)
def test_an_unknown_encoding(
    shop: Path, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    said = _refused(capsys, shop, lang, "--encoding", "gkb")
    assert words in said
    assert "cannot be read as" not in said


@pytest.mark.parametrize(
    ("mapping", "words"),
    [
        ("nosuch.yaml", "映射文件 nosuch.yaml 无法读取：文件或文件夹不存在"),
        ("folder", "映射文件 folder 无法读取：这是一个文件夹，需要的是文件"),
        ("binary.yaml", "映射文件 binary.yaml 无法读取：第 2 行不是 UTF-8 编码的文本"),
    ],
)
def test_a_mapping_file_it_cannot_read_in_chinese(
    shop: Path, capsys: pytest.CaptureFixture[str], mapping: str, words: str
) -> None:
    said = _refused(capsys, shop, "zh", "--mapping", str(shop / mapping))
    assert words in said
    assert "Errno" not in said
    assert "codec" not in said


def test_a_mapping_file_it_cannot_read_in_english(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    said = _refused(capsys, shop, "en", "--mapping", str(shop / "nosuch.yaml"))
    assert "Mapping file nosuch.yaml cannot be read: no such file or folder" in said


def test_a_mapping_file_saved_as_gbk_is_read(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Notepad's "ANSI" on a Chinese Windows is GBK: its status words are read."""
    orders = shop / "review.csv"
    orders.write_text(ORDERS.replace("交易成功", "待审核"), encoding="utf-8")
    code, out, err = kequn_output(
        capsys, "import", "orders", orders, "-w", shop / "shop", "--mapping",
        shop / "gbk.yaml", "--json",
    )  # fmt: skip
    assert code == 0, err
    report = json.loads(out)
    assert (report["accepted"], report["rejected"]) == (1, 0)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "--format, --sheet are for importing a file"),
        ("zh", "--format, --sheet 只用于导入文件"),
    ],
)
def test_file_options_with_a_database_source(
    shop: Path, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    """A database source with a file's options: they were ignored without a word, so the
    user believed a platform format applied to the table. Refused before connecting."""
    code, out, err = kequn_output(
        capsys, "--lang", lang, "import", "orders", "--from", "postgresql://kequn@127.0.0.1:9/shop",
        "--table", "orders", "--format", "taobao", "--sheet", "Sheet1", "-w", shop / "shop",
    )  # fmt: skip
    assert code == 2, out + err
    assert words in err
    assert "Traceback" not in out + err


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "--source crm and --no-source contradict each other"),
        ("zh", "--source crm 与 --no-source 不能同时使用"),
    ],
)
def test_a_source_and_no_source(
    shop: Path, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    """The source won without a word: the user who also said --no-source got crm:C1. A
    usage error, exit 2 (it was 1, as if the file were at fault)."""
    said = _refused(capsys, shop, lang, "--source", "crm", "--no-source", exit_code=2)
    assert words in said
