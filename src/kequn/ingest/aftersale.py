"""After-sale exports: a platform's file of refunds, one row per refund of an order
(天猫 / 淘宝 千牛's 退款管理 export: 退款编号, 订单编号, 买家退款金额 or the newer 退给买家金额,
退款状态 ...), read by a profile of ``kind: refunds`` (:mod:`kequn.ingest.formats`).

Such a file holds no order: each row is a refund of an order the platform's order
export stored. Its rows go through the refund rows' path (:mod:`kequn.ingest.refunds`),
as refunds of stored orders:

- a refund that succeeded (退款成功) becomes a refund row of its order: the order's
  refunded amount becomes the sum of its distinct refunds, by 退款编号, this file's and
  those earlier files applied (:mod:`kequn.ingest.refund_ledger`: March's and April's
  exports add up, importing either again changes nothing), or what the order held if
  that is more;
- a refund closed, refused or still under way (退款关闭, 卖家拒绝退款, 等待卖家同意 ...),
  or whose status word no profile knows, changes nothing: it is counted in the report
  as not applied, with why; so is a second row of one refund (its 退款编号 again: the
  same money, counted once);
- a refund of an order no import stored, or stored unpaid, is quarantined, naming the
  row and its 订单编号 (import the order export, then retry): nothing in the file ever
  becomes an order or a customer.

An order id is resolved as the platform's order export stored it: a file's 订单编号
``123`` is ``taobao:123`` (or ``taobao_<shop>:123``) where the orders are the platform
source's, and ``123`` where they were imported before sources existed; the export
guards (``="123"``, ``'123``) are stripped as in the order export.
"""

from __future__ import annotations

from typing import Any

from kequn.ingest import formats, reasons, refund_ledger
from kequn.ingest.convert import other_spellings, plain_key, with_spellings
from kequn.ingest.validate import ValidatePass
from kequn.ingest.write import WritePass

#: the refund states (a profile's ``refund_statuses``) that returned money
_APPLIED = ("refunded", "partially_refunded")
#: why a refund was not applied -> the rows of ``kq_aftersale`` it covers
NOT_APPLIED = {
    "repeated": "repeated",
    "closed": "NOT repeated AND state = 'none'",
    "in_progress": "NOT repeated AND state = 'refunding'",
    "unknown": "NOT repeated AND state IS NULL",
    "zero": f"NOT repeated AND state IN {_APPLIED} AND money = 0",
}
#: the columns of ``parsed`` an after-sale file gives (its refunds as refund rows)
_COLUMNS = ["order_id", "amount", "status"]


class AfterSalePass(ValidatePass, WritePass):
    """An after-sale export's refunds applied to the stored orders (see the module)."""

    origin: str | None = None

    def _after_sale(self, profile: formats.Profile, found: dict[str, list[int]]) -> None:
        """The whole import of an after-sale file (``raw`` registered already)."""
        columns = list(_COLUMNS)
        # what _fold_refunds leaves of the stored orders it changed (none: an empty table)
        self.sql(
            "CREATE OR REPLACE TEMP TABLE kq_stored "
            "(order_id VARCHAR, money DECIMAL(18, 2), rows BIGINT[])"
        )
        self._after_sale_rows(profile, found)
        self._after_sale_ids(profile)
        self._check_cells(columns)
        # the money's problems are of the refund: named as the file's refund column
        self.sql("UPDATE problems SET \"column\" = 'refunded' WHERE \"column\" = 'amount'")
        self._check_after_sale_orders()
        self._check_refunds(columns)
        self._earlier_refunds(columns)
        self._fold_refunds(columns)
        self._record_refunds()
        if "import.refund_rows" in self.report.notes:
            self.report.notes.remove("import.refund_rows")
        if self.report.refund_rows:
            self.report.notes.append(reasons.note("import.aftersale_applied"))
        # every refund is folded into its order or quarantined: none is ever an order
        self.sql(f"DELETE FROM parsed WHERE _row NOT IN {self._rejected_rows()}")
        self._quarantine()
        row = self.con.execute("SELECT count(*) FROM kq_stored").fetchone()
        touched = int(row[0]) if row else 0
        self.report.accepted = self.report.refund_rows
        self.report.updated = self.report.refunds_applied
        self.report.unchanged = touched - self.report.refunds_applied
        self._log()

    def _after_sale_rows(self, profile: formats.Profile, found: dict[str, list[int]]) -> None:
        """``parsed``: the refunds that returned money, each as a refund row of its order
        (a negative amount, status refunded); the others counted as not applied."""

        def col(name: str) -> str:
            cells = [f"kq_clean(c{i})" for i in found.get(name, [])]
            if not cells:
                return "CAST(NULL AS VARCHAR)"
            return cells[0] if len(cells) == 1 else "coalesce(" + ", ".join(cells) + ")"

        keys: list[str | None] = [plain_key(k) for k in profile.refund_statuses]
        vals: list[str | None] = list(profile.refund_statuses.values())
        word = col("refund_status")
        if found.get("refund_status"):
            cols = [f"c{i}" for i in found["refund_status"]]
            keys, vals = with_spellings(keys, vals, other_spellings(self.con, word, cols, keys))
        # a refund is one row (退款编号 unique): a second row of it (the file holds it
        # twice, or two exports pasted together) is the same money, counted once, its
        # row that succeeded kept
        self.sql(
            f"""CREATE OR REPLACE TEMP TABLE kq_aftersale AS
            SELECT *, refund_id IS NOT NULL AND row_number() OVER (
                    PARTITION BY order_id, refund_id
                    ORDER BY coalesce(state IN {_APPLIED}, false) DESC, _row) > 1 AS repeated
            FROM (SELECT _row, order_id, refund_id, money_text,
                    abs(kq_money(money_text)) AS money, word, kq_pick(word, $rkeys, $rvals) AS state
                FROM (SELECT _row, {col("order_id")} AS order_id, {col("refund_id")} AS refund_id,
                             {col("refund_amount")} AS money_text, {word} AS word FROM raw))""",
            rkeys=keys or [""],
            rvals=vals or [None],
        )
        counts = self.con.execute(
            "SELECT "
            + ", ".join(f"count(*) FILTER (WHERE {where})" for where in NOT_APPLIED.values())
            + " FROM kq_aftersale"
        ).fetchone()
        self.report.refunds_not_applied = {
            why: int(n) for why, n in zip(NOT_APPLIED, counts or (), strict=False) if n
        }
        self.report.unknown_refund_words = {
            str(w): int(n)
            for w, n in self.con.execute(
                "SELECT word, count(*) FROM kq_aftersale WHERE state IS NULL AND word IS NOT NULL "
                "AND NOT repeated "
                "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20"
            ).fetchall()
        }
        # a refund that succeeded with its money unreadable or missing goes on, so the
        # validation names its row and column (a 0 refunded nothing: not applied)
        self.sql(
            f"""CREATE OR REPLACE TEMP TABLE parsed AS SELECT _row,
                order_id, refund_id, order_id AS raw__order_id, false AS bad__order_id,
                '' AS why__order_id,
                -money AS amount, money_text AS raw__amount,
                (money_text IS NOT NULL AND money IS NULL) AS bad__amount,
                '{reasons.BAD_MONEY}' AS why__amount,
                'refunded' AS status, word AS raw__status, false AS bad__status,
                '' AS why__status
            FROM kq_aftersale
            WHERE state IN {_APPLIED} AND (money IS NULL OR money > 0) AND NOT repeated"""
        )
        headers = self.staged.headers
        shown: dict[str, Any] = {
            "order_id": found.get("order_id"),
            "refunded": found.get("refund_amount"),
            "refund_status": found.get("refund_status"),
        }
        self.report.mapping = {name: headers[idx[0]] for name, idx in shown.items() if idx}
        self.report.buyer_key = []

    def _after_sale_ids(self, profile: formats.Profile) -> None:
        """Each refund's order id as its order is stored: the source named's, else as
        given where an order has it (imported before sources existed, or with
        --no-source), else the platform's or one of its shops' that holds the order.
        Found row by row on every import, a retry of the quarantine's included (which
        names no source: the rows' orders may have come since)."""
        if self.origin is not None:
            self.sql("UPDATE parsed SET order_id = $origin || ':' || order_id")
            self.report.origin = self.origin
            return
        if not profile.source:
            return
        self.sql(
            # the stored id without its "origin:" prefix against the file's (a hash join)
            """CREATE OR REPLACE TEMP TABLE kq_owner AS
            SELECT p._row, min(o.order_id) AS stored, min(o.origin) AS origin
            FROM parsed p JOIN orders o ON substr(o.order_id, length(o.origin) + 2) = p.order_id
            WHERE (o.origin = $platform OR starts_with(o.origin, $platform || '_'))
              AND p.order_id NOT IN (SELECT order_id FROM orders WHERE origin IS NULL)
            GROUP BY p._row""",
            platform=profile.source,
        )
        self.sql("UPDATE parsed SET order_id = k.stored FROM kq_owner k WHERE k._row = parsed._row")
        row = self.con.execute(
            "SELECT origin FROM kq_owner GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
        ).fetchone()
        self.report.origin = str(row[0]) if row else None

    def _check_after_sale_orders(self) -> None:
        """A refund of an order no import stored, or stored unpaid, is quarantined (never
        an order of its own); the rest are refund rows of stored sales (refunds.py)."""
        rejected = self._rejected_rows()
        self.sql(
            f"""INSERT INTO problems SELECT p._row, 'order_id', '{reasons.AFTERSALE_ORDER_UNKNOWN}',
                'rejected', p.raw__order_id, NULL
            FROM parsed p ANTI JOIN orders o ON o.order_id = p.order_id
            WHERE p.order_id IS NOT NULL AND p._row NOT IN {rejected}"""
        )
        self.sql(
            f"""INSERT INTO problems SELECT p._row, 'order_id', '{reasons.AFTERSALE_ORDER_UNPAID}',
                'rejected', p.raw__order_id, o.status
            FROM parsed p JOIN orders o ON o.order_id = p.order_id
            WHERE (o.status = 'pending' OR o.amount < 0) AND p._row NOT IN {rejected}"""
        )

    def _earlier_refunds(self, columns: list[str]) -> None:
        """Each order's refunds that earlier files applied and this one does not list
        (by 退款编号: refund_ledger) added to the order's first refund row here, so that
        the order's refunded amount becomes the sum of its distinct refunds, whichever
        files they came in."""
        refund_ledger.create(self.con)
        self.sql(
            "CREATE OR REPLACE TEMP TABLE kq_file_refunds (_row BIGINT, order_id VARCHAR, "
            "refund_id VARCHAR, money DECIMAL(18, 2))"
        )
        if not self._refund_rows_apply(columns):
            return  # no refund that succeeded
        self.sql(
            """INSERT INTO kq_file_refunds SELECT r._row, r.order_id, p.refund_id, r.money
            FROM kq_refund_rows r JOIN parsed p USING (_row) WHERE p.refund_id IS NOT NULL"""
        )
        self.sql(
            f"""UPDATE kq_refund_rows r SET money = r.money + e.money
            FROM (SELECT l.order_id, sum(l.amount) AS money FROM {refund_ledger.TABLE} l
                  WHERE l.order_id IN (SELECT order_id FROM kq_refund_rows)
                    AND NOT EXISTS (SELECT 1 FROM parsed p WHERE p.order_id = l.order_id
                                    AND p.refund_id = l.refund_id)
                  GROUP BY l.order_id) e,
                 (SELECT order_id, min(_row) AS first FROM kq_refund_rows GROUP BY 1) f
            WHERE e.order_id = r.order_id AND f.order_id = r.order_id AND f.first = r._row"""
        )

    def _record_refunds(self) -> None:
        """The refunds applied to stored orders kept by their 退款编号 (the amount a
        later file gives one replaces what an earlier one gave)."""
        applied = "SELECT * FROM kq_file_refunds WHERE _row IN (SELECT unnest(rows) FROM kq_stored)"
        self.sql(
            f"""DELETE FROM {refund_ledger.TABLE} l USING ({applied}) f
            WHERE l.order_id = f.order_id AND l.refund_id = f.refund_id"""
        )
        self.sql(
            f"""INSERT INTO {refund_ledger.TABLE}
            SELECT order_id, refund_id, money, $import_id FROM ({applied})""",
            import_id=self.report.import_id,
        )
