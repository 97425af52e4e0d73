"""One classification run, start to finish, the same from the CLI and the API:

    as-of date → features → models → taxonomy → snapshot → after-publish hooks

The engine is chosen and opened here (the only place that knows both the workspace and
the engines). A run is staged under ``.tmp/`` and published by one rename; then every
after-publish hook runs: building the run's lookup files so pages open at once, writing
the audit entry, and whatever a later feature registers with :func:`after_publish`.

On DuckDB the order and event aggregates come from the workspace's feature state
(``feature-state/``, :mod:`kequn.features.state`), brought up to date from the imports
since the last run, whenever it can answer (an as-of on or after the newest order and
event, the workspace's own customers rather than identity's persons); otherwise, on
Spark, or with ``KEQUN_FEATURE_STATE=off``, every run builds them in full. The labels
are the same either way.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import datetime as dt
import functools
import logging
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir

from kequn import identity
from kequn.core import interrupts
from kequn.core.compute import Engine, parquet_columns
from kequn.core.gcpause import gc_paused
from kequn.core.i18n import t
from kequn.engines.as_of import (  # noqa: F401 - the pipeline's API, as before
    EARLIEST_AS_OF,
    LATEST_AS_OF_DAYS,
    as_of_from_text,
    latest_date,
    local_today,
)
from kequn.features import state
from kequn.features.build import FeatureContext, build_features, channel_spellings
from kequn.features.ranks import distributed
from kequn.snapshots import lookup
from kequn.snapshots.runs import (
    ATTRIBUTES_FILE,
    FEATURES_FILE,
    TAXONOMY_FILE,
    RunInfo,
    discard,
    drop_intermediates,
    link_or_copy,
    new_run_id,
    publish,
    staging_dir,
)
from kequn.store.access import audit
from kequn.store.workspace import Workspace, WorkspaceError, opened_path
from kequn.taxonomy.evaluate import classify
from kequn.taxonomy.model import Taxonomy, load_taxonomy
from kequn.taxonomy.upgrade import outdated_note

if TYPE_CHECKING:  # the models are imported when a run needs them (seconds)
    from kequn.models.churn import ClosedForms

log = logging.getLogger(__name__)

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
    raise WorkspaceError(t("run.bad_engine", name=name))


def resolve_as_of(ws: Workspace, engine: Engine, as_of: dt.date | None = None) -> dt.date:
    """The run's date: the one given, else the workspace's ``as_of`` setting ("latest",
    the default: the newest order or event date, else today; "today"; or a date)."""
    if as_of is not None:
        return as_of
    rule = str(ws.settings.as_of or "latest")
    if rule == "today":
        return local_today(ws.settings.timezone)
    if rule == "latest":
        return latest_date(engine) or local_today(ws.settings.timezone)
    return dt.date.fromisoformat(rule)


def feature_context(ws: Workspace, day: dt.date, engine: Engine | None = None) -> FeatureContext:
    """The features' settings on ``day``; given the engine, its way of writing dates into
    queries (DuckDB's variables: :meth:`~kequn.engines.duckdb.DuckDBEngine.date_value`)."""
    s = ws.settings
    return FeatureContext(
        day,
        s.home_city,
        s.home_province,
        s.home_country,
        s.cny_per_unit,
        s.eur_per_unit,
        dates=getattr(engine, "date_value", None),
    )


def buyer_stats(engine: Engine, features: ir.Table) -> dict[str, Any]:
    """The buyers' count and each drift feature's mean and standard deviation, in one query
    (what stored models are compared with to tell whether the data changed shape)."""
    from kequn.store.models import DRIFT_FEATURES

    buyers = features.filter(features.orders > 0)
    names = [n for n in DRIFT_FEATURES if n in features.columns]
    metrics: dict[str, Any] = {"n": buyers.count()}
    for i, name in enumerate(names):
        column = buyers[name].cast("float64")
        metrics[f"m{i}"] = column.mean()
        metrics[f"s{i}"] = column.std(how="pop")
    row = buyers.aggregate(**metrics).to_pyarrow().to_pylist()[0]
    return {
        "buyers": int(row["n"] or 0),
        "features": {name: (row[f"m{i}"], row[f"s{i}"]) for i, name in enumerate(names)},
    }


def features_with_models(
    engine: Engine,
    ctx: FeatureContext,
    workdir: Any,
    *,
    with_models: bool = True,
    ws: Workspace | None = None,
    refit: bool = False,
    incremental: bool = False,
) -> tuple[ir.Table, dict[str, Any]]:
    """Every customer's features, then the models' predictions added as features.

    Given the workspace, the models stored there are reused while they are fresh (see
    :mod:`kequn.store.models`; ``refit`` forces fitting), and newly fitted ones are
    stored; without it every model is fitted and nothing is kept. With ``incremental``
    (and the workspace), the order and event aggregates come from the workspace's feature
    state, brought up to date first (:mod:`kequn.features.state`), when it can answer."""
    tables = engine.tables()
    prepared = _prepare_models(ws, ctx.as_of, refit) if with_models else None
    if engine.name == "duckdb":
        # in process, each channel spelling is grouped once (a query, when first needed);
        # Spark groups each order and interaction where it is, without moving them. The
        # spellings are the orders' and the interactions' (both are grouped with them)
        rows = (
            tables["orders"]
            .select("channel")
            .union(tables["events"].select("channel"), distinct=False)
        )
        channels = ctx.reference("channels")
        ctx = dataclasses.replace(
            ctx, spellings=functools.cache(lambda: channel_spellings(rows, channels))
        )
    with _feature_totals(engine, ws, ctx, tables, incremental) as kept:
        features = build_features(
            tables["customers"],
            tables["orders"],
            tables["events"],
            ctx,
            stage=lambda expr, name: engine.materialize(expr, workdir / f"{name}.parquet"),
            totals=None if kept is None else (kept.orders, kept.events),
            attributes=None if kept is None else kept.attributes,
            lone_refunds=None if kept is None else kept.lone_refunds,
        )
        features = engine.materialize(features, workdir / "features.parquet")
        if kept is not None:
            # the features hold no attribute columns: the run keeps the state's file of
            # them (linked while the state is held; a new state writes a new file)
            link_or_copy(kept.attributes_file, Path(workdir) / ATTRIBUTES_FILE)
    # the models pull in scikit-learn and numba (seconds of imports): only when running
    from kequn.models.predict import without_predictions

    if not with_models:
        return without_predictions(features), {"status": "skipped: run without models"}
    stored = interrupts.result(prepared) if prepared is not None else None
    return _predict(engine, ctx, workdir, features, ws, refit, stored)


def _prepare_models(
    ws: Workspace | None, as_of: dt.date, refit: bool
) -> concurrent.futures.Future[Any]:
    """The stored models (:func:`kequn.store.models.load`), read in a thread that then
    makes ready what the models step will use (:mod:`kequn.models.warm`: scoring with
    them, and fitting when they are due for it before any drift is known) while DuckDB
    builds the features. The models step waits for it (``result()``) before importing
    anything of its own, so the two threads never import the same modules at once.
    Measured at 1M customers: the models step's imports and numba's loading, 0.8 s of a
    daily run and 2.5 s of a refit, mostly hidden behind the features' queries."""
    from kequn.models.predict import without_predictions  # noqa: F401 - before the thread
    from kequn.store import models as store

    def prepare() -> Any:
        stored = store.load(ws) if ws is not None else None
        try:
            from kequn.models import warm

            if stored is not None:
                fitted, buyers = stored.fitted, int(stored.stats.get("buyers") or 0)
                warm.scoring(fitted.get("churn"), buyers, fitted.get("clusters"))
            days = ws.settings.refit_days if ws is not None else 0
            if ws is None or store.dated_reason(stored, as_of, refit_days=days, forced=refit):
                warm.fitting()
        except Exception:  # only ever a head start: the models step reports its own errors
            log.debug("making the models ready ahead failed", exc_info=True)
        return stored

    return interrupts.in_thread(prepare, "kequn-models")  # (a daemon: see interrupts)


def feature_state_enabled() -> bool:
    """The feature state is used unless ``KEQUN_FEATURE_STATE=off`` (benchmarks compare
    with the full rebuild that way)."""
    return os.environ.get("KEQUN_FEATURE_STATE", "on").strip().lower() not in ("off", "0", "no")


@contextlib.contextmanager
def _feature_totals(
    engine: Engine,
    ws: Workspace | None,
    ctx: FeatureContext,
    tables: dict[str, ir.Table],
    incremental: bool,
) -> Iterator[state.Kept | None]:
    """What the feature state keeps for ``ctx``, or None (a full build): on DuckDB only,
    for now (the Spark path rebuilds every run), and only on the published generation's
    own tables (not identity's persons)."""
    raw = getattr(engine, "raw", None)
    if ws is None or not incremental or engine.name != "duckdb" or raw is None:
        yield None
        return
    opened = opened_path(raw)
    generation = Path(opened).name if opened else ""
    with state.current_totals(
        ws.root / state.FOLDER,
        engine,
        tables,
        ctx,
        generation=generation,
        newest=latest_date(engine),
    ) as (kept, _refresh):
        yield kept


#: which models each stored fit holds
_MODEL_NAMES = {
    "btyd": ("bgnbd", "mbgnbd", "gamma_gamma"),
    "churn": ("churn",),
    "clusters": ("clusters",),
}


def _score(
    features: ir.Table,
    source: ir.Table,
    fitted: dict[str, Any],
    closed: ClosedForms | None,
    models: dict[str, Any],
) -> ir.Table:
    """Add the churn risk and the cluster (with their fitted or stored models)."""
    from kequn.models.churn import score_churn
    from kequn.models.clusters import assign_clusters, score_and_assign

    churn, clusters = fitted["churn"], fitted["clusters"]
    if not distributed(features) and churn and clusters and closed is not None:
        features, models["clusters"] = score_and_assign(
            features, churn, closed, clusters, source=source
        )
        return features
    features = score_churn(features, churn, closed, source=source)
    if clusters is None:
        return features.mutate(cluster=ibis.null("int64"))
    features, models["clusters"] = assign_clusters(features, clusters, source=source)
    return features


def _predict(
    engine: Engine,
    ctx: FeatureContext,
    workdir: Any,
    features: ir.Table,
    ws: Workspace | None,
    refit: bool,
    stored: Any,
) -> tuple[ir.Table, dict[str, Any]]:
    """The models step: reuse the stored models (``stored``, as read from ``ws``) or fit
    them, then score everyone."""
    from kequn.models.churn import ClosedForms, feature_builder, fit_churn
    from kequn.models.clusters import fit_clusters
    from kequn.models.predict import fit_btyd
    from kequn.store import models as store

    stats = buyer_stats(engine, features)
    reason: dict[str, Any] | None = {"key": "models.refit.none", "params": {}}
    moved: dict[str, Any] = {}
    if ws is not None:
        reason, moved = store.refit_reason(
            stored, ctx.as_of, stats, refit_days=ws.settings.refit_days, forced=refit
        )
    if reason is None and stored is not None:
        fitted = dict(stored.fitted)
        models = {k: v for k, v in stored.info.items() if k not in ("notes", "stored")}
        models["notes"] = [
            n
            for n in stored.info.get("notes", [])
            if n.get("key", "").startswith("models.unidentified")
        ]
    else:
        btyd, models = fit_btyd(engine, features)
        fitted = {"btyd": btyd}
    btyd = fitted["btyd"]
    # the models read the features as written (none of them needs a prediction)
    source = features
    features = _with_btyd(engine, workdir, features, btyd)
    if reason is not None:
        build = feature_builder(engine, engine.tables(), ctx, workdir)
        fitted["churn"], models["churn"] = fit_churn(build, engine.tables()["orders"], ctx.as_of)
        if fitted["churn"] is None:
            models["churn"]["basis"] = "1 - P(alive) (MBG/NBD)"
        fitted["clusters"], models["clusters"] = fit_clusters(source)
    closed = ClosedForms(btyd.bgnbd, btyd.mbgnbd) if btyd is not None else None
    features = _score(features, source, fitted, closed, models)
    if engine.name != "duckdb":
        # on Spark the scores come from UDFs on the executors: staged once, not rerun by
        # every threshold and the labels. In process the thresholds and the labels read
        # the features and the scores joined (writing them out first cost 2-3 s at 1M;
        # without, the peak moved by -0.1 to +0.2 GB), and their SQL is kept all the same
        features = engine.materialize(features, workdir / "features3.parquet")

    present = [n for key, value in fitted.items() if value is not None for n in _MODEL_NAMES[key]]
    if reason is None and stored is not None:
        age = (ctx.as_of - dt.date.fromisoformat(stored.as_of)).days
        models["stored"] = {
            "reused": present,
            "fitted_as_of": stored.as_of,
            "age_days": age,
            "drift": moved,
        }
        params = {"fitted": stored.as_of, "age": age, "sd": moved.get("max_sd", 0.0)}
        note = {"key": "models.reused", "params": {**params, "models": ", ".join(present)}}
    else:
        assert reason is not None
        models["stored"] = {"reused": [], "fitted": present, "reason": reason, "drift": moved}
        note = reason
        # a backdated run (a replay of history) keeps the newer models stored: the next
        # day's run would otherwise fit them all again
        if ws is not None and reason.get("key") != "models.refit.backdated":
            info = {k: v for k, v in models.items() if k != "stored"}
            store.save(ws, store.StoredModels(ctx.as_of.isoformat(), _now(), stats, fitted, info))
    models["notes"] = [*models.get("notes", []), *([note] if present else [])]  # none: no note
    return features, models


def _with_btyd(engine: Engine, workdir: Any, features: ir.Table, btyd: Any) -> ir.Table:
    """``features`` with the BTYD predictions (NULL without a fit). In process they are
    joined in the same queries as churn and clusters, the thresholds' and the labels'
    (writing them first cost ~2 s at 1M); on Spark the executors score from a table, so
    they are staged."""
    from kequn.models.predict import score_btyd, without_predictions

    if btyd is None:
        return without_predictions(features, "btyd")
    scored = score_btyd(features, btyd)
    if engine.name == "duckdb":
        return scored
    return engine.materialize(scored, workdir / "features2.parquet")


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


@gc_paused
def run(
    ws: Workspace,
    *,
    as_of: dt.date | None = None,
    engine_name: str | None = None,
    progress: Callable[[str], None] | None = None,
    with_models: bool = True,
    who: str = "cli",
    refit: bool = False,
) -> RunInfo:
    """Classify every customer as of a date, keep it as a new snapshot, run the hooks.

    The predictive models stored in the workspace are reused while fresh; ``refit``
    fits them again regardless."""
    # a Ctrl-C that Python dropped ends the run at its next step (see interrupts)
    notify = interrupts.checked(progress or (lambda _step: None))
    taxonomy = workspace_taxonomy(ws)
    started = time.perf_counter()
    erasures = ws.erasures()  # before any data is read: see publish
    identity.ensure_current(ws)  # with [identity] enabled: persons resolved before features
    with make_engine(ws, engine_name) as plain:
        engine = identity.persons_engine(ws, plain)  # plain itself with identity disabled
        day = resolve_as_of(ws, engine, as_of)
        run_id = new_run_id(day)
        staging = staging_dir(ws, run_id)
        try:
            notify("features")
            ctx = feature_context(ws, day, engine)
            features, models = features_with_models(
                engine,
                ctx,
                staging,
                with_models=with_models,
                ws=ws,
                refit=refit,
                incremental=engine is plain and feature_state_enabled(),
            )
            # the run keeps the features file as built (and the attributes file beside
            # it, when the features hold none); the labels file holds the rest
            stored = parquet_columns(staging / FEATURES_FILE)
            attributes = kept_attributes(features, staging)
            if attributes is not None:
                stored += attributes.columns
            # the features before the predictions, for the thresholds (none reads one)
            built = engine.written(staging / FEATURES_FILE)
            result = classify(engine, taxonomy, features, ctx, staging, stored, attributes, built)
            notify("publish")
            (staging / TAXONOMY_FILE).write_text(taxonomy.source_text, encoding="utf-8")
            drop_intermediates(staging)
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
                notes=[*result.notes, *filter(None, [outdated_note(ws.taxonomy_path)])],
            )
            info = publish(ws, staging, info, erasures_seen=erasures)
        except BaseException:
            discard(staging)
            raise
    notify("lookups")
    for hook in [*_DEFAULT_HOOKS, *_HOOKS]:
        hook(info, who)
    return info


def kept_attributes(features: ir.Table, workdir: Path) -> ir.Table | None:
    """The attribute columns :func:`features_with_models` kept beside ``features`` in
    ``workdir`` (read on their backend), when the features hold none of them; else None.
    The run's features are the two joined (:func:`kequn.features.attributes.
    join_attributes`)."""
    path = Path(workdir) / ATTRIBUTES_FILE
    if not path.is_file():
        return None
    return ibis.get_backend(features).read_parquet(str(path), table_name="kequn_run_attributes")


def _audit(run: RunInfo, who: str) -> None:
    audit(run.workspace, who, "run", {"run_id": run.run_id, "as_of": run.as_of})


def _lookups(run: RunInfo, _who: str) -> None:
    if run.workspace.settings.prepare_lookups:
        lookup.build_index(run)  # so the dashboard shows the run as soon as it is published


_DEFAULT_HOOKS: tuple[Hook, ...] = (_audit, _lookups)
