"""A platform's order export given as customers or interactions is refused from its
header (kequn.ingest.columns.refuse_other_table, through refuse_unusable), before a row
of it is read: ``kequn import customers ExportOrderList.csv`` read the whole export (for
2 GB, minutes) and only then said it was an order export.

The exports are the corpus's (tests/ingest/corpus: each module cites the public
definition of its platform's format): 淘宝's ExportOrderList (GBK), Shopify's
orders_export (UTF-8), 抖店's (UTF-8 with a byte-order mark), and 京东's and 有赞's
workbooks. What is past their first rows is made unreadable (a line of bytes no UTF-8
or GB18030 text holds, a sheet's XML left unclosed), as a download cut short leaves
it: read whole, the file was told as damaged near a line far below, and not as the
order export it is; read by its header, it is refused for what it is, with no row
read (the import's progress never told of one) and nothing written. Given as orders,
or with a mapping naming its columns, it is read whole as before."""

from __future__ import annotations

import importlib
import re
import sys
import zipfile
from pathlib import Path

import pytest

from kequn.core.i18n import set_lang
from kequn.ingest.importer import import_file
from kequn.ingest.mapping import MappingFile
from kequn.ingest.source_error import SourceError
from kequn.store.workspace import Workspace

CORPUS = Path(__file__).parent / "corpus"

#: the file's rows are repeated past this many bytes before the damage: past the 256 KiB
#: the encoding is told from and the 64 KiB the header is looked for in
GROWN = 320 * 1024

#: bytes that decode in neither UTF-8 nor GB18030 (0xFF: RFC 3629, section 1, and GB
#: 18030 alike hold no such byte)
DAMAGE = b"\xff\xfe\xff,\xff\r\n"

#: the corpus's text exports and workbooks (tests/ingest/corpus modules), each with the
#: platform's name the refusal gives (formats/*.yaml)
TEXT = [("taobao", "Taobao / Tmall"), ("shopify", "Shopify"), ("douyin", "Douyin Shop")]
BOOKS = [("jd", "JD.com"), ("youzan", "Youzan")]


def _export(name: str, folder: Path) -> Path:
    """The corpus module ``name``'s export, built into ``folder``."""
    sys.path.insert(0, str(CORPUS))
    try:
        module = importlib.import_module(name)
    finally:
        sys.path.remove(str(CORPUS))
    folder.mkdir(parents=True, exist_ok=True)
    return Path(module.build(folder)["files"][0])


def _grown(path: Path, out: Path, damaged: bool = True) -> Path:
    """The text export ``path`` as ``out``: its header, its rows again and again past
    GROWN bytes, then (``damaged``) a line that decodes in no encoding."""
    data = path.read_bytes()
    end = b"\r\n" if b"\r\n" in data else b"\n"
    header, _, body = data.partition(end)
    body = body if body.endswith(end) else body + end
    out.write_bytes(header + end + body * (GROWN // len(body) + 1) + (DAMAGE if damaged else b""))
    return out


def _broken_book(path: Path, out: Path) -> Path:
    """The workbook ``path`` as ``out``, its sheet's XML past row 50 left unclosed
    (ECMA-376 Part 1, 18.3.1.4: a <c> in a <row>), past the 30 rows the header is
    looked for in."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                assert b'<row r="51"' in data
                data = data.replace(
                    b'<row r="51"', b'<row r="51"><c r="A51"><v>1</v></row><row r="52"'
                )
            dst.writestr(item, data)
    return out


def _counts(ws: Workspace) -> tuple[int, ...]:
    with ws.read() as con:
        row = con.execute(
            "SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM orders),"
            " (SELECT count(*) FROM events), (SELECT count(*) FROM quarantine),"
            " (SELECT count(*) FROM imports)"
        ).fetchone()
    assert row is not None
    return tuple(row)


def _refused(ws: Workspace, table: str, path: Path, lang: str = "en") -> str:
    """The import's refusal of ``path`` as ``table``, asserting no row was read first
    and nothing written."""
    read: list[int] = []

    def progress(stage: str, rows: int) -> None:
        if stage == "read":
            read.append(rows)

    set_lang(lang)
    try:
        with pytest.raises(SourceError) as raised:
            import_file(ws, table, path, progress=progress)
    finally:
        set_lang(None)
    assert read == [], (read, str(raised.value))
    assert _counts(ws) == (0, 0, 0, 0, 0)
    return str(raised.value)


@pytest.mark.parametrize("table", ["customers", "events"])
@pytest.mark.parametrize(("name", "platform"), TEXT)
def test_a_text_order_export_is_refused_from_its_header(
    ws: Workspace, tmp_path: Path, name: str, platform: str, table: str
) -> None:
    export = _export(name, tmp_path / "built")
    path = _grown(export, tmp_path / export.name)
    said = _refused(ws, table, path)
    what = "a customers" if table == "customers" else "an interactions"
    assert said.startswith(f"{export.name} is a {platform}"), said
    assert f"order export, not {what} file" in said, said
    assert "kequn import orders" in said, said
    said = _refused(ws, table, path, "zh")
    assert said.startswith(f"{export.name} 是"), said
    assert "订单导出" in said, said
    assert "kequn import orders" in said, said


@pytest.mark.parametrize("table", ["customers", "events"])
def test_a_text_export_named_xls_is_refused_from_its_header(
    ws: Workspace, tmp_path: Path, table: str
) -> None:
    """Tab- or comma-separated text under an .xls name (as ERPs write "Excel") is read
    as the text it is: refused from its header all the same."""
    export = _export("taobao", tmp_path / "built")
    path = _grown(export, tmp_path / "ExportOrderList.xls")
    said = _refused(ws, table, path)
    assert said.startswith("ExportOrderList.xls is a Taobao"), said
    assert "kequn import orders" in said, said


@pytest.mark.parametrize("table", ["customers", "events"])
@pytest.mark.parametrize(("name", "platform"), BOOKS)
def test_a_workbook_order_export_is_refused_from_its_first_rows(
    ws: Workspace, tmp_path: Path, name: str, platform: str, table: str
) -> None:
    export = _export(name, tmp_path / "built")
    path = _broken_book(export, tmp_path / export.name)
    said = _refused(ws, table, path)
    assert said.startswith(f"{export.name} is a {platform}"), said
    assert "kequn import orders" in said, said


def test_given_as_orders_the_export_is_still_read_whole(ws: Workspace, tmp_path: Path) -> None:
    """As orders it is read: its damage told where it is, far below the header;
    undamaged, its orders imported."""
    export = _export("taobao", tmp_path / "built")
    damaged = _grown(export, tmp_path / "damaged.csv")
    with pytest.raises(SourceError) as raised:
        import_file(ws, "orders", damaged)
    said = str(raised.value)
    line = re.search(r"near line (\d+)", said)
    assert line, said
    assert int(line.group(1)) > 500, said  # far below the header
    report = import_file(ws, "orders", export)
    assert report.accepted > 0
    assert _counts(ws)[1] == report.accepted


def test_a_mapping_naming_its_columns_still_reads_it_as_customers(
    ws: Workspace, tmp_path: Path
) -> None:
    """Columns the user mapped are their word on what the rows are (as before)."""
    export = _export("taobao", tmp_path / "built")
    mapping = MappingFile(columns={"customer_id": "买家会员名", "name": "收货人姓名"})
    report = import_file(ws, "customers", export, mapping=mapping)
    assert report.accepted > 0
    assert _counts(ws)[0] == report.accepted


#: Shopify's customers export (Customers > Export, customers_export.csv) with its
#: Customer ID, as formats/shopify.yaml's customers_export cites it
#: (https://help.shopify.com/en/manual/customers/import-export-customers): a customers
#: file, of no order's or interaction's required column
SHOPIFY_CUSTOMERS = (
    "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address City,"
    "Default Address Province Code,Default Address Country Code,Phone,Accepts SMS Marketing,"
    "Total Spent,Total Orders,Note,Tax Exempt,Tags\n"
)


def _customers_export(path: Path, damaged: bool = True) -> Path:
    rows = "".join(
        f"'72852142{i:05d},Jane{i},Doe,jane{i}@example.com,yes,New York,NY,US,"
        f'\'+1212555{i % 10000:04d},no,90.00,2,,no,"VIP, newsletter"\n'
        for i in range(4000)
    )
    path.write_bytes((SHOPIFY_CUSTOMERS + rows).encode("utf-8") + (DAMAGE if damaged else b""))
    return path


@pytest.mark.parametrize(
    ("table", "what"), [("orders", "an orders"), ("events", "an interactions")]
)
def test_a_customers_export_is_refused_from_its_header(
    ws: Workspace, tmp_path: Path, table: str, what: str
) -> None:
    """Told only as lacking the table's columns, once read whole (or as damaged), it is
    told as the customers export it is, and the command for it."""
    path = _customers_export(tmp_path / "customers_export.csv")
    assert path.stat().st_size > GROWN
    said = _refused(ws, table, path)
    assert said.startswith("customers_export.csv is a Shopify customers export"), said
    assert f"not {what} file" in said, said
    assert "kequn import customers" in said, said
    said = _refused(ws, table, path, "zh")
    assert said.startswith("customers_export.csv 是Shopify 客户导出"), said
    assert "kequn import customers" in said, said


def test_a_customers_export_is_still_customers(ws: Workspace, tmp_path: Path) -> None:
    path = _customers_export(tmp_path / "customers_export.csv", damaged=False)
    report = import_file(ws, "customers", path)
    assert report.rejected == 0, report.examples
    assert _counts(ws)[0] == 4000


def test_a_customers_export_mapped_as_orders_is_told_its_missing_columns(
    ws: Workspace, tmp_path: Path
) -> None:
    """A mapping naming its columns is the user's word: the import goes on, to the
    columns it still lacks, as before."""
    path = _customers_export(tmp_path / "customers_export.csv", damaged=False)
    mapping = MappingFile(columns={"customer_id": "Email", "amount": "Total Spent"})
    with pytest.raises(SourceError) as raised:
        import_file(ws, "orders", path, mapping=mapping)
    said = str(raised.value)
    assert "order_id" in said, said
    assert "customers export" not in said, said


def test_an_excel_97_workbook_is_told_the_same_once_read(ws: Workspace, tmp_path: Path) -> None:
    """An Excel 97-2003 workbook's header is not read apart from its sheet (xlwt writes
    the BIFF8 such files are), so it is read whole first, as before, then told alike."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("customers_export")
    lines = [SHOPIFY_CUSTOMERS.strip().split(",")]
    lines += [["1", "Jane", "Doe", "jane@example.com", "yes", "New York", "NY", "US"]]
    for r, cells in enumerate(lines):
        for c, value in enumerate(cells):
            sheet.write(r, c, value)
    path = tmp_path / "customers_export.xls"
    book.save(str(path))
    with pytest.raises(SourceError) as raised:
        import_file(ws, "orders", path)
    said = str(raised.value)
    assert said.startswith("customers_export.xls is a Shopify customers export"), said
    assert _counts(ws) == (0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    ("named", "said"), [("taobao", "for order files only"), ("x", "no export")]
)
def test_a_format_named_for_customers_is_refused_before_the_file_is_read(
    ws: Workspace, tmp_path: Path, named: str, said: str
) -> None:
    """An export format is an order export's: named for a customers file (or no format
    at all) it is refused before a row is read, as it was only once all were."""
    path = _customers_export(tmp_path / "customers_export.csv")
    read: list[int] = []
    with pytest.raises(SourceError, match=said):
        import_file(ws, "customers", path, format=named, progress=lambda _s, n: read.append(n))
    assert read == []
    assert _counts(ws) == (0, 0, 0, 0, 0)
