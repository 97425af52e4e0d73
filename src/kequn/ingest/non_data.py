"""Rows of a staged file that are not records, left out before it is parsed (with a
note in the import's summary): totals rows, footnotes, blank rows and the header again."""

from __future__ import annotations

from kequn.ingest._pass import Pass

#: a totals row's first cells: 合计, 总计, 小计, 共计 (and what follows them) ...
_TOTAL_RE = r"^\s*(合\s*计|总\s*计|小\s*计|共\s*计)(\s|:|：|$)"
#: ... or Total, Sum: alone, before a colon or before a figure (Total 1,234.50), never
#: before a word, and in a row with no other cell of words (:meth:`NonDataPass._skip_non_data`):
#: a customer "Sum Ying" (岑, a Cantonese surname), "Total Wong" or "Grand Total Ltd", or
#: one whose Last Name is Sum, was left out as a totals row
_TOTAL_LATIN_RE = r"^\s*(total|totals|grand total|sum)\s*([:：]|$|[^a-z\s])"
#: what a cell :data:`_TOTAL_RE` matches (once cleaned) starts with, as it stands in the
#: file: only such cells are cleaned and matched (1.9 s -> 0.1 s for a million rows)
_TOTAL_START = "^[\\s\u3000\u200b\u200c\u200d\u2060\ufeff='\"]*[合总小共tTsSgGｔＴｓＳｇＧ]"

#: the characters a cell is trimmed of before it is compared with its header: those
#: Python's str.strip() takes from the headers (the readers'), and the byte-order mark a
#: second export pasted below the first opens with, as the first's is taken. DuckDB's
#: trim takes the spaces (U+3000 and U+00A0 too) but leaves tabs and line breaks, which
#: 拼多多 and 抖店 cells hold: a header pasted again so was an order of status 订单状态
HEADER_SPACES = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + "\ufeff"

#: a row's one filled cell, first in the row, that is a code (C2, 1001, VIP-0042, an
#: e-mail): the id of a record the file knows nothing else of (a member list's member
#: with no name or phone yet), not a footnote (制表人：王五, 数据截止 2024-03-01), where it
#: was left out as one
_ID_LIKE = r"[+]?[A-Za-z0-9][A-Za-z0-9_.@\-]{0,63}"


class NonDataPass(Pass):
    """:meth:`_skip_non_data`: the view ``raw``, the staged rows that are records."""

    def _skip_non_data(self) -> None:
        """Rows that are not records, left out with a note: a totals row (合计, 总计,
        Total ...), in a sheet of several columns a row with one filled cell that is no
        id (a footnote such as 制表人: ...), and the header again (exports of several days or
        pages pasted under one another, each with its header: it was quarantined as an
        order of status 订单状态, with the advice to map that word to paid)."""
        width = len(self.staged.headers)
        if not self.staged.positional or width == 0:
            self.con.execute("CREATE OR REPLACE TEMP VIEW raw AS SELECT * FROM raw_file")
            return
        first = [f"kq_text(c{i})" for i in range(min(width, 3))]

        def cells_matching(pattern: str) -> str:
            return " OR ".join(
                f"(regexp_matches(CAST(c{i} AS VARCHAR), $total_start) "
                f"AND regexp_matches(lower(coalesce({c}, '')), ${pattern}))"
                for i, c in enumerate(first)
            )

        # the Latin words are names too: such a row is a total only if no other of its
        # cells holds words (counted only for the rows the word begins)
        worded = (
            "list_sum(["
            + ", ".join(
                f"coalesce(regexp_matches(CAST(c{i} AS VARCHAR), '\\p{{L}}'), false)::INT"
                for i in range(width)
            )
            + "])"
        )
        total = (
            f"({cells_matching('total_re')}) OR CASE WHEN ({cells_matching('total_latin')}) "
            f"THEN {worded} <= 1 ELSE false END"
        )
        # one list, not a chain of +: a chain as long as the columns are many passed
        # DuckDB's expression depth limit (1,000) on a file of 1,000 columns
        filled = "list_sum([" + ", ".join(f"(NOT kq_blank(c{i}))::INT" for i in range(width)) + "])"
        # a row of empty cells (the ,,,, rows a spreadsheet leaves under its data) is
        # counted, not listed; in a file of few columns it is no record either
        lone = f"({filled}) <= {1 if width >= 4 else 0}"
        if width >= 4:  # a lone first cell that is a code is a record's id, not a note
            lone += " AND NOT coalesce(regexp_full_match(kq_text(c0), $id_like), false)"
            # and a lone cell under a field past the first column (a customer's name with
            # id, phone and e-mail blank) is a record lacking the rest, quarantined for it
            # where it can be retried: it was left out as a note ("not data: Bob")
            fields = sorted({*self.matched.columns.values(), *(self.matched.name_parts or ())[:2]})
            for i in (i for i in fields if 0 < i < width):
                lone += f" AND kq_blank(c{i})"
        # the header again: two or more cells, and at least half of those filled, are
        # their columns' headers once trimmed of the spaces the headers were (a plain
        # comparison: no cleaning of every cell)
        named = [(i, h.strip()) for i, h in enumerate(self.staged.headers) if h.strip()]
        same = [
            f"coalesce(trim(CAST(c{i} AS VARCHAR), $header_spaces) = $headers[{n + 1}], false)::INT"
            for n, (i, _) in enumerate(named)
        ]
        again = f"list_sum([{', '.join(same)}])" if same else "0"
        # a cell equal to its header once trimmed contains it: a row none of whose cells
        # contains its header (nearly every row) is not compared cell by cell, which took
        # 0.22 CPU-s of 200,000 rows of 48 columns (0.11 s now; the pass 0.87 -> 0.54 s).
        # An OR of many columns is one flat expression, not a chain as deep as they are many
        held = " OR ".join(
            f"contains(CAST(c{i} AS VARCHAR), $headers[{n + 1}])" for n, (i, _) in enumerate(named)
        )
        header = (
            f"coalesce({held or 'false'}, false) AND ({again}) >= 2 AND 2 * ({again}) >= ({filled})"
        )
        text = "concat_ws(' ', " + ", ".join(f"kq_text(c{i})" for i in range(width)) + ")"
        self.sql(
            f"CREATE OR REPLACE TEMP TABLE kq_skipped AS SELECT _row, left({text}, 80) AS text, "
            f"{header} AS again FROM raw_file WHERE ({total}) OR {lone} OR ({header})",
            total_re=_TOTAL_RE,
            total_latin=_TOTAL_LATIN_RE,
            total_start=_TOTAL_START,
            id_like=_ID_LIKE,
            headers=[h for _, h in named],
            header_spaces=HEADER_SPACES,
        )
        self.con.execute(
            "CREATE OR REPLACE TEMP VIEW raw AS SELECT * FROM raw_file "
            "ANTI JOIN kq_skipped USING (_row)"
        )
        for row, text, header_again in self.con.execute(
            "SELECT _row, text, again FROM kq_skipped ORDER BY 1"
        ).fetchall():
            if header_again:
                self.report.skipped.append({"row": int(row), "text": text, "again": True})
            elif text:
                self.report.skipped.append({"row": int(row), "text": text})
            else:
                self.report.blank_rows += 1
