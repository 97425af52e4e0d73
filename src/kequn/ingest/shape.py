"""Turn a platform's order export into one row per order, in kequn's terms, before the
usual validation.

What a profile (:mod:`kequn.ingest.formats`) says is applied here, in SQL on the staged
positional columns (``c0 .. cN``, ``_row``), with every word from a file or a profile
passed as a bound parameter:

- export guards are stripped from every cell: ``="2948…"``, a leading ``'`` or tab,
  and a lone ``-`` that stands for an empty cell;
- rows of one order (one row per item: Shopify, 京东, 抖店, 有赞, WooCommerce) become one
  order: order fields from its first row that has them, quantities summed, the amount
  counted once (or summed, where the platform puts each line's amount on its row), and
  the lines kept for ``order_lines``;
- the platform's status words become paid / pending / cancelled / refunded / refunding /
  partially_refunded, refined by the refund columns (a 交易关闭 with 退款金额 is a refund,
  a paid order with part of its money refunded is partially refunded); a word nobody
  knows is left as it is, so validation quarantines the order and the summary lists it;
- the buyer key is the first of the profile's buyer columns that holds a usable value,
  normalised (e-mail case-folded, phone digits with the country code); a masked or
  encrypted value (李**, 137****7151, 抖店 ciphertext) is never a key on its own: when
  nothing else identifies the buyer, all such values of the order together make one.

The result replaces the ``raw`` view: the file's columns (first-row values, cleaned) and
derived columns after them, which the mapping then points at.
"""

from __future__ import annotations

import hashlib
from typing import Any

import duckdb

from kequn.ingest import reasons, value_failed
from kequn.ingest.cell_macros import SCIENTIFIC, cleaned, plain_key
from kequn.ingest.convert import other_spellings, with_spellings
from kequn.ingest.formats import Profile
from kequn.ingest.mapping import BUYER_COLUMNS, value_synonyms
from kequn.ingest.order_values import Shaped, order_values

# A cell is masked when it hides characters behind * (李**, 137****7151) or is a
# platform ciphertext (抖店 wraps its encrypted fields in # / $ / ~ marks).
_MASKED = r"(\*|＊|^#.{8,}#+$|^\$.{8,}\$+$|^~.{8,}~+$)"


def _escapes(cell: str) -> str:
    """What kq_clean removes of a cell (made plain and trimmed): a leading ``=`` with the
    quotes of ``="..."``, then a leading ``'``."""
    unquoted = f"regexp_replace({cell}, " + r"""'^="?(.*?)"?$', '\1')"""
    return f"regexp_replace({unquoted}, " + r"""'^''', '')"""


#: kq_clean leaves out '' and '-' with one list_filter, not two nested NULLIFs: each is
#: planned as a CASE repeating its argument, and one query reads every column of a
#: profile's export through it. Planning that query for 300 columns took 4.3 s with one
#: row per item (1.1 s one row per order), now 1.3 s (0.2 s); see kq_text in
#: kequn.ingest.convert
MACROS = rf"""
CREATE OR REPLACE TEMP MACRO kq_clean(s) AS list_filter({cleaned("CAST(s AS VARCHAR)", _escapes)},
    lambda v: NOT list_contains(['', '-'], v))[1];
CREATE OR REPLACE TEMP MACRO kq_masked(s) AS s IS NOT NULL AND regexp_matches(s, '{_MASKED}');
CREATE OR REPLACE TEMP MACRO kq_phone(s) AS CASE
    WHEN s IS NULL OR kq_masked(s) THEN NULL
    -- letters beside the digits (1381234abcd) are no phone; a label (tel, mobile), "ext"
    -- or "x" before an extension, and words in other scripts (手机, 转) are notes
    WHEN regexp_matches(regexp_replace(lower(s),
        '(telephone|phone|mobile|mob|cell|tel|extension|ext)\.?|(^|[^a-z])x\s*[0-9]', ' ', 'g'),
        '[a-z]') THEN NULL
    -- 1.38001E+10: a phone Excel kept as a number, its last digits gone; its digits
    -- (13800110) were a phone that every 138001xxxxx buyer shared
    WHEN regexp_full_match(trim(s), '{SCIENTIFIC}') THEN NULL
    WHEN regexp_replace(s, '[^0-9]', '', 'g') SIMILAR TO '(0086|86)?1[3-9][0-9]{{9}}'
        THEN '+86' || right(regexp_replace(s, '[^0-9]', '', 'g'), 11)
    WHEN length(regexp_replace(s, '[^0-9]', '', 'g')) >= 7
        THEN CASE WHEN starts_with(trim(s), '+') THEN '+' ELSE '' END
             || regexp_replace(s, '[^0-9]', '', 'g')
    END;
CREATE OR REPLACE TEMP MACRO kq_email(s) AS CASE
    WHEN s IS NULL OR kq_masked(s) THEN NULL
    -- one @ between a name and a domain with a dot (nana@@bad, a@b, @qq.com are none)
    WHEN NOT regexp_full_match(trim(s), '[^@\s]+@[^@\s.]+(\.[^@\s.]+)+') THEN NULL
    ELSE lower(trim(s)) END;
CREATE OR REPLACE TEMP MACRO kq_pseudo(v) AS CASE WHEN v IS NULL THEN NULL
    ELSE 'p-' || left(sha256(getvariable('kq_key') || v), 16) END;
CREATE OR REPLACE TEMP MACRO kq_id(s) AS CASE
    WHEN s IS NULL OR kq_masked(s) OR s IN ('0', '-', 'null', 'NULL') THEN NULL ELSE s END;
"""


def pseudonym_id(key: str, value: str) -> str:
    """The id a buyer known by ``value`` (a normalised phone or e-mail) gets: what the SQL
    macro ``kq_pseudo`` computes, for code that must know it beforehand (the demo)."""
    return "p-" + hashlib.sha256((key + value).encode("utf-8")).hexdigest()[:16]


def install_macros(con: duckdb.DuckDBPyConnection, key: str | None = None) -> None:
    """The macros, and (when given) the workspace key that personal ids are hashed under."""
    if key is not None:
        con.execute("SET VARIABLE kq_key = ?", [key])
    for statement in MACROS.split(";\n"):
        if statement.strip():
            con.execute(statement)


def status_words(profile: Profile | None, overrides: dict[str, str]) -> dict[str, str]:
    """Every known status word (lower case) -> canonical status; the user's mapping file
    first, then the profile, then kequn's general vocabulary."""
    words: dict[str, str] = {}
    for value, synonyms in value_synonyms("status").items():
        for synonym in synonyms:
            if value is not None:
                words.setdefault(plain_key(synonym), value)
    if profile:
        words.update({plain_key(k): v for k, v in profile.statuses.items()})
    words.update({plain_key(k): v for k, v in overrides.items()})
    return words


def _word_params(
    con: duckdb.DuckDBPyConnection,
    profile: Profile,
    overrides: dict[str, str],
    matched: dict[str, list[int]],
) -> dict[str, Any]:
    """The status and after-sale words as :func:`kq_pick` is given them, with the file's
    traditional spellings of them (交易關閉, 退款成功 in 繁體) standing for the same."""
    words = status_words(profile, overrides)
    wins = {plain_key(w) for w in profile.status_wins}
    skeys: list[str | None] = list(words)
    svals: list[str | None] = list(words.values())
    rkeys: list[str | None] = [plain_key(k) for k in profile.refund_statuses]
    rvals: list[str | None] = list(profile.refund_statuses.values())

    def spellings(name: str, known: list[str | None]) -> dict[str, str]:
        cols = [f"c{i}" for i in matched.get(name, [])]
        if not cols:
            return {}
        expr = "coalesce(" + ", ".join(f"kq_clean({c})" for c in cols) + ")"
        return other_spellings(con, expr, cols, known)

    found = spellings("status", skeys)
    skeys, svals = with_spellings(skeys, svals, found)
    wins |= {cell for cell, word in found.items() if word in wins}
    rkeys, rvals = with_spellings(rkeys, rvals, spellings("refund_status", rkeys))
    paid = {plain_key(w) for w in profile.closed_when_paid}
    paid |= {cell for cell, word in found.items() if word in paid}
    return {
        "skeys": skeys,
        "svals": svals,
        "rkeys": rkeys,
        "rvals": rvals,
        "wins": sorted(wins),
        "paid_closes": sorted(paid),
    }


def shape(
    con: duckdb.DuckDBPyConnection,
    width: int,
    profile: Profile,
    matched: dict[str, list[int]],
    status_overrides: dict[str, str],
    headers: list[str] | None = None,
) -> Shaped:
    """Replace the ``raw`` view by one row per order; see the module's docstring.
    ``headers``: the file's, to name the column of a value that cannot be converted
    (:mod:`kequn.ingest.value_failed`)."""
    install_macros(con)
    out = Shaped()

    def col(name: str) -> str | None:
        found = matched.get(name)
        if not found:
            return None
        return "coalesce(" + ", ".join(f"kq_clean(c{i})" for i in found) + ")"

    params = _word_params(con, profile, status_overrides, matched)
    order = col("order_id")
    assert order is not None  # checked by the caller
    rs = col("refund_status")
    line_refund = f"kq_pick({rs}, $rkeys, $rvals)" if rs else "CAST(NULL AS VARCHAR)"
    st = col("status")
    line_status = f"kq_pick({st}, $skeys, $svals)" if st else "CAST(NULL AS VARCHAR)"
    con.execute(
        "CREATE OR REPLACE TEMP TABLE kq_rows AS SELECT *, "
        f"{order} AS k_order, {line_refund} AS k_rs, {line_status} AS k_st FROM raw",
        {k: v for k, v in params.items() if f"${k}" in line_refund + line_status},
    )
    if rs:
        out.unknown_refund_words = {
            str(word): int(n)
            for word, n in con.execute(
                f"SELECT {rs} AS w, count(*) FROM kq_rows WHERE k_rs IS NULL AND w IS NOT NULL "
                "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20"
            ).fetchall()
        }
    grouped = profile.line_items
    first = (
        (lambda e: f"arg_min({e}, _row) FILTER (WHERE ({e}) IS NOT NULL)")
        if grouped
        else (lambda e: e)
    )
    total = (lambda e: f"sum({e})") if grouped else (lambda e: e)
    select = [f"{'min(_row)' if grouped else '_row'} AS _row"]
    select += [f"{first(f'kq_clean(c{i})')} AS c{i}" for i in range(width)]
    derived: dict[str, str] = {"order_id": first("k_order")}

    derived.update(order_values(profile, col, grouped, first, total, out))
    select += [f"{expr} AS d_{name}" for name, expr in derived.items()]
    group = " GROUP BY k_order" if grouped else ""
    query = f"CREATE OR REPLACE TEMP TABLE kq_orders AS SELECT {', '.join(select)} FROM kq_rows"
    exprs = list(derived.values())
    value_failed.create(con, query + group, {}, exprs, "kq_rows", headers or [], group)
    _finish(con, width, profile, matched, params, out)
    return out


def _finish(
    con: duckdb.DuckDBPyConnection,
    width: int,
    profile: Profile,
    matched: dict[str, list[int]],
    params: dict[str, Any],
    out: Shaped,
) -> None:
    """Statuses and refunds from the order-level values; the new ``raw`` view."""
    closed = profile.closed_after_refund
    status = (
        "CASE WHEN d_status_word IS NULL THEN NULL "
        "ELSE coalesce(kq_pick(d_status_word, $skeys, $svals), d_status_word) END"
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE kq_status AS SELECT *,
            {status} AS s0, kq_money(d_amount) AS a, kq_money(d_refund_raw) AS r,
            kq_money(d_lines_refunded) AS rl FROM kq_orders""",
        {"skeys": params["skeys"], "svals": params["svals"]},
    )
    final = f"""CASE
        WHEN s0 IS NULL THEN NULL
        WHEN s0 NOT IN ('paid', 'pending', 'cancelled', 'refunded', 'refunding',
                        'partially_refunded') THEN s0
        WHEN list_contains($wins, lower(d_status_word)) THEN s0
        WHEN s0 = 'cancelled' AND coalesce(r, 0) > 0 THEN '{closed}'
        WHEN s0 = 'cancelled' AND d_refund_raw IS NULL AND d_paid_seen
            AND list_contains($paid_closes, lower(d_status_word)) THEN '{closed}'
        WHEN s0 = 'cancelled' AND d_refund_state IN ('refunded', 'partially_refunded')
            THEN d_refund_state
        WHEN s0 IN ('pending', 'cancelled') THEN s0
        WHEN d_refund_state = 'refunded' OR s0 = 'refunded' THEN CASE
            WHEN r > 0 AND a IS NOT NULL AND r < a THEN 'partially_refunded' ELSE 'refunded' END
        WHEN d_refund_state = 'partially_refunded' THEN 'partially_refunded'
        WHEN d_refund_state = 'refunding' THEN 'refunding'
        WHEN d_refund_none THEN s0
        WHEN r > 0 AND a IS NOT NULL AND r >= a THEN 'refunded'
        WHEN r > 0 THEN 'partially_refunded'
        WHEN d_refund_state = 'refunding' OR s0 = 'refunding' THEN 'refunding'
        ELSE s0 END"""
    if profile.closed_after_refund not in ("refunded", "cancelled", "partially_refunded"):
        raise ValueError(f"closed_after_refund: {profile.closed_after_refund}")
    # the after-sale word over a refund amount: a refund still under way, or closed
    # without money back (退款关闭 beside the amount asked), returned nothing yet
    refunded = """CASE
        WHEN st IN ('pending', 'cancelled') THEN 0
        WHEN st IN ('paid', 'refunding') AND (d_refund_none OR d_refund_state = 'refunding')
            THEN 0
        WHEN st = 'refunded' THEN coalesce(r, a)
        WHEN st = 'partially_refunded' THEN coalesce(r, rl)
        ELSE coalesce(r, 0) END"""
    names = [f"c{i}" for i in range(width)]
    # an export that identifies no order's buyer (拼多多 exports none; 千牛 desensitises
    # them all) would be refused whole: each order is then a guest of its own, so every
    # sale counts and nobody is merged with anybody. A file that names some buyers keeps
    # the rule for the rest: an order without its buyer is quarantined.
    known = con.execute("SELECT count(d_buyer) FROM kq_status").fetchone()
    guests = profile.guest_orders and not (known and known[0])
    extra = {
        "order_id": "d_order_id",
        "customer_id": "'g-' || d_order_id" if guests else "d_buyer",
        "status": "st",
        # a cancelled order may carry no money at all (Amazon leaves item-price empty):
        # it is kept, at nothing, rather than refused for a missing amount
        "amount": "CASE WHEN st = 'cancelled' THEN coalesce(d_amount, '0') ELSE d_amount END",
        # a refund amount that cannot be read goes on as the file wrote it, so validation
        # names its row and column (it was read as no refund, unsaid)
        "refunded": f"CASE WHEN r IS NULL AND d_refund_raw IS NOT NULL THEN d_refund_raw "
        f"ELSE CAST({refunded} AS VARCHAR) END",
        "quantity": "d_quantity" if "d_quantity" in _columns(con, "kq_status") else None,
        "discount": "d_discount" if "d_discount" in _columns(con, "kq_status") else None,
        "channel": "$platform" if profile.platform and "channel" not in matched else None,
    }
    # a field the export has in several columns (Shopify's Phone and Billing Phone,
    # Taobao's 联系手机 and 联系电话) is the first of them that has a value
    for name in BUYER_COLUMNS:
        if len(matched.get(name, [])) > 1 and name not in extra:
            extra[name] = "coalesce(" + ", ".join(f"kq_clean(c{i})" for i in matched[name]) + ")"

    # a name in two columns (WooCommerce's billing_first_name, billing_last_name): after
    # any full-name column, the two together
    def first_of(name: str) -> str:
        return "coalesce(" + ", ".join(f"kq_clean(c{i})" for i in matched[name]) + ")"

    if "customer_first_name" in matched:
        last = first_of("customer_last_name") if "customer_last_name" in matched else "NULL"
        joined = f"NULLIF(concat_ws(' ', {first_of('customer_first_name')}, {last}), '')"
        full = [f"kq_clean(c{i})" for i in matched.get("customer_name", [])]
        extra["customer_name"] = "coalesce(" + ", ".join([*full, joined]) + ")"
    select = ["_row", *names]
    index = width
    for canonical, expr in extra.items():
        if expr is None:
            continue
        out.columns[canonical] = index
        select.append(f"{expr} AS c{index}")
        index += 1
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE kq_final AS SELECT *, {final} AS st FROM kq_status",
        {"wins": params["wins"] or [""], "paid_closes": params["paid_closes"] or [""]},
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE kq_shaped AS SELECT {', '.join(select)} FROM kq_final",
        {"platform": profile.platform} if "$platform" in " ".join(select) else {},
    )
    con.execute("CREATE OR REPLACE TEMP VIEW raw AS SELECT * FROM kq_shaped")
    # partly refunded with no amount anywhere (抖店's 部分退款, 拼多多's 部分退款成功 in an
    # export without 退款金额): kept as a sale with nothing refunded, and said so
    unknown = con.execute(
        "SELECT count(*) FROM kq_final WHERE st = 'partially_refunded' "
        "AND d_refund_raw IS NULL AND rl IS NULL"
    ).fetchone()
    if unknown and unknown[0]:
        out.partial_unknown = int(unknown[0])
        out.notes.append(reasons.note("import.partial_refund_unknown"))
    for name in ("ordered_at", "discount", *BUYER_COLUMNS, "channel"):
        if name in matched and name not in out.columns:
            out.columns[name] = matched[name][0]
    row = con.execute("SELECT count(*), sum(d_lines), count(d_order_id) FROM kq_status").fetchone()
    out.orders, out.lines = (int(row[0]), int(row[1] or 0)) if row else (0, 0)
    if guests and row and row[2]:
        out.guests = int(row[2])
        out.notes.append(reasons.note("import.key_guest"))
    for cur, n in con.execute(
        "SELECT upper(d_currency), count(*) FROM kq_status WHERE d_currency IS NOT NULL GROUP BY 1"
    ).fetchall():
        out.currencies[str(cur)] = int(n)


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()}


def line_rows(con: duckdb.DuckDBPyConnection, matched: dict[str, list[int]]) -> str | None:
    """SQL for the order lines of the staged rows (``kq_rows``), or None without line
    columns: order id, line number, sku, title, quantity, unit price, line amount, and the
    file's row it came from."""

    def col(name: str) -> str:
        found = matched.get(name)
        if not found:
            return "NULL"
        return "coalesce(" + ", ".join(f"kq_clean(c{i})" for i in found) + ")"

    if not any(matched.get(n) for n in ("sku", "title", "line_quantity", "line_price")):
        return None
    return f"""SELECT k_order AS order_id,
        row_number() OVER (PARTITION BY k_order ORDER BY _row) AS line,
        {col("sku")} AS sku, {col("title")} AS title,
        kq_int({col("line_quantity")}) AS quantity, kq_money({col("line_price")}) AS price,
        kq_money({col("line_amount")}) AS amount, _row AS source_row
        FROM kq_rows WHERE k_order IS NOT NULL"""
