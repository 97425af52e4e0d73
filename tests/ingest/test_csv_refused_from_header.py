"""A text file none of whose header's columns is one of the table's is refused from its
header, found in its first rows (kequn.ingest.readers._stage_csv gives it to
kequn.ingest.columns.refuse_unusable), naming the file and what its header holds, before
the file is read whole: a 2 GB CSV of other columns was read to its end (twice, where
Arrow's reading was not exact) before "no usable column", as a workbook was before
kequn.ingest.xlsx_head.

What is past the file's first rows is made unreadable here (bytes no UTF-8 or GB18030
text holds, as a download cut short or two files pasted together leave): read whole, the
file was told as one that cannot be read in its encoding, near a line far below; read by
its header, it is told for what it is. A file with such a header is still read whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from kequn.core.i18n import set_lang
from kequn.ingest.importer import import_file
from kequn.ingest.readers import SourceError
from kequn.store.workspace import Workspace

#: rows before the damage: past the 256 KiB the encoding is told from and the 64 KiB the
#: header is looked for in
ROWS = 12_000

#: Shopify's customers export (Customers > Export, customers_export.csv), its columns as
#: https://help.shopify.com/en/manual/customers/import-export-customers lists them (and
#: formats/shopify.yaml cites): a customers file, of no column of an interaction
SHOPIFY_CUSTOMERS = [
    "First Name",
    "Last Name",
    "Email",
    "Company",
    "Address1",
    "Address2",
    "City",
    "Province",
    "Province Code",
    "Country",
    "Country Code",
    "Zip",
    "Phone",
    "Accepts Email Marketing",
    "Accepts SMS Marketing",
    "Total Spent",
    "Total Orders",
    "Tags",
    "Note",
    "Tax Exempt",
]


def _text_file(
    path: Path, header: list[str], *, title: str = "", encoding: str = "utf-8", damaged: bool = True
) -> Path:
    """``header`` (under a ``title`` line, as hand-made exports open) and ROWS rows of
    filler, then, where ``damaged``, a line of bytes that decode in neither UTF-8 nor
    GB18030 (0xFF: RFC 3629, section 1, and GB 18030 alike hold no such byte)."""
    lines = [title] if title else []
    lines.append(",".join(header))
    lines.extend(",".join(f"值{i}-{j}" for j in range(len(header))) for i in range(ROWS))
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    if damaged:
        data += b"\xff\xfe\xff," * len(header) + b"\r\n"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("lang", "said"),
    [("en", "no usable column"), ("zh", "没有可用的列")],
)
def test_a_csv_of_no_usable_column_is_refused_from_its_header(
    ws: Workspace, tmp_path: Path, lang: str, said: str
) -> None:
    header = [f"col_{j}" for j in range(6)]
    path = _text_file(tmp_path / "杂项.csv", header)
    set_lang(lang)
    try:
        with pytest.raises(SourceError) as raised:
            import_file(ws, "orders", path)
    finally:
        set_lang(None)
    message = str(raised.value)
    assert message.startswith("杂项.csv: "), message
    assert said in message, message
    assert "col_0, col_1" in message, message
    assert "order_id" in message, message
    # what the dashboard offers to map instead: the file's headers
    assert raised.value.wanted
    assert raised.value.wanted["headers"][:2] == ["col_0", "col_1"]


def test_a_file_of_another_kind_is_refused_from_its_header(ws: Workspace, tmp_path: Path) -> None:
    """Shopify's customers export given as interactions; in GB18030 under a title line,
    the header found below it as before: told as the customers export it is
    (kequn.ingest.columns.refuse_other_table), no longer as a file of no usable column."""
    path = _text_file(
        tmp_path / "customers_export.csv",
        SHOPIFY_CUSTOMERS,
        title="客户导出 2024-03",
        encoding="gb18030",
    )
    with pytest.raises(SourceError) as raised:
        import_file(ws, "events", path)
    message = str(raised.value)
    assert message.startswith("customers_export.csv is a Shopify customers export"), message
    assert "kequn import customers" in message, message


def test_a_usable_header_still_reads_the_file_whole(ws: Workspace, tmp_path: Path) -> None:
    """The same file given as customers has their columns: it is read, and its damage
    told where it is, as before; undamaged, every row is imported."""
    damaged = _text_file(tmp_path / "damaged.csv", SHOPIFY_CUSTOMERS)
    with pytest.raises(SourceError) as raised:
        import_file(ws, "customers", damaged)
    assert f"{ROWS + 2}" in str(raised.value), str(raised.value)
    good = _text_file(tmp_path / "good.csv", SHOPIFY_CUSTOMERS, damaged=False)
    assert import_file(ws, "customers", good).rows == ROWS
