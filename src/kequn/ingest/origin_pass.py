"""An import's source: the one named (``--source``), else a platform export's own (the
platform's, or its shop's), its ids stored as ``NAME:ID``; and each import's source
recorded, so retrying its quarantined rows keeps it (:mod:`kequn.ingest.quarantine`)."""

from __future__ import annotations

import json
import re

import duckdb

import kequn.ingest.origin_text  # noqa: F401 - registers the source messages used below
from kequn.core.i18n import t
from kequn.ingest import formats, reasons
from kequn.ingest._pass import Pass
from kequn.ingest.mapping import normalise_header

#: a source's name: it prefixes the source's ids (``NAME:ID``) and names it in kequn.toml
SOURCE_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def record_origin(
    con: duckdb.DuckDBPyConnection, import_id: str, origin: str | None, *, defaulted: bool
) -> None:
    """Which source an import's rows belong to (None: ids as given), so that its
    quarantined rows are read again as that source's (:func:`kequn.ingest.quarantine.retry`)."""
    con.execute(
        """CREATE TABLE IF NOT EXISTS import_origins (
            import_id VARCHAR, origin VARCHAR, defaulted BOOLEAN)"""
    )
    con.execute("INSERT INTO import_origins VALUES (?, ?, ?)", [import_id, origin, defaulted])


def import_origins(con: duckdb.DuckDBPyConnection) -> dict[str, str | None]:
    """Each recorded import's source (None: its ids were kept as given). Imports made
    before sources were recorded are absent."""
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'import_origins'"
    ).fetchone()
    if not found or not found[0]:
        return {}
    rows = con.execute("SELECT import_id, origin FROM import_origins").fetchall()
    return {str(i): o for i, o in rows}


def shop_source(base: str, shop: str) -> str:
    """A source name for one shop of a platform: ``taobao`` and 小明旗舰店 give
    ``taobao_xiaomingqijiandian`` (pinyin, lower case, letters, digits and ``_``)."""
    # pypinyin loads its phrase dictionary on import (~0.3 s): only for a shop's name
    from pypinyin import lazy_pinyin

    words = "".join(lazy_pinyin(shop.strip())).lower()
    slug = re.sub(r"[^a-z0-9]+", "_", words).strip("_")
    name = f"{base}_{slug}" if slug else base
    return name[:40].rstrip("_")


class OriginPass(Pass):
    """Which source an import's rows are, and their ids made that source's."""

    origin: str | None = None
    #: without a source named, whether a platform export becomes the platform's source
    default_origin: bool = False
    #: without a source named, whether rows naming only a source's customer are held
    #: (None: as ``default_origin``; a retry of such held rows says True)
    sourced_check: bool | None = None

    def _default_source(self, profile: formats.Profile, found: dict[str, list[int]]) -> None:
        """A platform export with no source named is the platform's source (its shop's,
        when the export names one shop), except in a workspace that already holds these
        buyers or this platform's orders without a source: there the ids stay as given,
        so an export imported before sources existed, imported again, duplicates nobody."""
        if not profile.source:
            return
        if self._unsourced_overlap() or self._unsourced_platform(profile):
            self.report.notes.append(reasons.note("import.source_kept_ids"))
            return
        name = profile.source
        shops = self._shops(profile)
        if len(shops) == 1:
            name = shop_source(name, shops[0])
        # the platform's order ids are its own across shops: orders already imported
        # under this platform's other source name (an export with 店铺名称 and one
        # without) keep theirs, rather than being stored a second time
        if self.table == "orders":
            name = self._source_holding_these_orders(profile.source) or name
        if not SOURCE_NAME_RE.fullmatch(name):
            return
        self.origin = name
        self.params["origin"] = name
        self.report.origin_defaulted = True
        format_name = dict(self.report.format_name)
        self.report.format_name = {
            lang: t("import.source_default", lang, name=format_name.get(lang, ""), source=name)
            for lang in ("zh", "en")
        }

    def _check_sourced_customers(self, platform: formats.Profile | None) -> None:
        """Customers imported with ``--source crm``, then their orders or interactions
        without: a row naming ``C001``, stored nowhere as given but as ``crm:C001``, is
        quarantined, its message naming the stored ids and the ways on (``--source crm``,
        or ``--no-source`` to keep the ids as given). Kept as given, each made a second,
        empty customer beside ``crm:C001`` without a word; taking the source for the
        file joined two systems whose ids coincide (numbered customers of a CRM and of a
        web shop) with no undo. Only for a file with no source named or defaulted (a
        platform export is its platform's) and without ``--no-source``."""
        check = self.default_origin if self.sourced_check is None else self.sourced_check
        if self.origin is not None or not check or platform is not None:
            return
        if self.table not in {"orders", "events"}:
            return
        self.sql(
            # the stored id without its "origin:" prefix against the file's, each side of
            # the condition from one table (a hash join; see _source_holding_these_orders)
            f"""INSERT INTO problems
            WITH ids AS (SELECT DISTINCT customer_id FROM parsed
                         WHERE customer_id IS NOT NULL),
            elsewhere AS (
                SELECT i.customer_id, string_agg(c.customer_id, ', ' ORDER BY c.customer_id)
                    AS stored
                FROM ids i JOIN customers c
                  ON substr(c.customer_id, length(c.origin) + 2) = i.customer_id
                WHERE c.origin IS NOT NULL AND starts_with(c.customer_id, c.origin || ':')
                GROUP BY 1)
            SELECT p._row, 'customer_id', '{reasons.CUSTOMER_OF_SOURCE}', 'rejected',
                p.customer_id, e.stored
            FROM parsed p JOIN elsewhere e USING (customer_id)
            WHERE p._row NOT IN {self._rejected_rows()}
              AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.customer_id = p.customer_id)"""
        )

    def _source_holding_these_orders(self, platform: str) -> str | None:
        """The source (the platform's, or one of its shops') already holding most of
        this file's orders, if any does."""
        row = self.con.execute(
            # the stored id without its "origin:" prefix against the file's: each side of
            # the condition from one table, so a hash join (the prefix written onto the
            # file's ids made a nested-loop join, rows × orders)
            """SELECT o.origin FROM parsed p JOIN orders o
                ON substr(o.order_id, length(o.origin) + 2) = p.order_id
            WHERE p.order_id IS NOT NULL
              AND (o.origin = $platform OR starts_with(o.origin, $platform || '_'))
            GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1""",
            {"platform": platform},
        ).fetchone()
        return str(row[0]) if row else None

    def _shops(self, profile: formats.Profile) -> list[str]:
        """The distinct shop names the export carries (at most two are read)."""
        wanted = {normalise_header(h) for h in profile.shop}
        index = next(
            (i for i, h in enumerate(self.staged.headers) if normalise_header(h) in wanted), None
        )
        if index is None:
            return []
        rows = self.con.execute(
            f"SELECT DISTINCT trim(kq_text(c{index})) AS shop FROM raw "
            f"WHERE NOT kq_blank(c{index}) LIMIT 2"
        ).fetchall()
        return [str(r[0]) for r in rows if r[0]]

    def _unsourced_overlap(self) -> bool:
        """Whether a buyer of this file is already a customer without a source."""
        row = self.con.execute(
            "SELECT EXISTS (SELECT 1 FROM parsed p JOIN customers c "
            "ON c.customer_id = p.customer_id AND c.origin IS NULL)"
        ).fetchone()
        return bool(row and row[0])

    def _unsourced_platform(self, profile: formats.Profile) -> bool:
        """Whether the workspace holds orders without a source from an export of this
        platform (told by the headers of the import they came from)."""
        rows = self.con.execute(
            """SELECT DISTINCT i.headers FROM imports i
            WHERE i."table" = 'orders' AND i.headers IS NOT NULL
              AND i.file IN (SELECT DISTINCT source_file FROM orders WHERE origin IS NULL)"""
        ).fetchall()
        for (headers,) in rows:
            found = formats.detect([str(h or "") for h in json.loads(headers)])
            if found is not None and found.id == profile.id:
                return True
        return False

    def _namespace(self, columns: list[str]) -> None:
        """A source's ids are its own: prefixed with its name, and the rows' origin set."""
        for key in ("customer_id", "order_id", "event_id"):
            if key in columns:
                self.sql(
                    f'UPDATE parsed SET "{key}" = $origin || \':\' || "{key}" '
                    f'WHERE "{key}" IS NOT NULL'
                )
        if "origin" not in columns:
            self.sql("ALTER TABLE parsed ADD COLUMN origin VARCHAR")
            self.sql("ALTER TABLE parsed ADD COLUMN raw__origin VARCHAR")
            self.sql("ALTER TABLE parsed ADD COLUMN bad__origin BOOLEAN DEFAULT false")
            self.sql("ALTER TABLE parsed ADD COLUMN why__origin VARCHAR DEFAULT ''")
            columns.append("origin")
        self.sql("UPDATE parsed SET origin = $origin")
