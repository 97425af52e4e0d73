"""Running the taxonomy and reading its snapshots: segments, profiles, worklists, exports, history.

Snapshots are read with Ibis on an in-memory DuckDB over the run's Parquet, whichever
engine produced them; column names come from the taxonomy and are always quoted by Ibis.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir

from kequn.engines.base import Engine, parquet_glob
from kequn.features.build import FeatureContext
from kequn.i18n import t
from kequn.store.runs import (
    TAXONOMY_FILE,
    RunInfo,
    discard,
    get_run,
    new_run_id,
    publish,
    staging_dir,
)
from kequn.store.workspace import Workspace, WorkspaceError
from kequn.taxonomy.engine import classify, explain, latest_date
from kequn.taxonomy.model import Taxonomy, load_taxonomy

PERSONAL = ("name", "phone", "email", "address")


def workspace_taxonomy(ws: Workspace) -> Taxonomy:
    return load_taxonomy(ws.taxonomy_path if ws.taxonomy_path.exists() else None)


def make_engine(ws: Workspace, name: str | None = None) -> Engine:
    name = name or ws.settings.engine
    if name == "duckdb":
        from kequn.engines.duckdb import DuckDBEngine

        return DuckDBEngine(ws)
    if name == "spark":
        from kequn.engines.spark import SparkEngine

        return SparkEngine(ws)
    raise ValueError(f"engine must be duckdb or spark, not {name!r}")


def resolve_as_of(ws: Workspace, engine: Engine, as_of: str | dt.date | None) -> dt.date:
    rule = as_of or ws.settings.as_of
    if isinstance(rule, dt.date):
        return rule
    if rule == "today":
        return dt.date.today()
    if rule == "latest":
        found = latest_date(engine)
        return found or dt.date.today()
    return dt.date.fromisoformat(str(rule))


def run_taxonomy(
    ws: Workspace,
    *,
    as_of: str | dt.date | None = None,
    engine_name: str | None = None,
    progress: Callable[[str], None] | None = None,
    with_models: bool = True,
) -> RunInfo:
    """Classify every customer as of a date and keep the result as a new snapshot."""
    notify = progress or (lambda _step: None)
    taxonomy = workspace_taxonomy(ws)
    started = time.perf_counter()
    with make_engine(ws, engine_name) as engine:
        day = resolve_as_of(ws, engine, as_of)
        s = ws.settings
        ctx = FeatureContext(
            day, s.home_city, s.home_province, s.home_country, s.cny_per_unit, s.eur_per_unit
        )
        run_id = new_run_id(day)
        staging = staging_dir(ws, run_id)
        try:
            notify("features")
            result = classify(engine, taxonomy, ctx, staging, with_models=with_models)
            notify("publish")
            (staging / TAXONOMY_FILE).write_text(taxonomy.source_text, encoding="utf-8")
            for target in staging.glob("features*.parquet"):
                if target.is_dir():
                    shutil.rmtree(target)
                else:
                    target.unlink(missing_ok=True)
            info = RunInfo(
                run_id=run_id,
                as_of=day.isoformat(),
                created_at=dt.datetime.now().isoformat(),
                engine=engine.name,
                taxonomy_version=taxonomy.fingerprint,
                customers=result.customers,
                seconds=time.perf_counter() - started,
                params=result.params,
                counts=result.counts,
                models=result.models,
            )
            return publish(ws, staging, info)
        except BaseException:
            discard(staging)
            raise


def _require_run(ws: Workspace, run_id: str | None) -> RunInfo:
    run = get_run(ws, run_id)
    if run is None:
        raise WorkspaceError(
            "没有找到分类运行，先运行 `kequn run`。 / "
            "No classification run found; run `kequn run` first."
        )
    return run


def _labels(run: RunInfo) -> ir.Table:
    return ibis.duckdb.connect().read_parquet(parquet_glob(run.labels_path))


def run_taxonomy_of(run: RunInfo) -> Taxonomy:
    return load_taxonomy(run.taxonomy_path)


def discovered_clusters(
    ws: Workspace, *, run_id: str | None = None, lang: str = "en"
) -> dict[str, Any]:
    """The run's k-means segments, each described in the chosen language."""
    run = _require_run(ws, run_id)
    info = (run.models or {}).get("clusters") or {}
    out: dict[str, Any] = {
        "run_id": run.run_id,
        "as_of": run.as_of,
        "status": info.get("status", (run.models or {}).get("status", "not run")),
    }
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
                "description": c["zh"] if lang == "zh" else c["en"],
                "profile": c["profile"],
            }
            for c in info["clusters"]
        ],
    }


def model_summary(models: dict[str, Any], lang: str | None = None) -> list[str]:
    """What the predictive step fitted and how well, in the user's language."""
    if models.get("status") != "fitted":
        return [t("models.skipped", lang, status=models.get("status", "?"))]
    lines = [t("models.bgnbd", lang, buyers=models["buyers"], **models["bgnbd"])]
    churn = models.get("churn") or {}
    if churn.get("status") == "fitted":
        lines.append(
            t(
                "models.churn",
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


def segments(
    ws: Workspace, dimension: str | None = None, *, run_id: str | None = None, lang: str = "en"
) -> dict[str, Any]:
    """Customers per label for each dimension (or one), with shares."""
    run = _require_run(ws, run_id)
    taxonomy = run_taxonomy_of(run)
    dims = [d for d in taxonomy.dimensions if dimension in (None, d.id)]
    if dimension and not dims:
        known = ", ".join(d.id for d in taxonomy.dimensions)
        raise ValueError(f"unknown dimension {dimension!r}; known: {known}")
    out = []
    for dim in dims:
        counts = run.counts.get(dim.id, {})
        labels = []
        for label_id, count in counts.items():
            label = dim.label(label_id)
            labels.append(
                {
                    "label": label_id,
                    "name": (label.zh if lang == "zh" else label.en) if label else label_id,
                    "count": count,
                    "share": count / run.customers if run.customers else 0.0,
                }
            )
        out.append(
            {
                "dimension": dim.id,
                "name": dim.zh if lang == "zh" else dim.en,
                "type": dim.type,
                "labels": labels,
            }
        )
    return {"run": run.summary(), "dimensions": out}


def customer_profile(
    ws: Workspace, customer_id: str, *, run_id: str | None = None, lang: str = "en"
) -> dict[str, Any] | None:
    """Every label of one customer with its reason and strategy, plus its features."""
    run = _require_run(ws, run_id)
    labels = _labels(run)
    rows = labels.filter(labels.customer_id == customer_id).limit(1).to_pyarrow().to_pylist()
    if not rows:
        return None
    row = rows[0]
    taxonomy = run_taxonomy_of(run)
    return {
        "run": run.summary(),
        "customer_id": customer_id,
        "dimensions": explain(taxonomy, row, run.params, lang),
        "features": {k: _plain(v) for k, v in row.items()},
    }


def worklist(
    ws: Workspace, team: str, *, run_id: str | None = None, lang: str = "en", limit: int = 50
) -> list[dict[str, Any]]:
    """The team's actions, customer by customer: highest-priority strategy first, then spend."""
    run = _require_run(ws, run_id)
    taxonomy = run_taxonomy_of(run)
    labels = _labels(run)
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
                    priority=ibis.literal(label.strategy.priority),
                    dimension=ibis.literal(dim.id),
                    label=ibis.literal(label.id),
                )
            )
    if not parts:
        return []
    union = ibis.union(*parts)
    top = union.order_by([ibis.desc("priority"), ibis.desc("spend"), "customer_id"]).limit(limit)
    out = []
    for item in top.to_pyarrow().to_pylist():
        found = taxonomy.dimension(item["dimension"])
        chosen = found.label(item["label"]) if found else None
        strategy = chosen.strategy if chosen else None
        out.append(
            {
                "customer_id": item["customer_id"],
                "spend": item["spend"],
                "dimension": item["dimension"],
                "label": item["label"],
                "label_name": (chosen.zh if lang == "zh" else chosen.en)
                if chosen
                else item["label"],
                "priority": item["priority"],
                "action": (strategy.zh if lang == "zh" else strategy.en) if strategy else "",
                "actions": list(strategy.actions) if strategy else [],
            }
        )
    return out


def segment_members(
    ws: Workspace,
    dimension: str,
    label: str,
    *,
    run_id: str | None = None,
) -> ir.Table:
    run = _require_run(ws, run_id)
    taxonomy = run_taxonomy_of(run)
    dim = taxonomy.dimension(dimension)
    if dim is None or dim.label(label) is None:
        raise ValueError(f"unknown segment {dimension}={label}")
    labels = _labels(run)
    cond = labels[dim.tag_column(label)] if dim.type == "tags" else labels[dimension] == label
    return labels.filter(cond)


def export_segment(
    ws: Workspace, dimension: str, label: str, out: Path, *, run_id: str | None = None
) -> int:
    """Write a segment's members (with the labels of every dimension) to CSV or Excel."""
    members = segment_members(ws, dimension, label, run_id=run_id)
    table = members.order_by(ibis.desc("spend"), "customer_id").to_pyarrow()
    out = Path(out)
    if out.suffix.lower() == ".xlsx":
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet(f"{dimension}={label}"[:31])
        sheet.append(table.column_names)
        for record in table.to_pylist():
            sheet.append([_cell(v) for v in record.values()])
        book.save(out)
    else:
        import pyarrow.csv as pacsv

        simple = table.drop_columns([c for c in table.column_names if c == "attributes"])
        pacsv.write_csv(simple, out)
    return table.num_rows


def history(
    ws: Workspace,
    dimension: str,
    *,
    before: str | None = None,
    after: str | None = None,
) -> dict[str, Any]:
    """How many customers moved from each label to each other between two runs."""
    from kequn.store.runs import list_runs

    runs = list_runs(ws)
    if after is None and before is None:
        if len(runs) < 2:
            raise WorkspaceError("需要至少两次运行。 / History needs at least two runs.")
        run_b, run_a = runs[0], runs[1]
        # compare by as-of date, not by creation order
        run_a, run_b = sorted((run_a, run_b), key=lambda r: r.as_of)
    else:
        run_a, run_b = _require_run(ws, before), _require_run(ws, after)
    con = ibis.duckdb.connect()
    a = con.read_parquet(parquet_glob(run_a.labels_path))
    b = con.read_parquet(parquet_glob(run_b.labels_path))
    if dimension not in a.columns or dimension not in b.columns:
        raise ValueError(f"{dimension!r} is not an exclusive dimension of both runs")
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
        "moves": rows,
    }


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list) and value and isinstance(value[0], tuple):
        return dict(value)
    return value


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return (
            ", ".join(f"{k}={v}" for k, v in value)
            if value and isinstance(value[0], tuple)
            else str(value)
        )
    return value
