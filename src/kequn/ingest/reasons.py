"""Every code an import can give a person: why a row was quarantined or a value emptied
(stored in the quarantine and counted in the report's ``rejected_by_reason`` and
``warnings_by_reason``), and the notes of its summary (``notes``, message keys).

The code that emits them takes them from here, and the validation's ``problems`` table
accepts no other reason (a CHECK built from :data:`REASONS`): a new code cannot reach a
user without being added here, and the tests give each one words in 中文 and English
(``reason.CODE`` in full, ``reason_name.CODE`` in a few words, :mod:`kequn.core.messages_reasons`).
``--json`` keeps the codes, for machines; a person reads :func:`reason_name`.
"""

from __future__ import annotations

import re

from kequn.core.i18n import MESSAGES, t

_CODE = re.compile(r"[a-z][a-z0-9_]*")

#: code -> what emits it (for the reader of this file; the words are in core's messages)
REASONS: dict[str, str] = {}


def _reason(code: str, emitted_by: str) -> str:
    if not _CODE.fullmatch(code) or code in REASONS:
        raise ValueError(f"bad or repeated reason code {code!r}")
    REASONS[code] = emitted_by
    return code


# a cell that could not be read (convert.fragment and parse: the why__ columns)
BAD_CHOICE = _reason("bad_choice", "convert: a value not in a choice list (status, gender)")
BAD_BOOL = _reason("bad_bool", "convert: a yes/no column")
BAD_DATE = _reason("bad_date", "convert: a date or time; validate: a year before 1900")
BIRTHDAY_NO_YEAR = _reason("birthday_no_year", "parse: a birth date of a month and day only")
BAD_MONEY = _reason("bad_money", "convert: an amount")
BAD_NUMBER = _reason("bad_number", "convert: a whole number")
AMBIGUOUS_MONEY = _reason("ambiguous_money", "parse: 1.234 in a column of decimal commas")
# the validation's checks (validate)
MISSING_REQUIRED = _reason("missing_required", "validate: a required field empty")
MISSING_STATUS = _reason("missing_status", "validate: an order's status empty")
MASKED_BUYER = _reason("masked_buyer", "validate: a buyer known only masked")
ID_LOST_DIGITS = _reason("id_lost_digits", "validate: an id in scientific notation")
ID_CONTROL_CHAR = _reason("id_control_char", "validate: an id holding a tab, line break or NUL")
PHONE_LOST_DIGITS = _reason("phone_lost_digits", "validate: a phone in scientific notation")
NUMBER_LOST_DIGITS = _reason(
    "number_lost_digits", "validate: a customer's other column in scientific notation"
)
NOT_A_PHONE = _reason("not_a_phone", "validate: a customer's phone with too few digits (abc)")
NOT_AN_EMAIL = _reason("not_an_email", "validate: a customer's e-mail without an @")
FUTURE_DATE = _reason("future_date", "validate: a time after tomorrow")
NEGATIVE_AMOUNT = _reason("negative_amount", "validate: a negative amount, not a refund")
REFUND_OVER_AMOUNT = _reason("refund_over_amount", "validate: more refunded than paid")
OTHER_CURRENCY = _reason("other_currency", "validate: an order in another currency")
DUPLICATE_ID = _reason("duplicate_id", "validate: an id twice in the file")
REFUND_ORDER_REJECTED = _reason(
    "refund_order_rejected", "refunds: a refund row of an order whose row was quarantined"
)
REFUND_NOT_THIS_ORDER = _reason(
    "refund_not_this_order", "refunds: a refund row under a stored order's id, not its refund"
)
AFTERSALE_ORDER_UNKNOWN = _reason(
    "aftersale_order_unknown", "aftersale: a refund in an after-sale export of no stored order"
)
AFTERSALE_ORDER_UNPAID = _reason(
    "aftersale_order_unpaid", "aftersale: a refund in an after-sale export of an unpaid order"
)
UNKNOWN_CUSTOMER = _reason("unknown_customer", "validate: an order of an unknown customer")
CUSTOMER_OF_SOURCE = _reason(
    "customer_of_source", "origin: a file with no source naming a customer stored as a source's"
)
# a line of the file that is no row (readers: ragged and unclosed lines)
BAD_ROW = _reason("bad_row", "validate: a line with more or fewer fields than the header")
UNCLOSED_QUOTE = _reason("unclosed_quote", "validate: a quote the file never closes")

#: the notes an import's summary can carry (``ImportReport.notes``): message keys
NOTES: tuple[str, ...] = (
    "import.key_nickname",
    "import.key_guest",
    "import.key_missing",
    "import.partial_refund_unknown",
    "import.currency_differs",
    "import.source_kept_ids",
    "import.refund_rows",
    "import.aftersale_applied",
)


def note(key: str) -> str:
    """A note's key, checked to be one of :data:`NOTES`."""
    if key not in NOTES:
        raise ValueError(f"unregistered import note {key!r}")
    return key


def reason_check(column: str = "reason") -> str:
    """A CHECK constraint that ``column`` holds a registered code (our own codes, quoted:
    no user text)."""
    return f"CHECK ({column} IN ({', '.join(repr(code) for code in sorted(REASONS))}))"


def reason_name(code: str, lang: str | None = None) -> str:
    """A reason in a few words (退款多于实付 / refund more than paid); a code no longer
    known (kept in an old workspace's quarantine) is named as a code, with words."""
    key = f"reason_name.{code}"
    if key in MESSAGES:
        return t(key, lang)
    return t("reason_name.unknown", lang, code=code)


#: a reason quotes at most this much of its value: a 100 KB cell was printed whole in
#: the import's summary, the job's report and every listing of the quarantine
MAX_VALUE_CHARS = 80


def quoted(value: str | None) -> str | None:
    """``value`` as a message quotes it: at most :data:`MAX_VALUE_CHARS` characters,
    with the length of a longer one."""
    if value is not None and len(value) > MAX_VALUE_CHARS:
        return value[:MAX_VALUE_CHARS] + f"… ({len(value):,})"
    return value
