"""Reading one run: its segments, pages of a segment's members, one customer, the RFM
grid and rule previews. The CLI, the API and the dashboard all read through here.

Everything here answers from a run's lookup files (:mod:`kequn.snapshots.lookup`) with
parameterised queries. Column names come only from the
run's own taxonomy or fixed lists, checked before they are quoted into a query; values
are always bound parameters.
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass
from typing import Any, Literal

import duckdb

from kequn.core.compute import parquet_glob
from kequn.core.i18n import did_you_mean, local, t
from kequn.core.rules import Rule, RuleError, parse_rule
from kequn.core.schema import TABLES
from kequn.core.yamlfile import load_toml
from kequn.features.catalogue import catalogue
from kequn.snapshots import linked, lookup
from kequn.snapshots.lookup import MEMBER_COLUMNS
from kequn.snapshots.packed import quoted_name
from kequn.snapshots.runs import RunInfo, get_run, list_runs
from kequn.snapshots.tie_order import tie_order
from kequn.store.access import mask
from kequn.store.settings import CONFIG_NAME, privacy_problems, refusal
from kequn.store.workspace import Workspace, WorkspaceError
from kequn.taxonomy.explain import explain
from kequn.taxonomy.model import Taxonomy

SORTABLE = frozenset(MEMBER_COLUMNS)
PAGE_MAX = 500

#: personal data per table, hidden from viewers (from the canonical schema)
PERSONAL = frozenset(c.name for c in TABLES["customers"].columns if c.personal)
#: the map of unmapped source columns: personal unless a key is declared public
#: (``public_attributes`` under ``[privacy]`` in ``kequn.toml``)
ATTRIBUTES = "attributes"


@dataclass(frozen=True)
class PrivacySettings:
    """``[privacy]`` in the workspace's ``kequn.toml``.

    ``quarantine_days``: rejected rows older than this are removed by ``kequn privacy
    purge`` (None: kept); ``marketing_consent``: what a marketing worklist does with a
    customer who has not consented, ``exclude`` (the default) or ``flag``;
    ``public_attributes``: attribute keys that are not personal data (all others are).
    """

    quarantine_days: int | None = None
    marketing_consent: Literal["exclude", "flag"] = "exclude"
    public_attributes: frozenset[str] = frozenset()


def privacy_settings(ws: Workspace | None) -> PrivacySettings:
    """The workspace's ``[privacy]`` settings (defaults when absent or unreadable)."""
    if ws is None:
        return PrivacySettings()
    path = ws.root / CONFIG_NAME
    try:
        section = load_toml(path).get("privacy") or {}
    except (OSError, ValueError):  # unreadable: Workspace.open has said why
        section = {}
    if not isinstance(section, dict):
        section = {}  # `privacy = 5`, not a table: no settings, as Workspace.open reads it
    # checked again here: a server reads the file after an edit made while it runs
    problems = privacy_problems(section)
    if problems:
        raise refusal(path, [("[privacy]", *problem) for problem in problems])
    days = section.get("quarantine_days")
    return PrivacySettings(
        quarantine_days=None if days is None else int(days),
        marketing_consent="flag" if section.get("marketing_consent") == "flag" else "exclude",
        public_attributes=frozenset(section.get("public_attributes") or ()),
    )


def personal_names(rule: Rule, public_attributes: frozenset[str] = frozenset()) -> list[str]:
    """The personal fields ``rule`` reads: schema columns marked personal, and attribute
    keys not declared public."""
    names = sorted(rule.names & PERSONAL)
    names += [f"attr('{k}')" for k in sorted(rule.attributes - public_attributes)]
    return names


def require_run(ws: Workspace, run_id: str | None = None, lang: str | None = None) -> RunInfo:
    """The run asked for (id or unique prefix), or the newest; a clear error in ``lang``
    if none: no run yet, none with that id, or a prefix several runs share."""
    run = get_run(ws, run_id)
    if run is None:
        raise WorkspaceError(missing_run(ws, run_id, lang))
    return run


def missing_run(ws: Workspace, run_id: str | None, lang: str | None = None) -> str:
    """Why :func:`get_run` found no run for ``run_id``, in ``lang``."""
    if run_id is None:
        return t("run.none", lang)
    matches = matching_runs(ws, run_id)
    if len(matches) > 1:
        shown = ", ".join(matches[:_LISTED]) + (" …" if len(matches) > _LISTED else "")
        return t("run.ambiguous", lang, id=run_id, count=len(matches), runs=shown)
    return t("run.unknown", lang, id=run_id)


#: the most runs an ambiguous prefix's message lists (the newest first)
_LISTED = 10


def matching_runs(ws: Workspace, run_id: str) -> list[str]:
    """The ids of the runs ``run_id`` names (it, or runs it is a prefix of), newest first:
    more than one is an ambiguous prefix."""
    return [r.run_id for r in list_runs(ws) if r.run_id.startswith(run_id)]


def _quote(name: str, allowed: set[str] | frozenset[str]) -> str:
    if name not in allowed:
        raise ValueError(f"unknown column {name!r}")
    return quoted_name(name)


class UnknownDimensionError(WorkspaceError, KeyError, ValueError):
    """A dimension or label the run's taxonomy does not have, told in words (callers that
    catch a KeyError or a ValueError still catch it). A mistake in what was asked, not a
    failure: the command line's usage error, exit 2 (:func:`kequn.errors.exit_status`)."""

    usage = True

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def segment_where(taxonomy: Taxonomy, dimension: str, label: str) -> tuple[str, list[Any]]:
    dim = taxonomy.dimension(dimension)
    if dim is None or dim.label(label) is None:
        # what there is, as export takes it: the labels of a known dimension, else the
        # dimensions (a typo told only "no such segment" left the user to guess)
        known = (
            [f"{dim.id}={lab.id}" for lab in dim.labels]
            if dim is not None
            else [d.id for d in taxonomy.dimensions]
        )
        segment = f"{dimension}={label}"
        said = t("segments.unknown_segment", segment=segment, known=", ".join(known))
        raise UnknownDimensionError(
            did_you_mean(said, segment if dim is not None else dimension, known)
        )
    if dim.type == "tags":
        column = dim.tag_column(label)
        return f"{_quote(column, {column})} = true", []
    return f"{_quote(dim.id, {dim.id})} = ?", [label]


def segment_columns(taxonomy: Taxonomy, dimension: str, label: str) -> list[str]:
    """The column :func:`segment_where` reads (the segment known to be there)."""
    dim = taxonomy.dimension(dimension)
    assert dim is not None
    return [dim.tag_column(label) if dim.type == "tags" else dim.id]


def _in_top(
    offset: int, limit: int, sort: str, descending: bool, search: str | None, city: str | None
) -> bool:
    return (
        sort == "spend"
        and descending
        and not search
        and not city
        and offset + min(limit, PAGE_MAX) <= lookup.TOP_MEMBERS
    )


def segments(
    run: RunInfo, dimension: str | None = None, *, lang: str = "en", source: str | None = None
) -> dict[str, Any]:
    """Customers per label for each dimension (or one), with shares; with ``source``, of
    the members having records from that source only (shares of those members)."""
    taxonomy = run.taxonomy()
    dims = [d for d in taxonomy.dimensions if dimension in (None, d.id)]
    if dimension and not dims:
        ids = [d.id for d in taxonomy.dimensions]
        said = t("segments.unknown_dimension", lang, dimension=dimension, known=", ".join(ids))
        raise UnknownDimensionError(did_you_mean(said, dimension, ids, lang))
    customers, all_counts = run.customers, run.counts
    if source is not None:
        customers, all_counts = linked.counts_from_source(run, source, lang)
    out = []
    for dim in dims:
        counts = all_counts.get(dim.id, {})
        labels = []
        for label_id, count in counts.items():
            label = dim.label(label_id)
            labels.append(
                {
                    "label": label_id,
                    "name": local(label, lang) if label else label_id,
                    "count": count,
                    "share": count / customers if customers else 0.0,
                }
            )
        out.append(
            {
                "dimension": dim.id,
                "name": local(dim, lang),
                "type": dim.type,
                "labels": labels,
            }
        )
    found: dict[str, Any] = {"run": run.summary(), "dimensions": out}
    if source is not None:
        found["source"] = {"name": source, "customers": customers}
    return found


def stored_page(run: RunInfo, dimension: str, label: str, offset: int, limit: int) -> bool:
    """Whether :func:`members` answers this page in the default order, unfiltered, from
    the run's stored first pages alone (SQLite, well under a millisecond), with no
    DuckDB count or sort."""
    known = (run.counts or {}).get(dimension, {}).get(label) is not None
    return known and _in_top(max(0, offset), limit, "spend", True, None, None)


def members(
    run: RunInfo,
    dimension: str,
    label: str,
    *,
    offset: int = 0,
    limit: int = 50,
    sort: str = "spend",
    descending: bool = True,
    search: str | None = None,
    search_names: bool = True,
    city: str | None = None,
    only_id: str | None = None,
) -> dict[str, Any]:
    """One page of a segment's members, sorted and filtered, with the total count;
    ``only_id``: the one customer of that id, if a member (an empty one matches none)."""
    taxonomy = run.taxonomy()
    where, params = segment_where(taxonomy, dimension, label)
    # the columns the filter and the order read (see RunInfo.page_sql)
    reads = [*segment_columns(taxonomy, dimension, label), sort]
    if search:
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        if search_names:
            where += " AND (customer_id ILIKE ? ESCAPE '\\' OR name ILIKE ? ESCAPE '\\')"
            params += [pattern, pattern]
            reads += ["customer_id", "name"]
        else:
            where += " AND customer_id ILIKE ? ESCAPE '\\'"
            params.append(pattern)
            reads.append("customer_id")
    if city:
        where += " AND city = ?"
        params.append(city)
        reads.append("city")
    if only_id is not None:
        where += " AND customer_id = ?"
        params.append(only_id)
        reads.append("customer_id")
    order = _quote(sort, SORTABLE) + (" DESC" if descending else " ASC") + " NULLS LAST"
    limit = max(1, min(limit, PAGE_MAX))
    offset = max(0, offset)
    dims = [d.id for d in taxonomy.dimensions if d.type == "exclusive"]
    columns = ", ".join(
        _quote(c, set(MEMBER_COLUMNS) | set(dims)) for c in (*MEMBER_COLUMNS, *dims)
    )
    # without a filter the run's own counts give the total; no need to count again
    filtered = bool(search or city) or only_id is not None
    counted = None if filtered else (run.counts or {}).get(dimension, {}).get(label)
    ready = not filtered and _in_top(offset, limit, sort, descending, search, city)
    if counted is None:
        with lookup.cursor(run) as cur:
            found = cur.execute(f"SELECT count(*) FROM labels WHERE {where}", params).fetchone()
            counted = int(found[0]) if found else 0
    # the default order's first pages are stored in order, once the lookup files are built
    stored = lookup.points(run) if ready else None
    if stored is not None:
        _, rows = stored.query(
            "top_members",
            f"SELECT {columns} FROM top_members WHERE dimension = ? AND label = ? "
            "AND rank > ? AND rank <= ? ORDER BY rank",
            [dimension, label, offset, offset + limit],
        )
    else:
        ties = tie_order(run.ws)  # not the ids' order: a viewer would read it (tie_order)
        query = f"SELECT {columns} FROM labels WHERE {where} ORDER BY {order}, {ties} "
        query += "LIMIT ? OFFSET ?"
        if not lookup.columns_path(run).exists():  # (the sorted copy needs no help)
            query = run.page_sql([*MEMBER_COLUMNS, *dims], where, order, reads, ties) or query
        with lookup.cursor(run) as cur:
            rows = cur.execute(query, [*params, limit, offset]).fetchall()
    names = [*MEMBER_COLUMNS, *dims]
    return {
        "run_id": run.run_id,
        "dimension": dimension,
        "label": label,
        "total": int(counted),
        "offset": offset,
        "limit": limit,
        "sort": sort,
        "descending": descending,
        "rows": [{k: plain(v) for k, v in zip(names, row, strict=True)} for row in rows],
    }


def profile(run: RunInfo, customer_id: str, lang: str) -> dict[str, Any] | None:
    """A customer's labels with reasons and strategies, features, attributes and timeline
    (orders and interactions up to the run's date)."""
    with lookup.reader(run) as db:
        row = db.record("labels", customer_id)
        if row is None:
            return None
        customer = db.record("customers", customer_id) or {}
        orders = db.timeline("orders", customer_id)
        events = db.timeline("events", customer_id)
    taxonomy = run.taxonomy()
    attributes = {k: plain(v) for k, v in customer.items()}
    return {
        "run": run.summary(),
        "customer_id": customer_id,
        "attributes": attributes,
        # money in the reasons is the workspace's currency ($90 in a USD shop, never ¥90)
        "dimensions": explain(
            taxonomy,
            row,
            run.params,
            lang,
            currency=run.ws.settings.currency if run.ws is not None else "CNY",
        ),
        "features": {k: plain(v) for k, v in row.items()},
        "orders": [{k: plain(v) for k, v in o.items()} for o in orders],
        "events": [{k: plain(v) for k, v in e.items()} for e in events],
    }


def source_ids(run: RunInfo, customer_id: str, limit: int = 10) -> list[str]:
    """The stored ids a bare id stands for in ``run``: ``taobao:tb_amy`` for ``tb_amy``
    (a platform export is its platform's source, so its ids are stored as ``SOURCE:ID``;
    people type the id the platform shows). Empty when the id is stored as given or
    unknown; several when more than one source has it."""
    if not customer_id or ":" in customer_id:
        return []
    import duckdb

    with duckdb.connect() as con:
        rows = con.execute(
            "SELECT customer_id FROM read_parquet(?) WHERE ends_with(customer_id, ?) "
            "AND position(':' IN customer_id) = length(customer_id) - length(?) "
            "ORDER BY customer_id LIMIT ?",
            [parquet_glob(run.labels_path), ":" + customer_id, customer_id, limit],
        ).fetchall()
    return [str(r[0]) for r in rows]


def find_profile(
    run: RunInfo, customer_id: str, lang: str
) -> tuple[str, dict[str, Any] | None, list[str]]:
    """:func:`profile` of ``customer_id``, or of the one stored id it stands for
    (:func:`source_ids`): (the id found, its profile or None, and the stored ids when
    several sources have it, so the caller can ask which)."""
    data = profile(run, customer_id, lang)
    if data is not None:
        return customer_id, data, []
    stored = source_ids(run, customer_id)
    if len(stored) != 1:
        return customer_id, None, stored
    return stored[0], profile(run, stored[0], lang), []


def mask_personal(
    data: dict[str, Any], public_attributes: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """Viewers see personal fields masked (see :func:`kequn.store.access.mask`), and the
    columns a file carried beyond the schema (身份证号, 微信号 …, kept as ``attributes``)
    too, unless declared public under ``[privacy]``."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in PERSONAL:
            out[key] = mask(value, key)
        elif key == "attributes" and isinstance(value, dict):
            out[key] = {
                k: (v if k in public_attributes else mask(v, "attribute")) for k, v in value.items()
            }
        else:
            out[key] = value
    return out


def rfm_grid(run: RunInfo) -> list[dict[str, Any]]:
    """Buyers per (R score, F score) cell, with their mean spend.

    The spends (whole cents, kept as doubles) are summed as decimals: a sum of doubles
    depends on the order of the rows, which the sorted copy and the run's Parquet do not
    share, and a cell's mean came out 594.02 from one and 594.0200000000001 from the
    other."""
    with lookup.cursor(run) as cur:
        rows = cur.execute(
            "SELECT r_score, f_score, count(*), avg(CAST(spend AS DECIMAL(38, 2))) FROM labels "
            "WHERE r_score IS NOT NULL AND f_score IS NOT NULL GROUP BY ALL ORDER BY ALL"
        ).fetchall()
    return [
        {"r": int(r), "f": int(f), "customers": int(n), "avg_spend": float(s or 0)}
        for r, f, n, s in rows
    ]


def preview(
    run: RunInfo,
    rule_text: str,
    dimension: str | None = None,
    *,
    allow_personal: bool = False,
    lang: str | None = None,
) -> dict[str, Any]:
    """How many customers of the run a rule would match (checked like a taxonomy rule);
    a rule that cannot be used, or fails on the data, is said so in ``lang``.

    Without ``allow_personal`` (the ``personal`` permission: analysts and admins) a rule
    naming personal fields is refused: counting ``name = '张三'`` or ``attr('手机') =
    '138…'`` would tell a viewer what they may not see, one guess at a time.
    """
    taxonomy = run.taxonomy()
    upto = None
    if dimension:
        ids = [d.id for d in taxonomy.dimensions]
        upto = ids.index(dimension) if dimension in ids else None
    try:
        rule = parse_rule(rule_text, catalogue(taxonomy.extra_names(upto=upto)))
        personal = personal_names(rule, privacy_settings(run.ws).public_attributes)
        if personal and not allow_personal:
            names = ", ".join(personal)
            raise RuleError(
                rule_text,
                t("rule.personal", "en", names=names),
                t("rule.personal", "zh", names=names),
            )
    except RuleError as exc:
        return {"ok": False, "error": exc.message(lang)}
    # a rule's preview only: the pages read without Ibis (0.3-0.4 s to import)
    import ibis

    from kequn.core.rules import compile_rule

    # through the process's shared connection to the lookup file: DuckDB refuses a
    # second connection to the same file with other settings
    with lookup.cursor(run) as cur:
        con = ibis.duckdb.from_connection(cur)
        labels = con.table("labels")
        try:
            matched = int(labels.filter(compile_rule(rule, labels, run.params)).count().execute())
        except (duckdb.OutOfRangeException, duckdb.ConversionException) as exc:
            detail = str(exc).splitlines()[0]
            return {"ok": False, "error": t("rule.failed", lang, detail=detail)}
        total = int(labels.count().execute())
    return {
        "ok": True,
        "matched": matched,
        "total": total,
        "share": matched / total if total else 0,
    }


def plain(value: Any) -> Any:
    """JSON-ready: dates as ISO text, decimals as floats, map entries as a dict."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list) and value and isinstance(value[0], tuple):
        return {str(k): plain(v) for k, v in value}
    return value
