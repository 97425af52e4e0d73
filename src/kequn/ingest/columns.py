"""Which of a file's columns an import reads: the platform profile for an order export
(named, else detected) and the columns it finds, and the required columns checked."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb

from kequn.core.i18n import local, t
from kequn.core.schema import TABLES
from kequn.ingest import formats
from kequn.ingest.convert import install_macros
from kequn.ingest.mapping import MappingFile, MappingResult, match_headers, normalise_header
from kequn.ingest.readers import SourceError, StagedSource


def profile_for(
    table: str, staged: StagedSource, name: str | None, *, guess: bool = True
) -> formats.Profile | None:
    """The export profile for an order file: the one named, else the one detected. A
    name that is no format, or one given for customers or interactions, is refused: it
    was ignored without a word, and the file read as if the user had not named it."""
    refuse_format(table, name)
    if table != "orders" or not staged.positional:
        return None
    if name:
        return formats.profiles()[name]
    return formats.detect(staged.headers) if guess else None


def refuse_format(table: str, name: str | None) -> None:
    """Refuse a format ``name`` that is none, or is named for customers or interactions
    (see :func:`profile_for`); :func:`kequn.ingest.importer.import_file` asks before
    the file is read, which it was whole first."""
    known = formats.profiles()
    if name and name not in known:
        raise SourceError(t("import.unknown_format", format=name, known=", ".join(known)))
    if name and table != "orders":
        raise SourceError(t("import.format_orders_only", format=name))


def profile_columns(
    table: str, staged: StagedSource, profile: Any, path: Path
) -> dict[str, list[int]]:
    """The columns a platform profile finds, and what it does not name that kequn's own
    synonyms do (下单时间 for the time); not the buyer, nor, for a platform's export, the
    channel: its orders came through the platform (JD's 订单来源 is the buyer's device,
    移动端订单, not a sales channel), while a generic shop sheet's 渠道 is its own."""
    found = profile.match(staged.headers)
    if profile.kind == "refunds":
        # an after-sale export: its refunds' order ids and money, nothing else (its
        # 订单付款时间 is no order's time here, its buyer no customer to make)
        lacking = [name for name in ("order_id", "refund_amount") if name not in found]
        if lacking:
            raise SourceError(
                t(
                    "import.aftersale_columns",
                    file=path.name,
                    format=local(profile),
                    found=headers_shown(staged.headers),
                )
            )
        return found
    one_platform = bool(profile.platform) and profile.platform != "generic"
    general = match_headers(table, staged.headers)
    taken = {i for idx in found.values() for i in idx}
    for canonical, index in general.columns.items():
        own = canonical == "customer_id" or (canonical == "channel" and one_platform)
        if canonical not in found and index not in taken and not own:
            found[canonical] = [index]
            taken.add(index)
    if "order_id" not in found:
        raise SourceError(t("import.format_no_order_id", file=path.name, format=profile.id))
    # an amount is the order's, else its lines' summed, else their unit prices times
    # quantities (shape); a time must be there
    needed = {"ordered_at": ("ordered_at",), "amount": ("amount", "line_amount", "line_price")}
    lacking = [name for name, anyof in needed.items() if not any(n in found for n in anyof)]
    if lacking:
        spec = {c.name: c for c in TABLES[table].columns}
        names = ", ".join(f"{n} ({spec[n].zh} / {spec[n].en})" for n in lacking)
        shown = headers_shown(staged.headers)
        raise SourceError(t("import.missing_required", file=path.name, missing=names, found=shown))
    return found


#: a buyer-key column of an order profile -> the customers column that holds the same
_KEY_COLUMNS = {"customer_email": "email", "customer_phone": "phone"}


def key_as_buyers(
    table: str, staged: StagedSource, matched: MappingResult
) -> tuple[formats.Profile, list[str]] | None:
    """A platform's customers export (Shopify's customers_export.csv: see its profile's
    ``customers_export``) is keyed as that platform's order export keys its buyers, so a
    customer and her orders meet whichever file came first: with Shopify's, the e-mail
    case-folded, else the phone, each a keyed pseudonym (parse: ``_buyer_key``; the
    profile's ``buyer_key``), not Shopify's Customer ID, which the orders export does not
    carry: that column is kept among the customer's attributes, and is the id of a
    customer with neither (no order of the export can be hers). ``matched`` is changed
    so; returns the profile (whose source the rows then take) and the columns of the
    key, best first, or None for any other file (a member list keeps its own id)."""
    if table != "customers" or not staged.positional:
        return None
    profile = formats.customers_export_of(staged.headers)
    if profile is None or profile.customers_export is None:
        return None
    _platform_phone(profile.customers_export.phone, staged.headers, matched)
    keys = [_KEY_COLUMNS[k] for k in profile.buyer_key if k in _KEY_COLUMNS]
    keys = [k for k in keys if k in matched.columns]
    if not keys:
        return None  # neither column: the file's own id, as any customers file's
    own = {normalise_header(h) for h in profile.customers_export.own_id}
    index = matched.columns.get("customer_id")
    if index is not None and not matched.fallbacks.get("customer_id"):
        if normalise_header(staged.headers[index]) not in own:
            return None  # an id column the platform does not write: the user's own
        matched.extra = sorted([*matched.extra, index])
        matched.own_id = index
    matched.columns["customer_id"] = matched.columns[keys[0]]
    matched.fallbacks["customer_id"] = keys[0]
    _platform_name(profile.customers_export.name, staged.headers, matched)
    return profile, keys


def held_as_given(con: duckdb.DuckDBPyConnection, staged: StagedSource, own_id: int) -> bool:
    """Whether the workspace already holds a customer of this customers export by the
    platform's own id, without a source (imported before such an export was keyed as its
    orders' buyers: Shopify's customers by their Customer ID): then it is read so again,
    and importing the same export again duplicates nobody, as an order export imported
    before sources existed keeps its ids (origin_pass: ``_default_source``)."""
    install_macros(con)
    row = con.execute(
        f"""SELECT EXISTS (SELECT 1 FROM read_parquet($path) r JOIN customers c
            ON c.customer_id = kq_text(r.c{int(own_id)}) AND c.origin IS NULL)""",
        {"path": str(staged.path)},
    ).fetchone()
    return bool(row and row[0])


def _platform_phone(phone: tuple[str, ...], headers: list[str], matched: MappingResult) -> None:
    """The customer's phone as the platform's export gives it, row by row the first filled
    of its columns: Shopify's Phone, else Default Address Phone (the phone of her address,
    which her orders' Billing Phone carries and the orders export keys her by when she
    left neither e-mail nor Phone). The later columns stay among her attributes too."""
    normalised = [normalise_header(h) for h in headers]
    found = [
        normalised.index(normalise_header(h)) for h in phone if normalise_header(h) in normalised
    ]
    if not found:
        return
    matched.columns["phone"] = found[0]
    matched.extra = [i for i in matched.extra if i != found[0]]
    if len(found) > 1:
        matched.fallback_cells[found[0]] = found[1:]


def _platform_name(name: tuple[str, ...], headers: list[str], matched: MappingResult) -> None:
    """The customer's name as the platform's export gives it (Shopify's First Name and
    Last Name), not a column kequn's synonyms took for a name (the older exports'
    Company, where she works), which is kept among her attributes."""
    normalised = [normalise_header(h) for h in headers]
    parts = [
        normalised.index(normalise_header(h)) for h in name if normalise_header(h) in normalised
    ]
    index = matched.columns.get("name")
    if len(parts) != 2 or index is None or index in parts:
        return
    del matched.columns["name"]
    matched.extra = sorted([*matched.extra, index])
    matched.extra = [i for i in matched.extra if i not in parts]
    matched.name_parts = (parts[0], parts[1], " ")


#: a message lists at most this many of a file's headers (a sheet may have thousands),
#: each cut to this many characters (a "header" may be a whole line of text: a file with
#: one 2 MB line put all of it in the message, the job file and the log)
MAX_HEADERS_SHOWN = 40
MAX_HEADER_CHARS = 60


def headers_shown(headers: list[str]) -> str:
    """A file's headers as a message lists them: the first few, each cut short."""
    shown = [
        (h[:MAX_HEADER_CHARS] + "…" if len(h) > MAX_HEADER_CHARS else h) if h else "?"
        for h in headers[:MAX_HEADERS_SHOWN]
    ]
    more = len(headers) - len(shown)
    return ", ".join(shown) + (f", … (+{more})" if more > 0 else "") or "-"


#: the id of a refund or after-sale case, the column an after-sale export is keyed by
#: (天猫 退款编号, 抖店 / 拼多多 售后单号 / 售后编号, 京东 服务单号, 有赞 维权编号, Amazon's
#: returns report Amazon RMA ID), as normalise_header writes it, with the spellings
#: exports and sheets give it (售后单号（子单）, 退款单ID, 售后服务单号, 退货退款单号); a
#: return's tracking number (退货物流单号) is none
_AFTER_SALE_ID = re.compile(
    r"((售后|退款|退货|退换货|退货退款|维权|逆向)(服务|申请|工)?单?|服务单)(号|编号|编码|id)(子单|主单)?"
    r"|(amazon|seller)?(refund|return|returnrequest|rma)(id|number|no)"
)
#: a cell saying nothing, or no money (0, 0.00, ¥0.00, 0元)
_NOTHING = r"\s*([-—－]*|[¥￥$]?\s*0+(\.0+)?\s*元?)\s*"


def refuse_after_sale(table: str, path: Path, staged: StagedSource, matched: MappingResult) -> None:
    """An after-sale export no profile reads (抖店's, 拼多多's, 京东's: their columns are
    not publicly defined) is refused in words, not read as orders: mapped as orders, each
    refund became a sale of its own, paid in full, doubling the order it refunds (天猫's
    is read by its profile, taobao_refunds). So is a platform's export a profile reads,
    given as customers or interactions: a Shopify orders_export.csv imported as customers
    made a customer of each order, named #1001 and keyed by the order's Id; and a
    platform's customers export given as orders or interactions
    (:func:`refuse_other_table`).

    Such a file is a refund in every row. A row of an order without a refund (its
    after-sale id and refund amount empty or 0) tells an order sheet that notes a
    refund's number beside the orders refunded, which is read as orders."""
    if staged.positional:
        refuse_other_table(table, path, staged.headers, matched)
    if table != "orders":
        return
    if "status" in matched.columns or "refunded" not in matched.columns:
        return
    ids = [
        i
        for i, h in enumerate(staged.headers)
        if _AFTER_SALE_ID.fullmatch(normalise_header(str(h or "")))
    ]
    if ids and not _order_without_refund(staged, ids[0], matched):
        column = staged.headers[ids[0]]
        raise SourceError(t("import.aftersale_other", file=path.name, column=column))


def refuse_other_table(
    table: str, path: Path, headers: list[str], matched: MappingResult | None
) -> None:
    """Refuse a file whose ``headers`` are another table's platform export, naming the
    file, the export and the command to use: an order export (its headers fit a
    profile) given as customers or interactions, and a platform's customers export
    (Shopify's customers_export.csv) given as orders or interactions, lacking their
    required columns (``matched``: its columns as ``table``'s; None: not known), which
    was told only as columns not found."""
    found = formats.detect(headers)
    if table != "orders" and found is not None:
        what, name = t(f"import.table_{table}"), local(found)
        raise SourceError(
            t("import.platform_export_not_table", file=path.name, format=name, table=what)
        )
    export = formats.customers_export_of(headers) if table != "customers" else None
    if export is None or export.customers_export is None or found is not None or matched is None:
        return
    spec = TABLES[table].columns
    if all(c.name in matched.columns or _derived_id(table, c.name) for c in spec if c.required):
        return
    what, name = t(f"import.table_{table}"), local(export.customers_export)
    raise SourceError(
        t("import.customers_export_not_table", file=path.name, format=name, table=what)
    )


def _order_without_refund(staged: StagedSource, id_index: int, matched: MappingResult) -> bool:
    """Whether a row of the file holds an order (its order id) with neither an after-sale
    id nor any refunded money."""
    order = matched.columns.get("order_id")
    if order is None:
        return False
    names = [f"c{i}" if staged.positional else h for i, h in enumerate(staged.headers)]
    cells = {"case_id": id_index, "refunded": matched.columns["refunded"], "order_id": order}
    con = duckdb.connect()
    try:
        rel = con.read_parquet(str(staged.path)).select(
            *(duckdb.ColumnExpression(names[i]).alias(alias) for alias, i in cells.items())
        )
        rel.create_view("kq_cells")
        row = con.execute(
            """SELECT count(*) FROM kq_cells WHERE
                coalesce(trim(CAST(order_id AS VARCHAR)), '') <> ''
                AND regexp_full_match(coalesce(CAST(case_id AS VARCHAR), ''), $nothing)
                AND regexp_full_match(coalesce(CAST(refunded AS VARCHAR), ''), $nothing)""",
            {"nothing": _NOTHING},
        ).fetchone()
    finally:
        con.close()
    return bool(row and row[0])


def require_columns(table: str, path: Path, staged: StagedSource, matched: MappingResult) -> None:
    spec = TABLES[table]
    found = headers_shown(staged.headers)

    def wanted(missing: list[str]) -> dict[str, Any]:
        # what the dashboard asks instead of a mapping file: which header holds each
        headers = [h for h in dict.fromkeys(staged.headers) if h and h.strip()]
        return {"table": table, "missing": missing, "headers": headers[:WANTED_HEADERS]}

    if not matched.columns:
        raise no_usable_column(table, path, staged.headers)
    missing = [c for c in spec.columns if c.required and c.name not in matched.columns]
    item_file = formats.item_file_of(staged.headers) if table == "orders" and missing else None
    if item_file is not None:
        raise SourceError(
            t(
                "import.item_file_alone" if item_file.item_file_alone else "import.item_file",
                file=path.name,
                format=local(item_file),
                order_file=item_file.order_file,
                id=item_file.id,
            )
        )
    # events may lack an id (one is derived); customers and orders may not
    missing = [c for c in missing if not _derived_id(table, c.name)]
    if missing:
        names = ", ".join(f"{c.name} ({c.zh} / {c.en})" for c in missing)
        raise SourceError(
            t("import.missing_required", file=path.name, missing=names, found=found),
            wanted=wanted([c.name for c in missing]),
        )


def no_usable_column(
    table: str, path: Path, headers: list[str], sheets: list[str] | None = None
) -> SourceError:
    """The error of a file none of whose ``headers`` is a column of ``table``; of a
    workbook of several ``sheets`` none of which has one, naming them (``headers`` the
    first's)."""
    required = [c for c in TABLES[table].columns if c.required]
    expected = ", ".join(f"{c.name} ({c.zh})" for c in required)
    found = headers_shown(headers)
    if sheets and len(sheets) > 1:
        said = t(
            "import.no_usable_sheet",
            file=path.name,
            sheets=", ".join(sheets),
            sheet=sheets[0],
            expected=expected,
            found=found,
        )
    else:
        said = t("import.no_usable_column", file=path.name, expected=expected, found=found)
    names = [h for h in dict.fromkeys(headers) if h and h.strip()]
    missing = [c.name for c in required if not _derived_id(table, c.name)]
    return SourceError(
        said, wanted={"table": table, "missing": missing, "headers": names[:WANTED_HEADERS]}
    )


def refuse_unusable(
    table: str,
    path: Path,
    found: list[tuple[str, list[str]]],
    mapping: MappingFile | None,
    named: str | None,
) -> None:
    """Refuse a workbook none of whose sheets' headers (``found``: title and names, as
    :func:`kequn.ingest.sheets.header_candidates` reads them from their first rows) has
    a column of ``table``, before any sheet is read whole: a workbook of 8 sheets and
    770 MB of other columns was read to its end first. A named format, or a header a
    platform's profile knows, is left to the import to judge; but a platform's order
    export given as customers or interactions, or its customers export given as orders
    or interactions, is refused as one here (:func:`refuse_other_table`), from the
    header of the sheet read first
    (``found[0]``), as :func:`refuse_after_sale` refuses it once read: a 2 GB Taobao
    export given as customers was read to its end (or to a damaged line far below,
    told instead) before it was told for what it is."""
    if named:
        return
    guess = not (mapping and mapping.columns)
    if guess and found:
        try:
            matched: MappingResult | None = match_headers(table, found[0][1], mapping)
        except SourceError:
            matched = None  # the mapping file's own error is told where it was
        refuse_other_table(table, path, found[0][1], matched)
    for _title, headers in found:
        if guess and formats.detect(headers):
            return  # a platform's export: left to the import
        try:
            if match_headers(table, headers, mapping).columns:
                return
        except SourceError:
            return  # the mapping file's own error is told where it was
    raise no_usable_column(table, path, found[0][1], [title for title, _ in found])


#: the most headers a file's missing-columns error hands the dashboard to choose from
WANTED_HEADERS = 500


def _derived_id(table: str, name: str) -> bool:
    """Whether a required column is one an import makes when the file lacks it (an
    interaction's id)."""
    return table == "events" and name == "event_id"
