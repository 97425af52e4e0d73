"""Match a file's column headers to the canonical columns, in Chinese and English."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from kequn.core import yamlfile
from kequn.core.traditional import simplified

#: Buyer columns an order export may carry; used to derive customers from orders.
BUYER_COLUMNS = (
    "customer_name",
    "customer_phone",
    "customer_email",
    "customer_address",
    "customer_city",
    "customer_province",
    "customer_country",
    # the buyer's answer to e-mail marketing an order export carries (Shopify's
    # Accepts Marketing): the marketing_consent of the customer made from it
    "customer_marketing_consent",
)

_STRIP = re.compile(r"[\s_\-.:：()（）\[\]【】/]+")
#: a unit at the end of a header: 实付金额（元）, 金额(万元), 金额(千元), 金额（单位：元）,
#: Total (USD)
_UNIT = re.compile(
    r"\s*[(（\[【]\s*(?:单位\s*[:：]\s*)?"
    r"(元|万元|千元|百万元|亿元|人民币|rmb|cny|¥|￥|usd|\$|件|个|人|次|%)\s*[)）\]】]\s*$",
    re.IGNORECASE,
)
#: what a unit multiplies a money value by (a report in 千元 or 万元 of a business
#: customer's revenue, an order total in 千元)
UNIT_FACTORS = {"千元": 1_000, "万元": 10_000, "百万元": 1_000_000, "亿元": 100_000_000}


class MappingError(ValueError):
    """A mapping file that cannot be used; the message is translated and names the file."""


def strip_unit(header: str) -> tuple[str, str | None]:
    """``实付金额（元）`` -> (``实付金额``, ``元``); a header without a unit is returned as is.
    A unit in 繁體 is the same unit (``實付金額（萬元）`` -> (``实付金额``, ``万元``))."""
    text = str(header)
    found = _UNIT.search(simplified(text))
    if not found:
        return text, None
    return simplified(text)[: found.start()], found.group(1)


def shown_header(headers: list[str], index: int) -> str:
    """A column as the import's summary names it: its header, or where it has none (a
    trailing comma on every line, a column left untitled) its place, so a list of the
    columns not used does not read "Columns not used: , "."""
    if str(headers[index]).strip():
        return headers[index]
    from kequn.core.i18n import t

    return t("import.unnamed_column", n=index + 1)


def attribute_name(headers: list[str], index: int) -> str:
    """The key a column kept among a customer's attributes is stored under: its header,
    with its place where another column of the file has the same header (two 备注 columns
    are ``备注 (3)`` and ``备注 (4)``): under one key the import stopped ("Map keys must be
    unique"), and a second phone column beside the one read would pass for it."""
    header = str(headers[index])
    return f"{header} ({index + 1})" if headers.count(header) > 1 else header


def shown_columns(headers: list[str], matched: MappingResult, index: int) -> str:
    """A column as the summary names what a field was read from: its header, and the
    headers its empty cells are read from (``Phone / Default Address Phone``)."""
    return " / ".join(str(headers[i]) for i in [index, *matched.fallback_cells.get(index, [])])


def duplicate_headers(headers: list[str], matched: MappingResult) -> list[dict[str, Any]]:
    """The headers that head more than one column (two ``手机``, ``phone`` and ``Phone``,
    a 淘宝 export's repeated 备注), each with what its columns were taken for: only one
    can be read as a field, and the user is told which and where the others went.

    Each: ``{"header", "columns": [place, ...], "uses": [[place, use, what], ...]}``
    with use ``read`` (what: the field), ``kept`` (what: the attribute's key),
    ``parts`` (a part of the name) or ``unused``; places count from 1."""
    groups: dict[str, list[int]] = {}
    for index, header in enumerate(headers):
        norm = normalise_header(header)
        if norm:
            groups.setdefault(norm, []).append(index)
    fields: dict[int, str] = {}
    # a fallback (customer_id <- email) names the column its own field was read from
    for canonical, index in sorted(
        matched.columns.items(), key=lambda c: c[0] in matched.fallbacks
    ):
        fields.setdefault(index, canonical)
    parts = set(matched.name_parts[:2]) if matched.name_parts else set()
    found = []
    for indices in groups.values():
        if len(indices) < 2:
            continue
        uses: list[list[Any]] = []
        for index in indices:
            if index in fields:
                uses.append([index + 1, "read", fields[index]])
            elif index in matched.extra:
                uses.append([index + 1, "kept", attribute_name(headers, index)])
            elif index in parts:
                uses.append([index + 1, "parts", ""])
            else:
                uses.append([index + 1, "unused", ""])
        columns = [i + 1 for i in indices]
        found.append({"header": str(headers[indices[0]]), "columns": columns, "uses": uses})
    return found


#: characters simplified Chinese writes two ways in a header: 帐号 (京东's 下单帐号, and
#: OpenCC's 帳 -> 帐) and 账号 (the standard form people type) are one header
_VARIANTS = str.maketrans({"帐": "账"})


def normalise_header(text: str) -> str:
    """Fold width and case, drop separators and make traditional characters simplified, so
    ``Customer_ID`` == ``customer id``, ``訂單編號`` == ``订单编号`` and 下单帐号 == 下单账号."""
    folded = unicodedata.normalize("NFKC", str(text)).lower()
    return _STRIP.sub("", simplified(folded)).translate(_VARIANTS)


@functools.cache
def _synonyms() -> dict[str, Any]:
    text = resources.files("kequn.ingest").joinpath("headers.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yamlfile.safe_load(text)
    return data


def known_headers() -> set[str]:
    """Every header kequn recognises for any table, normalised."""
    out: set[str] = set()
    for table in ("customers", "orders", "events"):
        for words in _synonyms()[table].values():
            out.update(normalise_header(w) for w in words)
    return out


def synonyms_of(column: str) -> list[str]:
    """The headers of canonical ``column`` in any table (as headers.yaml writes them)."""
    return [
        w for table in ("customers", "orders", "events") for w in _synonyms()[table].get(column, [])
    ]


def value_synonyms(kind: str) -> dict[str | None, list[str]]:
    """Recognised raw values per canonical value, e.g. ``{"male": ["男", "m", ...]}``."""
    table = _synonyms()["values"][kind]
    return {
        (None if key is None else str(key)): [str(v).strip().lower() for v in values]
        for key, values in table.items()
    }


@dataclass
class MappingResult:
    """How a file's headers were matched: canonical column -> index of the file column."""

    columns: dict[str, int] = field(default_factory=dict)
    extra: list[int] = field(default_factory=list)  # kept as attributes (customers only)
    ignored: list[int] = field(default_factory=list)
    fallbacks: dict[str, str] = field(default_factory=dict)  # e.g. customer_id <- customer_email
    units: dict[str, str] = field(default_factory=dict)  # canonical column -> unit in its header
    #: a customer's name in two columns: (first, last, separator) as the file has them
    #: (Shopify's First Name / Last Name; 姓 / 名, written together without a space)
    name_parts: tuple[int, int, str] | None = None
    #: the file's own customer id where a contact keys its customers (Shopify's Customer
    #: ID, columns.key_as_buyers): the id of a row with neither e-mail nor phone
    own_id: int | None = None
    #: a column whose empty cells are read from other columns, in order (Shopify's Phone,
    #: else Default Address Phone: columns.key_as_buyers)
    fallback_cells: dict[int, list[int]] = field(default_factory=dict)


@dataclass
class MappingFile:
    """A user's mapping file: ``columns: {canonical: "header in file"}`` plus read options."""

    columns: dict[str, str | None] = field(default_factory=dict)
    encoding: str | None = None
    day_first: bool | None = None
    sheet: str | None = None
    #: values as well as columns: ``statuses: {待发货: paid}`` for words no profile knows
    statuses: dict[str, str] = field(default_factory=dict)
    #: ``channels: {抖音直播: online}``, ``sources: {老客推荐: referral}``: a file's own words
    #: for a channel or an acquisition source, read as the value given
    channels: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    format: str | None = None
    header_row: int | None = None
    name: str = ""

    @classmethod
    def load(cls, path: Path) -> MappingFile:
        from kequn.core.i18n import t
        from kequn.core.os_errors import os_reason
        from kequn.core.schema import ORDER_STATUSES

        name = Path(path).name
        text = None
        try:
            text = yamlfile.user_text(Path(path).read_bytes())
            data = yamlfile.safe_load(text) or {}
        except yaml.YAMLError as exc:  # the file, line, column and problem, in the language
            raise MappingError(yamlfile.yaml_error(exc, name, text)) from exc
        except (OSError, UnicodeDecodeError) as exc:
            if isinstance(exc, UnicodeDecodeError):
                line = exc.object[: exc.start].count(b"\n") + 1
                said: str | None = t("mapping.not_utf8", line=line)
            else:
                said = os_reason(exc) if isinstance(exc, OSError) else None
            detail = said or str(exc)[:300]
            raise MappingError(t("mapping.unreadable", file=name, detail=detail)) from exc
        if not isinstance(data, dict):
            raise MappingError(t("mapping.not_mapping", file=name))
        known = {
            "columns",
            "encoding",
            "day_first",
            "sheet",
            "statuses",
            "channels",
            "sources",
            "format",
            "header_row",
        }
        unknown = sorted(set(map(str, data)) - known)
        if unknown:
            raise MappingError(
                t(
                    "mapping.unknown_key",
                    file=name,
                    keys=", ".join(unknown),
                    known=", ".join(sorted(known)),
                )
            )
        columns = data.get("columns", {}) or {}
        statuses = data.get("statuses", {}) or {}
        channels = data.get("channels", {}) or {}
        sources = data.get("sources", {}) or {}
        if not all(isinstance(x, dict) for x in (columns, statuses, channels, sources)):
            raise MappingError(t("mapping.not_mapping", file=name))
        bad = {str(k): str(v) for k, v in statuses.items() if str(v) not in ORDER_STATUSES}
        if bad:
            raise MappingError(
                t("mapping.bad_status", file=name, bad=bad, allowed=", ".join(ORDER_STATUSES))
            )
        header_row = data.get("header_row")
        if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
            raise MappingError(t("mapping.bad_header_row", file=name, value=header_row))
        return cls(
            columns={str(k): (None if v is None else str(v)) for k, v in columns.items()},
            encoding=data.get("encoding"),
            day_first=data.get("day_first"),
            sheet=None if data.get("sheet") is None else str(data.get("sheet")),
            statuses={str(k).strip(): str(v) for k, v in statuses.items()},
            channels={str(k).strip().lower(): str(v) for k, v in channels.items()},
            sources={str(k).strip().lower(): str(v) for k, v in sources.items()},
            format=None if data.get("format") is None else str(data.get("format")),
            header_row=header_row,
            name=name,
        )


def match_headers(
    table: str, headers: list[str], mapping: MappingFile | None = None
) -> MappingResult:
    """Map each canonical column of ``table`` to at most one file column.

    Explicit entries of ``mapping`` win; then each header is compared with the synonym
    lists, and when two headers claim one column the better-ranked synonym wins (for
    instance 订单创建时间 over 订单付款时间 for the order time).
    """
    synonyms: dict[str, list[str]] = _synonyms()[table]
    stripped = [strip_unit(h) for h in headers]
    normalised = [normalise_header(h) for h, _ in stripped]
    result = MappingResult()
    explicit = mapping.columns if mapping else {}
    _apply_explicit(table, synonyms, normalised, explicit, result, mapping.name if mapping else "")
    _apply_synonyms(synonyms, normalised, explicit, result)
    for canonical, index in result.columns.items():
        if stripped[index][1]:
            result.units[canonical] = stripped[index][1] or ""
    if table == "customers":
        _first_filled(synonyms, normalised, explicit, result)
    _id_fallback(table, result)
    if table == "customers" and "name" not in result.columns:
        result.name_parts = _name_parts(normalised, set(result.columns.values()))
    taken = set(result.columns.values())
    if result.name_parts:
        taken |= set(result.name_parts[:2])
    if table == "customers" and "region" in result.columns:
        # read into the place columns, and kept as written (a place in Latin letters,
        # a district, is not read: kequn.ingest.region)
        taken.discard(result.columns["region"])
    for index in range(len(headers)):
        if index in taken:
            continue
        if table == "customers" and normalised[index]:
            result.extra.append(index)
        else:
            result.ignored.append(index)
    return result


#: the columns a file without an id column knows its customers by, in order: Shopify and
#: many shops identify buyers by e-mail or phone only; a member list without a member
#: number (有赞's 客户 export: 客户姓名, 客户手机号, ...) knows its customers so too, and
#: they get the ids its orders' buyers get (parse: _buyer_key), so their orders find them
_ID_FALLBACKS = {
    "orders": ("customer_email", "customer_phone", "customer_name"),
    "customers": ("email", "phone"),
}


def _id_fallback(table: str, result: MappingResult) -> None:
    if "customer_id" in result.columns:
        return
    for fallback in _ID_FALLBACKS.get(table, ()):
        if fallback in result.columns:
            result.columns["customer_id"] = result.columns[fallback]
            result.fallbacks["customer_id"] = fallback
            return


#: a given name's and a family name's headers, and how the two are written together
_NAME_PARTS = (
    ({"firstname", "givenname", "forename"}, {"lastname", "surname", "familyname"}, " "),
    ({"名"}, {"姓"}, ""),
)


def _name_parts(normalised: list[str], taken: set[int]) -> tuple[int, int, str] | None:
    for firsts, lasts, separator in _NAME_PARTS:
        first = [i for i, h in enumerate(normalised) if h in firsts and i not in taken]
        last = [i for i, h in enumerate(normalised) if h in lasts and i not in taken]
        if first and last:
            # Chinese is written family name first: (姓, 名) joined as 姓名
            return (first[0], last[0], separator) if separator else (last[0], first[0], "")
    return None


#: a customer's contact given in two columns (手机 empty, 手机号码 filled; two 手机): each
#: row's first filled is read
_FIRST_FILLED = ("phone", "email")


def _first_filled(
    synonyms: dict[str, list[str]],
    normalised: list[str],
    explicit: dict[str, str | None],
    result: MappingResult,
) -> None:
    """A contact column's empty cells read from the file's other columns headed as that
    contact (the better synonym first, then by place), as Shopify's Phone is backed by
    Default Address Phone: a member list of 手机 (empty on some rows) and 手机号码 left
    those customers without a phone, the number among their attributes only. The other
    columns stay attributes too, and two columns of one header are still told."""
    taken = set(result.columns.values())
    for canonical in _FIRST_FILLED:
        if canonical in explicit or canonical not in result.columns:
            continue
        ranks = [normalise_header(word) for word in synonyms[canonical]]
        others = [
            (ranks.index(norm), index)
            for index, norm in enumerate(normalised)
            if norm in ranks and index not in taken
        ]
        if others:
            result.fallback_cells[result.columns[canonical]] = [i for _, i in sorted(others)]


def _apply_explicit(
    table: str,
    synonyms: dict[str, list[str]],
    normalised: list[str],
    explicit: dict[str, str | None],
    result: MappingResult,
    name: str = "",
) -> None:
    from kequn.core.i18n import t

    for canonical, header in explicit.items():
        if canonical not in synonyms:
            known = ", ".join(synonyms)
            raise MappingError(
                t("mapping.unknown_column", file=name, column=canonical, table=table, known=known)
            )
        if header is None:
            continue
        want = normalise_header(strip_unit(header)[0])
        if want not in normalised:
            raise MappingError(
                t("mapping.missing_header", file=name, header=header, column=canonical)
            )
        result.columns[canonical] = normalised.index(want)


def _apply_synonyms(
    synonyms: dict[str, list[str]],
    normalised: list[str],
    explicit: dict[str, str | None],
    result: MappingResult,
) -> None:
    taken = set(result.columns.values())
    ranked = {c: [normalise_header(s) for s in words] for c, words in synonyms.items()}
    best: dict[str, tuple[int, int]] = {}  # canonical -> (synonym rank, column index)
    for index, norm in enumerate(normalised):
        if index in taken or not norm:
            continue
        for canonical, ranks in ranked.items():
            if canonical in explicit or norm not in ranks:
                continue
            rank = ranks.index(norm)
            if canonical not in best or rank < best[canonical][0]:
                best[canonical] = (rank, index)
    # A header may be the best synonym for two columns (e.g. 联系电话): give it to the
    # column where it ranks better and let the other column go without.
    by_index: dict[int, tuple[int, str]] = {}
    for canonical, (rank, index) in best.items():
        if index not in by_index or rank < by_index[index][0]:
            by_index[index] = (rank, canonical)
    for index, (_, canonical) in by_index.items():
        result.columns[canonical] = index
