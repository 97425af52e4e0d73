"""Text files as Excel and Chinese tools write them: line ends, encodings, the bytes
some editors leave behind. Each was built as a user's file would be and imported."""

from __future__ import annotations

from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace


def names(ws: Workspace) -> list[tuple[str, str]]:
    with ws.read() as con:
        rows = con.execute("SELECT customer_id, name FROM customers ORDER BY 1").fetchall()
    return [(str(r[0]), str(r[1])) for r in rows]


def test_lines_ending_in_a_carriage_return_alone_are_rows(ws: Workspace, tmp_path: Path) -> None:
    """Excel for Mac's "CSV (Macintosh)" ends lines with \\r alone: the header scan read
    the file as one line and stopped with the csv module's traceback."""
    path = tmp_path / "mac.csv"
    path.write_bytes("客户编号,姓名\rC1,张三\rC2,李四\r".encode())
    report = import_file(ws, "customers", path)
    assert (report.accepted, report.rejected) == (2, 0)
    assert names(ws) == [("C1", "张三"), ("C2", "李四")]


def test_a_gbk_file_whose_first_rows_are_ascii_is_read_as_gbk(
    ws: Workspace, tmp_path: Path
) -> None:
    """The encoding was decided on the first 256 KB alone: ASCII there, so UTF-8, and the
    import stopped at the first 中文 name further down ("cannot be read as utf-8")."""
    lines = ["customer id,name,city"]
    lines += [f"A{i:06d},Name{i},Beijing" for i in range(12_000)]
    lines += ["Z1,张三丰,北京", "Z2,欧阳锋,广州"]
    path = tmp_path / "late.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    assert path.read_bytes()[: 256 * 1024].isascii()
    report = import_file(ws, "customers", path)
    assert (report.encoding, report.accepted, report.rejected) == ("gb18030", 12_002, 0)
    assert names(ws)[-2:] == [("Z1", "张三丰"), ("Z2", "欧阳锋")]


def test_utf16_without_its_bom_is_read_as_utf16(ws: Workspace, tmp_path: Path) -> None:
    """UTF-16 written without a BOM is valid UTF-8 (every other byte NUL): the cells held
    NULs, and no header was recognised. Both byte orders, a column of 中文 only."""
    text = "客户编号\t姓名\r\nC1\t张三\r\nC2\t李四\r\n"
    for order in ("le", "be"):
        path = tmp_path / f"unicode-{order}.txt"
        path.write_bytes(text.encode(f"utf-16-{order}"))
        report = import_file(ws, "customers", path)
        assert (report.encoding, report.accepted) == (f"utf-16-{order}", 2)
        assert names(ws) == [("C1", "张三"), ("C2", "李四")]


def test_a_big5_file_is_not_read_as_gbk(ws: Workspace, tmp_path: Path) -> None:
    """Big5 (台灣, 香港) decodes as GB18030 without an error, into other characters:
    陳大文 was stored as 朝ゅ with the private-use characters GBK has there, silently."""
    rows = ["customer id,name,city", "C5,陳大文,臺北", "C6,許功蓋,高雄", "C7,余裕,台中"]
    path = tmp_path / "big5.csv"
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("big5"))
    report = import_file(ws, "customers", path)
    assert (report.encoding, report.accepted) == ("cp950", 3)
    assert names(ws) == [("C5", "陳大文"), ("C6", "許功蓋"), ("C7", "余裕")]


def test_a_gbk_file_is_still_gbk(ws: Workspace, tmp_path: Path) -> None:
    rows = ["customer id,name,city", "C1,陈伟,北京市朝阳区建国路88号", "C2,王芳,上海"]
    path = tmp_path / "gbk.csv"
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("gbk"))
    assert import_file(ws, "customers", path).encoding == "gb18030"
    assert names(ws) == [("C1", "陈伟"), ("C2", "王芳")]


def test_a_trailing_ctrl_z_is_no_rejected_row(ws: Workspace, tmp_path: Path) -> None:
    """A file ending in Ctrl-Z (0x1A, the DOS end-of-file mark) had it quarantined as a
    bad row of its own; the CRLF and LF lines around it are rows as usual."""
    path = tmp_path / "dos.csv"
    path.write_bytes("客户编号,姓名\r\nC1,张三\nC2,李四\r\n\x1a".encode())
    report = import_file(ws, "customers", path)
    assert (report.accepted, report.rejected) == (2, 0)
    assert names(ws) == [("C1", "张三"), ("C2", "李四")]


def test_a_cell_over_128k_characters_in_a_file_read_line_by_line(
    ws: Workspace, tmp_path: Path
) -> None:
    """A ragged row sends the file to the line-by-line reader, whose csv module refused a
    value over 131,072 characters with a traceback; Arrow's reader had taken it."""
    path = tmp_path / "long.csv"
    note = "长" * 200_000
    path.write_text(f"客户编号,姓名,备注\r\nC1,张三,{note}\r\nC2,李四\r\nC3,王五,x\r\n", "utf-8")
    report = import_file(ws, "customers", path)
    assert (report.accepted, report.rejected) == (2, 1)
    assert names(ws) == [("C1", "张三"), ("C3", "王五")]
