"""The checks of a row's ids and contacts, before its other cells (:mod:`kequn.ingest.
validate`): ids Excel cut to 15 digits or holding a control character, a buyer known only
by a masked value, phones and e-mails that are none, long numbers kept as attributes; and
the one way every check files a problem (:meth:`IdCheckPass._problem`)."""

from __future__ import annotations

from typing import Any

from kequn.ingest import reasons
from kequn.ingest.cell_macros import SCIENTIFIC, plain
from kequn.ingest.mapping import attribute_name
from kequn.ingest.refunds import RefundPass

#: an id's control characters as a message shows them (\t, \n, \r, \x00): printed, a tab
#: looked like spaces and a line break broke the line (the quarantine keeps the cell whole)
_SHOWN_CONTROLS = (
    "replace(replace(replace(replace({}, chr(9), '\\t'), chr(10), '\\n'), chr(13), '\\r'), "
    "chr(0), '\\x00')"
)


class IdCheckPass(RefundPass):
    """Ids, buyers and contacts checked; problems filed."""

    def _problem(
        self,
        where: str,
        column: str,
        reason: str,
        severity: str,
        value: str = "NULL",
        detail: str = "NULL",
        *,
        why_column: bool = False,
        **params: Any,
    ) -> None:
        """Rows ``where`` holds, in the problems with ``reason``: a code of
        :mod:`kequn.ingest.reasons`, or with ``why_column`` the name of the column giving
        each row's (parse's why__ columns, which hold such codes: the table's CHECK
        refuses any other)."""
        if why_column:
            said = f'"{reason}"'
        elif reason in reasons.REASONS:
            said = f"'{reason}'"
        else:
            raise ValueError(f"unregistered reason {reason!r}: add it to kequn.ingest.reasons")
        self.sql(
            f"INSERT INTO problems SELECT _row, '{column}', {said}, '{severity}', "
            f"{value}, {detail} FROM parsed WHERE {where}",
            **params,
        )

    def _masked_contact(self, columns: list[str]) -> str | None:
        """SQL: a row's first masked phone or e-mail, of the columns that know its buyer
        when the id is empty (parse: ``_buyer_key``); None when no column does."""
        if self.table == "customers" and not self.matched.fallbacks.get("customer_id"):
            return None  # an id column as written: a contact never stands in for it
        prefix = "customer_" if self.table == "orders" else ""
        raws = [f'trim("raw__{prefix}{n}")' for n in ("phone", "email") if prefix + n in columns]
        if not raws:
            return None
        picks = [f"CASE WHEN kq_masked({raw}) THEN {raw} END" for raw in raws]
        return picks[0] if len(picks) == 1 else f"coalesce({', '.join(picks)})"

    def _check_ids(self, columns: list[str]) -> None:
        """Ids Excel cut to 15 digits, and an order's buyer that is only a masked value
        with no other key (parse: ``_buyer_key``)."""
        if self.table in ("orders", "customers") and "customer_id" in columns:
            self._problem(
                '"customer_id" IS NULL AND kq_masked(trim("raw__customer_id"))',
                "customer_id",
                reasons.MASKED_BUYER,
                "rejected",
                value='"raw__customer_id"',
            )
            masked = self._masked_contact(columns)
            if masked:
                # no id, and the contact that would have known the buyer masked (联系手机
                # 138****8000 beside an empty 买家会员名): that, not "customer_id empty"
                self._problem(
                    f'"customer_id" IS NULL AND kq_blank("raw__customer_id") '
                    f"AND {masked} IS NOT NULL",
                    "customer_id",
                    reasons.MASKED_BUYER,
                    "rejected",
                    value=masked,
                )
            # a phone or e-mail column giving the ids, and a cell that is neither (无,
            # 12345): no one's id, where it was one id that every such row shared. A
            # phone Excel cut (1.38001380012346E+16) is told as that, below, not as empty
            self._problem(
                '"customer_id" IS NULL AND NOT kq_blank("raw__customer_id") '
                'AND NOT kq_masked(trim("raw__customer_id")) '
                'AND NOT regexp_full_match(trim("raw__customer_id"), $scientific)',
                "customer_id",
                reasons.MISSING_REQUIRED,
                "rejected",
                value='"raw__customer_id"',
                scientific=SCIENTIFIC,
            )
        for name in ("order_id", "customer_id", "event_id"):
            if name in columns:
                # a tab, LF, CR or NUL inside an id (kq_text trims them at its edges and
                # drops the other controls): "C0<tab>01" was a customer of its own, and
                # an order naming C001 did not find her; refused in every table alike
                self._problem(
                    f'regexp_matches("{name}", $controls)',
                    name,
                    reasons.ID_CONTROL_CHAR,
                    "rejected",
                    value=_SHOWN_CONTROLS.format(f'"raw__{name}"'),
                    controls="[\t\n\r\x00]",
                )
                self._problem(
                    f'regexp_full_match(trim("raw__{name}"), $scientific)',
                    name,
                    reasons.ID_LOST_DIGITS,
                    "rejected",
                    value=f'"raw__{name}"',
                    scientific=SCIENTIFIC,
                )
        if self.table == "customers" and "phone" in columns:
            # a customer's phone so cut is emptied (the customer kept): stored, it was a
            # number every 138001xxxxx customer shared, for matching people and sending
            lost = 'regexp_full_match(trim("raw__phone"), $scientific)'
            self._problem(
                lost,
                "phone",
                reasons.PHONE_LOST_DIGITS,
                "warning",
                value='"raw__phone"',
                scientific=SCIENTIFIC,
            )
            self.sql(f"UPDATE parsed SET phone = NULL WHERE {lost}", scientific=SCIENTIFIC)
        if self.table == "customers":
            self._check_contacts(columns)
            self._check_kept_numbers(columns)

    def _check_kept_numbers(self, columns: list[str]) -> None:
        """A column kept among a customer's attributes (身份证号, 银行卡号 ...) whose
        cell is a number of more than 15 digits as Excel shows one (1.10101199003151E+17):
        its last digits are gone, and it was stored so without a word, a wrong number
        standing for the customer's. It is left out of the attributes, the customer kept,
        and named by row and header (the quarantine keeps the row as the file had it)."""
        if "attributes" not in columns or not self.matched.extra:
            return
        for index in self.matched.extra:
            header, key = self.staged.headers[index], attribute_name(self.staged.headers, index)
            cell = "element_at(attributes, $key)[1]"
            lost = f"regexp_full_match(trim({cell}), $scientific)"
            self.sql(
                f"""INSERT INTO problems SELECT _row, $header, '{reasons.NUMBER_LOST_DIGITS}',
                    'warning', {cell}, NULL FROM parsed WHERE {lost}""",
                header=header,
                key=key,
                scientific=SCIENTIFIC,
            )
            self.sql(
                "UPDATE parsed SET attributes = map_from_entries(list_filter("
                f"map_entries(attributes), lambda e: e.key <> $key)) WHERE {lost}",
                key=key,
                scientific=SCIENTIFIC,
            )

    def _check_contacts(self, columns: list[str]) -> None:
        """A customer's phone or e-mail that is none (abc, 12345, a name in the e-mail
        column) is emptied and reported, the customer kept: stored, a channel sent to it
        and people were matched on it. A word saying it was not given (保密, 暂无, n/a)
        is emptied without a report; a masked value is kept as written. The cell is
        read as the value was (full-width digits plain: a phone typed in a Chinese input
        method's full-width mode, １３８００１３８０００, was emptied as having no digits)."""
        for name, macro, reason in (
            ("phone", "kq_phone", reasons.NOT_A_PHONE),
            ("email", "kq_email", reasons.NOT_AN_EMAIL),
        ):
            if name not in columns:
                continue
            raw = "trim(" + plain(f'"raw__{name}"') + ")"
            self.sql(f'UPDATE parsed SET "{name}" = NULL WHERE kq_undisclosed({raw})')
            wrong = f'"{name}" IS NOT NULL AND NOT kq_masked({raw}) AND {macro}({raw}) IS NULL'
            self._problem(wrong, name, reason, "warning", value=f'"raw__{name}"')
            self.sql(f'UPDATE parsed SET "{name}" = NULL WHERE {wrong}')
