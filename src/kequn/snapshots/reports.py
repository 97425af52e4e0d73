"""Reports over runs: discovered clusters, the models' summary, a team's worklist, a
segment's export and the movement between two runs."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir

from kequn.core.compute import parquet_glob
from kequn.core.i18n import current_lang, did_you_mean, local, t
from kequn.snapshots import lookup
from kequn.snapshots.read import (
    UnknownDimensionError,
    privacy_settings,
    require_run,
    segment_where,
)
from kequn.snapshots.runs import RunInfo, compared_with, current_run, dated_order, latest_pair
from kequn.snapshots.tie_order import tie_key
from kequn.store.workspace import Workspace, WorkspaceError


def _labels(run: RunInfo) -> ir.Table:
    return ibis.duckdb.connect().sql(f"SELECT * FROM {run.rows_sql()}")


def discovered_clusters(run: RunInfo, *, lang: str = "en") -> dict[str, Any]:
    """The run's k-means segments, each described in the chosen language."""
    info = (run.models or {}).get("clusters") or {}
    out: dict[str, Any] = {
        "run_id": run.run_id,
        "as_of": run.as_of,
        "status": info.get("status", (run.models or {}).get("status", "not run")),
    }
    out["status_text"] = model_status(str(out["status"]), lang)
    if info.get("status") != "fitted":
        return {**out, "clusters": []}
    return {
        **out,
        "k": info["k"],
        "criterion": info["criterion"],
        "silhouette": info["silhouette"],
        "stability_ari": info["stability_ari"],
        "clusters": [
            {
                "id": c["id"],
                "customers": c["customers"],
                "share": c["share"],
                "description": local(c, lang),
                "profile": c["profile"],
            }
            for c in info["clusters"]
        ],
    }


#: why a run's models or discovered segments were skipped, as the models step records it
#: (English, kept in the run's metadata), and the message that says it
_SKIPPED = (
    (re.compile(r"skipped: fewer than (\d+) buyers"), "models.status.few_buyers"),
    (re.compile(r"skipped: the buyers' behaviour forms a single group"), "models.status.one_group"),
    (re.compile(r"skipped: run without models"), "models.status.without_models"),
    (re.compile(r"not run"), "models.status.not_run"),
)


def model_status(status: str, lang: str | None = None) -> str:
    """A models step's status (``"skipped: fewer than 20 buyers"``) in ``lang``; a status
    not known here is shown as recorded."""
    for pattern, key in _SKIPPED:
        found = pattern.fullmatch(status)
        if found:
            return t(key, lang, minimum=found.group(1) if found.groups() else "")
    return status


#: the models a run names by id (``store.models``), as a reader calls them
MODEL_NAMES = ("bgnbd", "mbgnbd", "gamma_gamma", "churn", "clusters")


def _named(params: dict[str, Any], lang: str | None) -> dict[str, Any]:
    """A note's parameters with its ``models`` (ids, "bgnbd, churn") as names in ``lang``
    (BG/NBD、流失风险模型): a reused-models note listed the ids on 中文 pages too; and
    with an ``age`` in days, ``age_text`` ("fitted the same day", not "0 days old")."""
    age = params.get("age")
    if isinstance(age, int):
        key = {0: "models.age.same_day", 1: "models.age.one_day"}.get(age, "models.age.days")
        params = {**params, "age_text": t(key, lang, age=age)}
    ids = params.get("models")
    if not isinstance(ids, str):
        return params
    names = [
        t(f"models.name.{i}", lang) if i in MODEL_NAMES else i
        for i in (part.strip() for part in ids.split(","))
        if i
    ]
    joiner = "、" if (lang or current_lang()) == "zh" else ", "
    return {**params, "models": joiner.join(names)}


def run_notes(run: RunInfo, lang: str | None = None) -> list[str]:
    """What a run says of itself besides its models, in ``lang``: each threshold whose
    default was used or whose derived value was held to its bounds (money in the
    workspace's currency)."""
    from kequn.taxonomy.reasons import fmt_value

    currency = run.ws.settings.currency if run.ws is not None else "CNY"
    shown = "zh" if (lang or current_lang()) == "zh" else "en"
    lines = []
    for note in run.notes or []:
        params = dict(note.get("params") or {})
        fmt = str(params.get("fmt") or "number")

        def value(raw: Any, fmt: str = fmt) -> str:
            return fmt_value(raw, fmt, shown, currency=currency)

        name = params.get(shown) or params.get("threshold") or ""
        named = {"name": name, "raw": value(params.get("raw")), "value": value(params.get("value"))}
        lines.append(t(note["key"], lang, **{**params, **named}))
    return lines


def model_summary(models: dict[str, Any], lang: str | None = None) -> list[str]:
    """What the predictive step fitted and how well, in the user's language."""
    # notes: the models step's own messages (fits not identified, models reused or refitted)
    notes = [
        t(n["key"], lang, **_named(n.get("params", {}), lang)) for n in models.get("notes", [])
    ]
    if models.get("status") not in ("fitted", "unidentified"):
        status = model_status(str(models.get("status", "?")), lang)
        return [t("models.skipped", lang, status=status), *notes]
    lines = [t("models.bgnbd", lang, buyers=models["buyers"], **models["bgnbd"])]
    lines = lines if models["status"] == "fitted" else []
    lines += notes
    churn = models.get("churn") or {}
    if churn.get("status") == "fitted":
        closed = churn.get("basis", "gradient boosting") != "gradient boosting"
        lines.append(
            t(
                "models.churn_closed_form" if closed else "models.churn",
                lang,
                horizon=churn["horizon_days"],
                auc=churn["auc"],
                brier=churn["brier"],
                customers=churn["customers"],
                trained=churn["trained_as_of"],
                evaluated=churn["evaluated_as_of"],
            )
        )
    elif churn:
        lines.append(
            t(
                "models.churn_fallback",
                lang,
                trained=churn.get("trained_as_of"),
                evaluated=churn.get("evaluated_as_of"),
            )
        )
    clusters = models.get("clusters") or {}
    if clusters.get("status") == "fitted":
        lines.append(t("models.clusters", lang, k=clusters["k"], ari=clusters["stability_ari"]))
    return lines


def worklist(run: RunInfo, team: str, *, lang: str = "en", limit: int = 50) -> list[dict[str, Any]]:
    """The team's actions, customer by customer: highest-priority strategy first, then spend.

    Marketing may only approach customers who allow it: those whose
    ``marketing_consent`` is false are left out, or with ``marketing_consent = "flag"``
    under ``[privacy]`` in ``kequn.toml`` kept and marked (``marketing_consent`` in
    each row); an unknown consent is kept and shown as unknown (None)."""
    taxonomy = run.taxonomy()
    labels = _labels(run)
    consent = team == "marketing" and "marketing_consent" in labels.columns
    if consent and privacy_settings(run.ws).marketing_consent == "exclude":
        labels = labels.filter(labels.marketing_consent.fill_null(True))
    parts = []
    for dim in taxonomy.dimensions:
        for label in dim.labels:
            if not label.strategy or label.strategy.team != team:
                continue
            cond = (
                labels[dim.tag_column(label.id)]
                if dim.type == "tags"
                else labels[dim.id] == label.id
            )
            parts.append(
                labels.filter(cond).select(
                    "customer_id",
                    "spend",
                    consent=labels.marketing_consent if consent else ibis.null("boolean"),
                    priority=ibis.literal(label.strategy.priority),
                    dimension=ibis.literal(dim.id),
                    label=ibis.literal(label.id),
                )
            )
    if not parts:
        return []
    union = ibis.union(*parts)
    key = tie_key(run.ws)  # ties not in the ids' order: a viewer would read it (tie_order)
    ties = [] if key is None else [(union.customer_id + key).hash()]
    order = [ibis.desc("priority"), ibis.desc("spend"), *ties, "customer_id"]
    top = union.order_by(order).limit(limit)
    items = top.to_pyarrow().to_pylist()
    hints = _hints(run, labels, items, lang)
    out = []
    for item in items:
        found = taxonomy.dimension(item["dimension"])
        chosen = found.label(item["label"]) if found else None
        strategy = chosen.strategy if chosen else None
        out.append(
            {
                "customer_id": item["customer_id"],
                "spend": item["spend"],
                "dimension": item["dimension"],
                "label": item["label"],
                "label_name": local(chosen, lang) if chosen else item["label"],
                "priority": item["priority"],
                "action": local(strategy, lang) if strategy else "",
                "actions": list(strategy.actions) if strategy else [],
                "hint": hints.get((item["customer_id"], item["dimension"], item["label"])),
                **({"marketing_consent": item["consent"]} if consent else {}),
            }
        )
    return out


def _hints(
    run: RunInfo, labels: ir.Table, items: list[dict[str, Any]], lang: str
) -> dict[tuple[str, str, str], str]:
    """What one step would change, where the label names a ``next`` label and a single
    numeric condition decides ("orders: 1 more makes this customer loyal")."""
    from kequn.taxonomy.explain import why_not

    taxonomy = run.taxonomy()
    wanted: dict[tuple[str, str, str], str] = {}
    for item in items:
        dim = taxonomy.dimension(item["dimension"])
        found = dim.label(item["label"]) if dim else None
        if found is not None and found.next:
            wanted[(item["customer_id"], item["dimension"], item["label"])] = found.next
    if not wanted:
        return {}
    ids = sorted({key[0] for key in wanted})
    rows = {
        r["customer_id"]: r
        for r in labels.filter(labels.customer_id.isin(ids)).to_pyarrow().to_pylist()
    }
    currency = run.ws.settings.currency if run.ws else "CNY"
    out: dict[tuple[str, str, str], str] = {}
    for (customer, dim_id, label), target in wanted.items():
        row = rows.get(customer)
        if row is None:
            continue
        answer = why_not(taxonomy, row, run.params, dim_id, target, lang, currency=currency)
        if answer["hint"]:
            out[(customer, dim_id, label)] = answer["hint"]
    return out


def _header_names(run: RunInfo, lang: str) -> Callable[[str], str]:
    """A column id's name in ``lang`` (schema columns, features, dimensions and tags;
    ``ids``: the id itself) for a run's export: in English begun with a capital, as a
    table's headings are (:func:`kequn.core.display.heading`; "customer id" stood beside
    "Lifecycle"). A dimension named as a customer's field or a feature is (Gender, Nature,
    Industry) says it is the segment ("Gender (segment)"), not the field's name with its
    id ("Gender (gender_group)")."""
    from kequn.core import display
    from kequn.core.schema import CUSTOMERS
    from kequn.features.catalogue import FEATURES, PARAMETERS

    if lang == "ids":
        return str

    names = {
        f.name: (f.zh if lang == "zh" else f.en) for f in [*FEATURES.values(), *PARAMETERS.values()]
    }
    taken = {n.casefold() for n in names.values()}
    taken |= {(c.zh if lang == "zh" else c.en).casefold() for c in CUSTOMERS.columns}
    for dim in run.taxonomy().dimensions:
        name = local(dim, lang)
        taken_name = name.casefold() in taken
        names[dim.id] = t("export.segment_column", lang, name=name) if taken_name else name
        if dim.type == "tags":
            for lab in dim.labels:
                tag = t("export.tag_column", lang, dimension_name=name, label_name=local(lab, lang))
                names[dim.tag_column(lab.id)] = tag

    def header(column: str) -> str:
        said = display.header(column, lang, names)
        return said[:1].upper() + said[1:] if lang == "en" else said

    return header


def export_segment(
    run: RunInfo,
    dimension: str,
    label: str,
    out: Path,
    *,
    consent_only: bool = False,
    headers: str = "ids",
    replace: bool = True,
    on_cut: Callable[[int, str], None] | None = None,
) -> int:
    """Write a segment's members (with the labels of every dimension) to CSV or Excel,
    as stored (``headers`` ids: the columns' ids and the values' codes, for other tools)
    or named in zh or en: the columns, and the values the product names
    (:func:`kequn.snapshots.export_values.named_values`: labels, coded values, yes/no).

    ``consent_only`` keeps only customers whose ``marketing_consent`` is true (for a
    campaign). The file is written by :mod:`kequn.snapshots.export_files`: put in place
    whole, an existing one replaced only with ``replace``, formulas quoted, text too long
    for an Excel cell cut (each told to ``on_cut``: row and column). Numbers stay
    numbers."""
    where, params = segment_where(run.taxonomy(), dimension, label)
    if consent_only:
        where += " AND marketing_consent IS TRUE"
    with lookup.cursor(run) as cur:
        table = cur.execute(
            f"SELECT * FROM labels WHERE {where} ORDER BY spend DESC NULLS LAST, customer_id",
            params,
        ).fetch_arrow_table()
    from kequn.core.display import named_headers
    from kequn.snapshots import export_files

    out = Path(out)
    names = _header_names(run, headers)
    if headers != "ids":
        from kequn.snapshots.export_values import named_values

        clusters = ((run.models or {}).get("clusters") or {}).get("clusters") or []
        table = named_values(table, run.taxonomy(), headers, clusters)
    if out.suffix.lower() == ".xlsx":
        header = named_headers(table.column_names, names)
        sheet = f"{dimension}={label}"
        export_files.write_xlsx(
            header, table.to_pylist(), out, sheet, replace=replace, on_cut=on_cut
        )
    else:
        simple = table.drop_columns([c for c in table.column_names if c == "attributes"])
        simple = simple.rename_columns(named_headers(simple.column_names, names))
        export_files.write_csv(simple, out, replace=replace)
    return table.num_rows


def history(
    ws: Workspace,
    dimension: str,
    *,
    before: str | None = None,
    after: str | None = None,
    lang: str | None = None,
) -> dict[str, Any]:
    """How many customers moved from each label to each other between two runs, on an
    exclusive dimension of both (never another column of the labels: a name or a city
    is personal data).

    By default the current run and the run before it in time (:func:`latest_pair`);
    with ``after`` alone, that run and the run it is compared with the same way; with
    ``before`` alone, that run and the current run, which must be later."""
    if after is None and before is None:
        # the newest as-of date against the run before it in time (as events compare)
        pair = latest_pair(ws)
        if pair is None:
            raise WorkspaceError(t("run.history_needs_two", lang))
        run_a, run_b = pair
    elif before is None:
        run_b = require_run(ws, after, lang)
        found = compared_with(run_b)
        if found is None:  # the first run in time
            said = t("history.nothing_before", lang, run=run_b.run_id, as_of=run_b.as_of)
            raise WorkspaceError(said)
        run_a = found
    elif after is None:
        run_a = require_run(ws, before, lang)
        now = current_run(ws)
        if now is None or dated_order(now) <= dated_order(run_a):  # it, or later than it
            raise WorkspaceError(
                t(
                    "history.nothing_after",
                    lang,
                    run=run_a.run_id,
                    as_of=run_a.as_of,
                    current=now.run_id if now else run_a.run_id,
                    current_as_of=now.as_of if now else run_a.as_of,
                )
            )
        run_b = now
    else:
        run_a, run_b = require_run(ws, before, lang), require_run(ws, after, lang)
    con = ibis.duckdb.connect()
    # the labels file alone (it holds the dimensions in runs of every version): joined
    # to the features, the dashboard's overview, which shows this, took 3x as long
    a = con.read_parquet(parquet_glob(run_a.labels_path))
    b = con.read_parquet(parquet_glob(run_b.labels_path))
    in_b = {d.id for d in run_b.taxonomy().dimensions if d.type == "exclusive"}
    exclusive = [
        d.id
        for d in run_a.taxonomy().dimensions
        if d.type == "exclusive" and d.id in in_b and d.id in a.columns and d.id in b.columns
    ]
    if dimension not in exclusive:
        said = t("history.not_exclusive", lang, dimension=dimension, known=", ".join(exclusive))
        raise UnknownDimensionError(did_you_mean(said, dimension, exclusive, lang))
    a = a.select("customer_id", before_label=a[dimension])
    b = b.select("customer_id", after_label=b[dimension])
    joined = a.outer_join(b, a.customer_id == b.customer_id)
    moves = joined.group_by(
        before=joined.before_label.fill_null("(absent)"),
        after=joined.after_label.fill_null("(absent)"),
    ).aggregate(customers=joined.count())
    rows = moves.order_by(["before", "after"]).to_pyarrow().to_pylist()
    return {
        "dimension": dimension,
        "before": run_a.summary(),
        "after": run_b.summary(),
        # two runs of one as-of date (a rerun, with no earlier-dated run to compare with,
        # or named): movements no segment event records, since events compare a run only
        # with a run of an earlier date (kequn.automation.events.previous_run)
        "same_as_of": run_a.as_of_date == run_b.as_of_date,
        "moves": rows,
    }
