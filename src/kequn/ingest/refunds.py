"""Refund rows: a refund written as a row of its own that carries its order's id, in a
file of one row per order (a hand-made sheet, a shop's sales CSV, ``--format generic``).

Which exports write such rows, from their public definitions: Amazon's payment reports
(the Date Range Report's transaction CSV: ``Type`` Order / Refund, one row each under the
same ``Order ID``, a refund's ``Product Sales`` and ``Total`` negative; Seller Central
help, itemID 200989190) and the platforms' after-sale exports (天猫 退款管理: 退款编号,
订单编号, 买家实际支付金额, 买家退款金额, 退款状态 per refund; github-code-index
43486263103, 7784197486; 天猫's is read by its own profile, ``taobao_refunds``, whose rows
come here as refunds of stored orders: :mod:`kequn.ingest.aftersale`). None of these is an
order export a profile of :mod:`kequn.ingest.formats` reads: the profiles' exports carry
a refund on the order's own row (退款金额, Refunded Amount, refunded_total, 售后状态) or
fold item rows by ``line_items``. What remains are sheets that list a refund under its
order's number: ``A1, 100, 已完成`` and then ``A1, -30, 已退款``.

Such a row is a refund of the order, unambiguously, when all of these hold:

- its amount is negative (money going back; a positive repeat stays a duplicate: it may
  be the order listed twice, or its later state, and nothing tells which);
- the file says refund (its status reads refunded or partially refunded), or the file
  has no status column at all (a sales CSV of amounts, where a negative row is a return);
- the same file has the order's sale (a row of the same id and the same buyer, amount
  not negative, not pending).

Its money is then added to the order's refunded amount (never below what the order's
own row already says was refunded, never above the amount paid: more is kept as all and
reported) and the order becomes refunded or partially refunded; the row itself is not
an order and is not stored as one. A refund of an order whose row was quarantined is
quarantined with it, so fixing the order and retrying brings both back.

A file may hold refunds alone, of orders an earlier import stored: the stored order's
refunded amount becomes the larger of what it holds and what the file's refund rows of
it add up to (importing the refunds again changes nothing). A refund under the id of a
stored order of another buyer, or unpaid, is quarantined: written over the order as an
order of its own, it replaced a sale by a negative amount.
"""

from __future__ import annotations

from kequn.ingest import reasons
from kequn.ingest._pass import Pass, settled_by_refund

_NEW_COLUMN = (
    "ALTER TABLE parsed ADD COLUMN {name} {kind}; "
    "ALTER TABLE parsed ADD COLUMN raw__{name} VARCHAR; "
    "ALTER TABLE parsed ADD COLUMN bad__{name} BOOLEAN DEFAULT false; "
    "ALTER TABLE parsed ADD COLUMN why__{name} VARCHAR DEFAULT ''"
)


class RefundPass(Pass):
    """Refund rows found, spared the duplicate check, and folded into their orders."""

    #: whether the rows were one per item, folded already (no refund rows then)
    line_items: bool = False

    #: whether the file has a negative amount (None: not asked yet)
    _negatives: bool | None = None

    def _refund_rows_apply(self, columns: list[str]) -> bool:
        """Whether refund rows can be in the file: orders, one row per order, and some
        amount negative (asked once: a file without one, most, pays one scan of its
        amounts instead of the joins with every stored order the checks need)."""
        if self.table != "orders" or "amount" not in columns or self.line_items:
            return False
        if self._negatives is None:
            row = self.con.execute("SELECT count(*) FROM parsed WHERE amount < 0").fetchone()
            self._negatives = bool(row and row[0])
        return self._negatives

    def _sale_sql(self, columns: list[str], alias: str) -> str:
        """A row that is an order's sale (on ``parsed`` as ``alias``)."""
        sale = f"{alias}.amount >= 0 AND {alias}.order_id IS NOT NULL"
        if "status" in columns:
            sale += f" AND {alias}.status <> 'pending'"
        return sale

    def refund_row_sql(self, columns: list[str]) -> str:
        """SQL true on a row of ``parsed`` (unaliased) that is a refund of an order whose
        sale the file holds; false where refund rows do not apply."""
        if not self._refund_rows_apply(columns):
            return "false"
        said = self._said_refund(columns)
        buyer = (
            " AND s.customer_id IS NOT DISTINCT FROM parsed.customer_id"
            if "customer_id" in columns
            else ""
        )
        in_file = (
            f"EXISTS (SELECT 1 FROM parsed s WHERE s.order_id = parsed.order_id{buyer} "
            f"AND {self._sale_sql(columns, 's')})"
        )
        # or the order was imported before, and this file has no row of its sale
        stored = (
            f"(EXISTS (SELECT 1 FROM orders s WHERE s.order_id = parsed.order_id{buyer} "
            f"AND {self._sale_sql(['status'], 's')}) AND NOT EXISTS (SELECT 1 FROM parsed s "
            "WHERE s.order_id = parsed.order_id AND s.amount >= 0))"
        )
        return f"(parsed.amount < 0 AND {said} AND ({in_file} OR {stored}))"

    def _said_refund(self, columns: list[str]) -> str:
        return (
            "parsed.status IN ('refunded', 'partially_refunded')" if "status" in columns else "true"
        )

    def _check_refunds(self, columns: list[str]) -> None:
        """The refund rows found (after the duplicates, before buyers are derived from
        the rows): a refund of an order whose row was quarantined is quarantined with it,
        and one under the id of an order an earlier import stored for another buyer (or
        unpaid) is quarantined rather than written over that order."""
        if not self._refund_rows_apply(columns):
            return
        rejected = self._rejected_rows()
        self.sql(
            f"""CREATE OR REPLACE TEMP TABLE kq_refund_rows AS
            SELECT _row, order_id, -amount AS money FROM parsed
            WHERE {self.refund_row_sql(columns)} AND _row NOT IN {rejected}"""
        )
        self.sql(
            f"""CREATE OR REPLACE TEMP TABLE kq_sales AS
            SELECT order_id, min(_row) AS sale_row, bool_or(_row NOT IN {rejected}) AS kept
            FROM parsed p WHERE {self._sale_sql(columns, "p")} GROUP BY order_id"""
        )
        # the order's row was quarantined (a date that is no date, a duplicate): its
        # refunds go with it, named, so that nothing of either is lost
        self.sql(
            f"""INSERT INTO problems SELECT r._row, 'order_id', '{reasons.REFUND_ORDER_REJECTED}',
                'rejected', r.order_id, CAST(s.sale_row AS VARCHAR)
            FROM kq_refund_rows r JOIN kq_sales s USING (order_id) WHERE NOT s.kept"""
        )
        self.sql(
            f"""INSERT INTO problems SELECT _row, 'order_id', '{reasons.REFUND_NOT_THIS_ORDER}',
                'rejected', order_id, NULL FROM parsed
            WHERE amount < 0 AND {self._said_refund(columns)} AND _row NOT IN {rejected}
              AND order_id IN (SELECT order_id FROM orders WHERE amount >= 0)
              AND NOT EXISTS (SELECT 1 FROM parsed s WHERE s.order_id = parsed.order_id
                              AND s.amount >= 0)
              AND NOT {self.refund_row_sql(columns)}"""
        )

    def _fold_refunds(self, columns: list[str]) -> None:
        """Each refund row's money added to its order's sale row, the rows themselves
        taken out of what is stored (see the module's docstring)."""
        if not self._refund_rows_apply(columns):
            return
        rejected = self._rejected_rows()
        # a refund row of an unknown buyer was quarantined with its order (the same buyer)
        self.sql(f"DELETE FROM kq_refund_rows WHERE _row IN {rejected}")
        if not self._count("kq_refund_rows"):
            return
        sale = self._sale_sql(columns, "p")
        self.sql(
            f"""CREATE OR REPLACE TEMP TABLE kq_folded AS
            SELECT r.order_id, first_sale.sale_row, sum(r.money) AS money,
                list(r._row ORDER BY r._row) AS rows
            FROM kq_refund_rows r JOIN (
                SELECT p.order_id, min(p._row) AS sale_row FROM parsed p
                JOIN kq_sales s USING (order_id) WHERE s.kept AND p._row NOT IN {rejected}
                  AND {sale} GROUP BY p.order_id
            ) first_sale USING (order_id)
            GROUP BY r.order_id, first_sale.sale_row"""
        )
        settles = "status" not in columns and "refunded" in columns
        for name, kind in (("refunded", "DECIMAL(18, 2)"), ("status", "VARCHAR")):
            if name not in columns:
                for statement in _NEW_COLUMN.format(name=name, kind=kind).split("; "):
                    self.sql(statement)
                # the other rows keep what the workspace holds (an update changes nothing
                # the file does not say); a new order is paid, as without the column
                stored = f'(SELECT o."{name}" FROM orders o WHERE o.order_id = parsed.order_id)'
                fallback = "'paid'" if name == "status" else "NULL"
                self.sql(f'UPDATE parsed SET "{name}" = coalesce({stored}, {fallback})')
                columns.append(name)
        if settles:
            # the file's refund column settles a sale's status, as without refund rows
            # (kequn.ingest.write): a paid order refunded in full stayed paid
            self.sql(
                f"UPDATE parsed SET status = "
                f"{settled_by_refund('status', 'refunded', 'amount', stored=True)}"
            )
        # the order's own row may say some was refunded already (a status 已退款, a refund
        # column): the refund rows may be that same money, so the larger of the two counts
        total = "greatest(coalesce(p.refunded, 0), f.money)"
        self.sql(
            f"""INSERT INTO problems SELECT p._row, 'refunded', '{reasons.REFUND_OVER_AMOUNT}',
                'warning', CAST({total} AS VARCHAR), CAST(p.amount AS VARCHAR)
            FROM parsed p JOIN kq_folded f ON f.sale_row = p._row
            WHERE {total} > p.amount AND p.amount > 0"""
        )
        self.sql(
            f"""UPDATE parsed p SET refunded = least({total}, p.amount),
                status = CASE WHEN {total} >= p.amount THEN 'refunded'
                    ELSE 'partially_refunded' END
            FROM kq_folded f WHERE f.sale_row = p._row"""
        )
        self._fold_into_stored(rejected)
        folded = self.con.execute(
            "SELECT count(*) FROM (SELECT unnest(rows) FROM kq_folded)"
        ).fetchone()
        self.sql("DELETE FROM parsed WHERE _row IN (SELECT unnest(rows) FROM kq_folded)")
        self.report.refund_rows = int(folded[0]) if folded else 0
        if self.report.refund_rows:
            self.report.notes.append(reasons.note("import.refund_rows"))

    def _fold_into_stored(self, rejected: str) -> None:
        """Refund rows of orders an earlier import stored (the file has no row of their
        sale): the stored order's refunded amount becomes the larger of what it holds and
        what this file's refund rows of it add up to, so importing the same refunds again
        changes nothing (an order's refunds spread over several files count as those of
        the file with the most; an after-sale export's, which name each refund, add up:
        :mod:`kequn.ingest.aftersale`)."""
        self.sql(
            f"""CREATE OR REPLACE TEMP TABLE kq_stored AS
            SELECT r.order_id, sum(r.money) AS money, list(r._row ORDER BY r._row) AS rows
            FROM kq_refund_rows r JOIN orders o ON o.order_id = r.order_id
            WHERE r._row NOT IN {rejected}
              AND r.order_id NOT IN (SELECT order_id FROM parsed WHERE amount >= 0
                                     AND order_id IS NOT NULL)
            GROUP BY r.order_id"""
        )
        total = "greatest(coalesce(o.refunded, 0), s.money)"
        first = "s.rows[1]"
        self.sql(
            f"""INSERT INTO problems SELECT {first}, 'refunded', '{reasons.REFUND_OVER_AMOUNT}',
                'warning', CAST({total} AS VARCHAR), CAST(o.amount AS VARCHAR)
            FROM kq_stored s JOIN orders o USING (order_id)
            WHERE {total} > o.amount AND o.amount > 0"""
        )
        status = f"CASE WHEN {total} >= o.amount THEN 'refunded' ELSE 'partially_refunded' END"
        changed = (
            f"(least({total}, o.amount) IS DISTINCT FROM o.refunded "
            f"OR {status} IS DISTINCT FROM o.status)"
        )
        row = self.con.execute(
            f"SELECT count(*) FROM kq_stored s JOIN orders o USING (order_id) WHERE {changed}"
        ).fetchone()
        self.report.refunds_applied = int(row[0]) if row else 0
        # the order changed: it is this import's now (the feature state finds what an
        # import changed by the rows each import holds, kequn.features.state)
        self.sql(
            f"""UPDATE orders o SET refunded = least({total}, o.amount), status = {status},
                import_id = $import_id
            FROM kq_stored s WHERE s.order_id = o.order_id AND {changed}""",
            import_id=self.report.import_id,
        )
        self.sql("INSERT INTO kq_folded SELECT order_id, NULL, money, rows FROM kq_stored")
