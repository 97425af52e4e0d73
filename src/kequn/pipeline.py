"""One classification run, start to finish, the same from the CLI and the API:

    as-of date → features → models → taxonomy → snapshot → after-publish hooks

The engine is chosen and opened here (the only place that knows both the workspace and
the engines). A run is staged under ``.tmp/`` and published by one rename; then every
after-publish hook runs: building the run's lookup files so pages open at once, writing
the audit entry, and whatever a later feature registers with :func:`after_publish`.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Callable
from typing import Any

import ibis.expr.types as ir

from kequn.core.compute import Engine
from kequn.features.build import FeatureContext, build_features
from kequn.snapshots import lookup
from kequn.snapshots.runs import TAXONOMY_FILE, RunInfo, discard, new_run_id, publish, staging_dir
from kequn.store.access import audit
from kequn.store.workspace import Workspace
from kequn.taxonomy.evaluate import classify
from kequn.taxonomy.model import Taxonomy, load_taxonomy

#: what runs after a run is published: ``hook(run, who)``; a failing hook is reported, the
#: run stays published
Hook = Callable[[RunInfo, str], None]
_HOOKS: list[Hook] = []


def after_publish(hook: Hook) -> Hook:
    """Register ``hook`` to run after every published run (usable as a decorator)."""
    if hook not in _HOOKS:
        _HOOKS.append(hook)
    return hook


def workspace_taxonomy(ws: Workspace) -> Taxonomy:
    return load_taxonomy(ws.taxonomy_path if ws.taxonomy_path.exists() else None)


def make_engine(ws: Workspace, name: str | None = None) -> Engine:
    """The workspace's engine (or the one named), given what it needs and nothing more."""
    name = name or ws.settings.engine
    if name == "duckdb":
        from kequn.engines.duckdb import DuckDBEngine

        return DuckDBEngine(ws.read(), tmp_dir=ws.tmp_dir, memory_limit=ws.settings.memory_limit)
    if name == "spark":
        from kequn.engines.spark import SparkEngine, export_tables

        generation = (ws.current_generation() or "none").removesuffix(".duckdb")
        return SparkEngine(export_tables(ws.read(), ws.root / ".cache" / "spark" / generation))
    raise ValueError(f"engine must be duckdb or spark, not {name!r}")


def latest_date(engine: Engine) -> dt.date | None:
    """The latest order or event date in the data (None when there is neither)."""
    tables = engine.tables()
    found = [
        _as_date(engine.scalar(tables["orders"].ordered_at.max())),
        _as_date(engine.scalar(tables["events"].occurred_at.max())),
    ]
    dates = [d for d in found if d is not None]
    return max(dates) if dates else None


def _as_date(value: Any) -> dt.date | None:
    # an empty table's max is NULL, which pandas hands back as NaT (a datetime subclass)
    if value is None or value != value:  # noqa: PLR0124 - NaN and NaT are not equal to themselves
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def as_of_from_text(text: str | None) -> dt.date | None:
    """An as-of date as people write it: YYYY-MM-DD, "today", or "latest"/None (the
    workspace's rule). Raises ValueError with the text for anything else."""
    if text is None or text.strip() in ("", "latest"):
        return None
    if text.strip() == "today":
        return dt.date.today()
    return dt.date.fromisoformat(text.strip())


def resolve_as_of(ws: Workspace, engine: Engine, as_of: dt.date | None = None) -> dt.date:
    """The run's date: the one given, else the workspace's ``as_of`` setting ("latest",
    the default: the newest order or event date, else today; "today"; or a date)."""
    if as_of is not None:
        return as_of
    rule = str(ws.settings.as_of or "latest")
    if rule == "today":
        return dt.date.today()
    if rule == "latest":
        return latest_date(engine) or dt.date.today()
    return dt.date.fromisoformat(rule)


def feature_context(ws: Workspace, day: dt.date) -> FeatureContext:
    s = ws.settings
    return FeatureContext(
        day, s.home_city, s.home_province, s.home_country, s.cny_per_unit, s.eur_per_unit
    )


def features_with_models(
    engine: Engine, ctx: FeatureContext, workdir: Any, *, with_models: bool = True
) -> tuple[ir.Table, dict[str, Any]]:
    """Every customer's features, then the models' predictions added as features."""
    tables = engine.tables()
    features = build_features(
        tables["customers"],
        tables["orders"],
        tables["events"],
        ctx,
        stage=lambda expr, name: engine.materialize(expr, workdir / f"{name}.parquet"),
    )
    features = engine.materialize(features, workdir / "features.parquet")
    # the models pull in scikit-learn and numba (seconds of imports): only when running
    from kequn.models.churn import add_churn_risk, feature_builder
    from kequn.models.clusters import add_clusters
    from kequn.models.predict import add_predictions, without_predictions

    if not with_models:
        return without_predictions(features), {"status": "skipped: run without models"}
    predicted, models = add_predictions(engine, features)
    features = engine.materialize(predicted, workdir / "features2.parquet")
    build = feature_builder(engine, tables, ctx, workdir)
    features, models["churn"] = add_churn_risk(features, build, tables["orders"], ctx.as_of)
    features, models["clusters"] = add_clusters(features)
    features = engine.materialize(features, workdir / "features3.parquet")
    return features, models


def run(
    ws: Workspace,
    *,
    as_of: dt.date | None = None,
    engine_name: str | None = None,
    progress: Callable[[str], None] | None = None,
    with_models: bool = True,
    who: str = "cli",
) -> RunInfo:
    """Classify every customer as of a date, keep it as a new snapshot, run the hooks."""
    notify = progress or (lambda _step: None)
    taxonomy = workspace_taxonomy(ws)
    started = time.perf_counter()
    with make_engine(ws, engine_name) as engine:
        day = resolve_as_of(ws, engine, as_of)
        run_id = new_run_id(day)
        staging = staging_dir(ws, run_id)
        try:
            notify("features")
            ctx = feature_context(ws, day)
            features, models = features_with_models(
                engine, ctx, staging, with_models=with_models
            )
            result = classify(engine, taxonomy, features, ctx, staging)
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
                models=models,
            )
            info = publish(ws, staging, info)
        except BaseException:
            discard(staging)
            raise
    notify("lookups")
    for hook in [*_DEFAULT_HOOKS, *_HOOKS]:
        hook(info, who)
    return info


def _audit(run: RunInfo, who: str) -> None:
    audit(run.workspace, who, "run", {"run_id": run.run_id, "as_of": run.as_of})


def _lookups(run: RunInfo, _who: str) -> None:
    if run.workspace.settings.prepare_lookups:
        lookup.build_index(run)  # so the dashboard shows the run as soon as it is published


_DEFAULT_HOOKS: tuple[Hook, ...] = (_audit, _lookups)
