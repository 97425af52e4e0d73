"""Writing what passed: customers derived from an order export's buyer columns (or from
interactions), the upsert by id, an order export's item lines, and the import log."""

from __future__ import annotations

import datetime as dt
import json

from kequn.ingest import refund_ledger
from kequn.ingest._pass import Pass, settled_by_refund
from kequn.ingest.shape import line_rows

#: How a derived customer's province and city are read from a Chinese shipping address.
_PROVINCE_RE = r"^\s*([^\s省]{2,7}省|[^\s]{2,10}?自治区|北京|上海|天津|重庆|香港|澳门)"
_CITY_RE = r"^(?:市)?\s*([^\s市]{1,8}?(?:市|自治州|地区|盟))"
_INSERT_DEFAULTS = {"orders": {"status": "'paid'"}}
#: columns an update leaves as stored where the file's cell is blank
_KEPT_WHEN_BLANK = {"customers": ("marketing_consent", "sms_consent")}


class WritePass(Pass):
    """Derived customers, the upsert, item lines and the import log."""

    def _derive_customers(self) -> int:
        def buyer(name: str) -> str:
            return f'"{name}"' if name in self.matched.columns else "CAST(NULL AS VARCHAR)"

        def contact(name: str, macro: str) -> str:
            # a phone or e-mail that is none (abc, a name) is no contact of the customer
            # made (a customers file's is emptied with a warning: validate); masked, kept
            value = buyer(name)
            return f"CASE WHEN kq_masked({value}) OR {macro}({value}) IS NOT NULL THEN {value} END"

        address = buyer("customer_address")
        province = (
            f"coalesce({buyer('customer_province')}, NULLIF(regexp_extract({address}, "
            f"'{_PROVINCE_RE}', 1), ''))"
        )
        rest = f"substr({address}, length(regexp_extract({address}, '{_PROVINCE_RE}', 0)) + 1)"
        city = (
            f"coalesce({buyer('customer_city')}, NULLIF(regexp_extract({rest}, '{_CITY_RE}', 1), "
            f"''), CASE WHEN {province} IN ('北京', '上海', '天津', '重庆') THEN {province} END)"
        )
        before = self._count("customers")
        self.sql(
            f"""INSERT INTO customers (customer_id, name, phone, email, address, province, city,
                country, marketing_consent, created_at, origin, source_file, source_row,
                import_id)
            SELECT customer_id, arg_min({buyer("customer_name")}, _row),
                   arg_min({contact("customer_phone", "kq_phone")}, _row),
                   arg_min({contact("customer_email", "kq_email")}, _row),
                   arg_min({address}, _row), arg_min({province}, _row), arg_min({city}, _row),
                   arg_min({buyer("customer_country")}, _row),
                   bool_and({self._consent_given()}), min(ordered_at),
                   $origin, $file, min(_row), $import_id
            FROM parsed p ANTI JOIN customers c ON c.customer_id = p.customer_id
            WHERE p.customer_id IS NOT NULL AND p._row NOT IN {self._rejected_rows()}
            GROUP BY customer_id""",
            file=self.report.file,
            import_id=self.report.import_id,
        )
        return self._count("customers") - before

    def _consent_given(self) -> str:
        """The buyer's e-mail marketing answer on each parsed order row (NULL: not said)."""
        if "customer_marketing_consent" in self.matched.columns:
            return "customer_marketing_consent"
        return "CAST(NULL AS BOOLEAN)"

    def _carry_consent(self) -> None:
        """An order export's answer to e-mail marketing (Shopify's Accepts Marketing, on
        each order's first row) on the customers it names that the table held already:
        a no is stored, whatever was; a yes only where nothing was said. A buyer who
        said no on any order of the file said no (Shopify asks at each checkout, and a
        refusal is the answer that must not be lost); a blank says nothing. A stored no
        is undone only by the customer's own record saying yes (a customers export)."""
        if "customer_marketing_consent" not in self.matched.columns:
            return
        self.sql(
            f"""UPDATE customers AS c
            SET marketing_consent = CASE WHEN a.said THEN coalesce(c.marketing_consent, true)
                                         ELSE false END
            FROM (SELECT customer_id, bool_and(customer_marketing_consent) AS said
                  FROM parsed
                  WHERE customer_id IS NOT NULL AND _row NOT IN {self._rejected_rows()}
                  GROUP BY customer_id) a
            WHERE c.customer_id = a.customer_id AND a.said IS NOT NULL
              AND c.marketing_consent IS DISTINCT FROM
                  CASE WHEN a.said THEN coalesce(c.marketing_consent, true) ELSE false END"""
        )

    def _derive_event_customers(self) -> int:
        """A workspace made from interactions alone: each id seen becomes a customer (known
        since its first interaction), so prospects can be classified."""
        before = self._count("customers")
        self.sql(
            f"""INSERT INTO customers (customer_id, created_at, origin, source_file, source_row,
                import_id)
            SELECT customer_id, min(occurred_at), $origin, $file, min(_row), $import_id
            FROM parsed p ANTI JOIN customers c ON c.customer_id = p.customer_id
            WHERE p.customer_id IS NOT NULL AND p._row NOT IN {self._rejected_rows()}
            GROUP BY customer_id""",
            file=self.report.file,
            import_id=self.report.import_id,
        )
        return self._count("customers") - before

    def _keep_applied_refunds(self, columns: list[str]) -> None:
        """An order imported again keeps the refunds an after-sale export applied to it
        (kept by their 退款编号 in :mod:`~kequn.ingest.refund_ledger`): its refunded amount
        is the larger of what the file says and what those refunds add up to (never more
        than it paid), and a paid order becomes refunded or partly refunded as the refunds
        made it. The order export taken before the refunds, imported again after the
        退款管理 export, put the order back to paid with nothing refunded, and a full
        refund counted as a purchase again."""
        if self.table != "orders" or "amount" not in columns or not refund_ledger.exists(self.con):
            return
        self.sql(
            f"""CREATE OR REPLACE TEMP TABLE kq_ledger AS
            SELECT l.order_id, sum(l.amount) AS money FROM {refund_ledger.TABLE} l
            WHERE l.order_id IN (SELECT order_id FROM parsed) GROUP BY l.order_id"""
        )
        if not self._count("kq_ledger"):
            return
        if "refunded" not in columns:  # the others keep what the workspace holds
            self.sql("ALTER TABLE parsed ADD COLUMN refunded DECIMAL(18, 2)")
            self.sql(
                "UPDATE parsed SET refunded = "
                "(SELECT o.refunded FROM orders o WHERE o.order_id = parsed.order_id)"
            )
            columns.append("refunded")
        total = "least(greatest(coalesce(p.refunded, 0), k.money), p.amount)"
        # without a status column the upsert settles the stored order's status by the
        # refund (settled_by_refund), as for any file of refund amounts
        status = (
            f", status = {settled_by_refund('p.status', total, 'p.amount', stored=True)}"
            if "status" in columns
            else ""
        )
        self.sql(
            f"""UPDATE parsed p SET refunded = {total}{status} FROM kq_ledger k
            WHERE k.order_id = p.order_id AND p.amount > 0
              AND p._row NOT IN {self._rejected_rows()}"""
        )

    def _keep_stored_refunds(self, columns: list[str]) -> None:
        """An order imported again from a file that says nothing of refunds (a status
        column, no refund column) keeps the refund stored, its status settled by it: a
        sheet's sale row ``A1, 100, 已完成`` imported again after the refund row ``A1,
        -30, 已退款`` of another file set the order back to paid, its 30 still refunded (a
        paid order with money back, which no other path stores)."""
        if self.table != "orders" or "refunded" in columns:
            return
        if not {"status", "amount"} <= set(columns):
            return
        settled = settled_by_refund("p.status", "o.refunded", "p.amount", stored=True)
        self.sql(
            f"""UPDATE parsed p SET status = {settled} FROM orders o
            WHERE o.order_id = p.order_id AND o.refunded > 0 AND p.amount > 0
              AND p._row NOT IN {self._rejected_rows()}"""
        )

    def _upsert(self, columns: list[str]) -> None:
        key = self.spec.key
        target = self.spec.name
        own = [c for c in columns if c in self.spec.names]
        # the stored columns alone, not the parsed cells' raw text and checks beside them
        # (four times the columns): a day's 100k orders into 10M, the import took 1.67 s
        # against 1.72 (medians of six, in process), with less new memory mapped
        kept = ", ".join(["_row", *(f'"{c}"' for c in own)])
        self.sql(
            f"""CREATE OR REPLACE TEMP TABLE accepted AS SELECT {kept} FROM parsed
            WHERE _row NOT IN {self._rejected_rows()} AND "{key}" IS NOT NULL"""
        )
        accepted = self._count("accepted")
        # the accepted ids the table holds already, found once by an inner join: DuckDB
        # hashes the import's side and skips the table's row groups outside its ids,
        # where a SEMI or ANTI join against the table hashed every id in it (0.2 s each,
        # twice, for a day's orders into 10M)
        self.con.execute(
            f'CREATE OR REPLACE TEMP TABLE present AS SELECT DISTINCT a."{key}" '
            f'FROM accepted a JOIN "{target}" t ON t."{key}" = a."{key}"'
        )
        existing = self._count("present")
        # a file of refund amounts without a status column settles the stored order's
        # status as it does a new one's (below): a paid order it says was refunded in
        # full is no purchase any more. Its empty or 0 refund on an order stored as
        # refunded keeps the stored refund: it was written as 0 beside the status
        # refunded, an order refunded of nothing
        settles = self.table == "orders" and "status" not in own
        settles = settles and {"refunded", "amount"} <= set(own)
        settled = settled_by_refund("t.status", "a.refunded", "a.amount", stored=True)
        value = {name: f'a."{name}"' for name in own}
        # a blank consent cell says nothing: the answer stored stays (a member list's
        # row without 营销许可 does not undo the no an order export recorded)
        for name in _KEPT_WHEN_BLANK.get(target, ()):
            if name in value:
                value[name] = f'coalesce(a."{name}", t."{name}")'
        if settles:
            value["refunded"] = (
                "CASE WHEN coalesce(a.refunded, 0) <= 0 AND t.status IN "
                "('refunded', 'partially_refunded') THEN t.refunded ELSE a.refunded END"
            )
        # a row is updated only if one of its values changes: re-importing the same file
        # is "no change", not N rows updated
        changes = [
            (
                "(a.attributes IS NOT NULL AND map_concat(coalesce(t.attributes, MAP {}), "
                "a.attributes) IS DISTINCT FROM t.attributes)"
            )
            if name == "attributes"
            else f'{value[name]} IS DISTINCT FROM t."{name}"'
            for name in own
            if name != key
        ]
        if settles:
            changes.append(f"{settled} IS DISTINCT FROM t.status")
        changed = " OR ".join(changes) or "false"
        row = self.con.execute(
            f'SELECT count(*) FROM accepted a JOIN "{target}" t ON t."{key}" = a."{key}" '
            f"WHERE {changed}"
        ).fetchone()
        updated = int(row[0]) if row else 0
        sets = []
        for name in own:
            if name == key:
                continue
            if name == "attributes":
                sets.append(
                    "attributes = map_concat(coalesce(t.attributes, CAST(MAP {} AS "
                    "MAP(VARCHAR, VARCHAR))), coalesce(a.attributes, CAST(MAP {} AS "
                    "MAP(VARCHAR, VARCHAR))))"
                )
            else:
                sets.append(f'"{name}" = {value[name]}')
        if settles:
            sets.append(f"status = {settled}")
        sets += ["source_file = $file", "source_row = a._row", "import_id = $import_id"]
        meta = {"file": self.report.file, "import_id": self.report.import_id}
        if updated:
            self.sql(
                f'UPDATE "{target}" AS t SET {", ".join(sets)} FROM accepted a '
                f'WHERE t."{key}" = a."{key}" AND ({changed})',
                **meta,
            )
        defaults = {k: v for k, v in _INSERT_DEFAULTS.get(target, {}).items() if k not in own}
        if "status" in defaults and "refunded" in own and "amount" in own:
            defaults["status"] = settled_by_refund("'paid'", "a.refunded", "a.amount")
        names = own + list(defaults)
        values = [f'a."{n}"' for n in own] + list(defaults.values())
        self.sql(
            f'INSERT INTO "{target}" ({", ".join(chr(34) + n + chr(34) for n in names)}, '
            f"source_file, source_row, import_id) "
            f"SELECT {', '.join(values)}, $file, a._row, $import_id FROM accepted a "
            f'ANTI JOIN present p ON p."{key}" = a."{key}"',
            **meta,
        )
        self.con.execute("DROP TABLE present")
        self.report.accepted = accepted
        self.report.updated = updated
        self.report.unchanged = existing - updated
        self.report.inserted = accepted - existing

    def _lines(self, found: dict[str, list[int]]) -> None:
        query = line_rows(self.con, found)
        if query is None:
            return
        if self.report.refund_rows:  # a refund row is no item of its order
            query = (
                f"SELECT * FROM ({query}) WHERE source_row NOT IN (SELECT _row FROM kq_refund_rows)"
            )
        if self.params.get("origin") is not None:  # a source's order ids are its own
            query = f"SELECT * REPLACE ($origin || ':' || order_id AS order_id) FROM ({query})"
        self.sql("DELETE FROM order_lines WHERE order_id IN (SELECT order_id FROM accepted)")
        self.sql(
            f"""INSERT INTO order_lines (order_id, line, sku, title, quantity, price, amount,
                source_file, source_row, import_id)
            SELECT l.* EXCLUDE (source_row), $file, l.source_row, $import_id FROM ({query}) l
            SEMI JOIN accepted a ON a.order_id = l.order_id""",
            file=self.report.file,
            import_id=self.report.import_id,
        )

    def _log(self) -> None:
        r = self.report
        self.sql(
            """INSERT INTO imports (import_id, "table", file, encoding, started_at, finished_at,
                rows, accepted, inserted, updated, rejected, warnings, mapping, headers, sheets)
            VALUES ($import_id, $table, $file, $encoding, $started, now()::TIMESTAMP, $rows,
                $accepted, $inserted, $updated, $rejected, $warnings, $mapping, $headers,
                $sheets)""",
            import_id=r.import_id,
            table=r.table,
            file=r.file,
            encoding=r.encoding,
            started=dt.datetime.now(),
            rows=r.rows,
            accepted=r.accepted,
            inserted=r.inserted,
            updated=r.updated,
            rejected=r.rejected,
            warnings=r.warnings,
            mapping=json.dumps(r.mapping, ensure_ascii=False),
            headers=json.dumps(r.headers, ensure_ascii=False),
            sheets=json.dumps(r.sheets, ensure_ascii=False) if r.sheets else None,
        )
