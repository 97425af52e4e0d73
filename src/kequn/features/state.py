"""The feature state: per-customer order and event aggregates kept between runs.

Most order and event features do not depend on the as-of date: counts, sums, first and
last dates, the inter-purchase statistics, the channel mix, refunds, interaction counts
(:func:`~kequn.features.build.order_totals`, :func:`~kequn.features.build.event_totals`).
They are kept here, one Parquet file per table, and brought up to date from what changed
since: a daily refresh reads the new orders and the few customers they touch instead of
the whole history. The as-of-dependent features (recency, the 90/365-day windows) and
the ranks are derived at run time from the state and the recent orders, by the same
functions as a full build, so the labels are the same (tests/features/test_incremental.py
compares them with EXCEPT ALL both ways).

The customers' attribute columns (:func:`~kequn.features.attributes.attribute_columns`:
everything but the age from a birth date) are kept too, whole: computed again when any
customer row is new, changed or gone (the same watermark), or the reference tables or
settings they depend on changed. Writing them was 1.5 s of a run at 1M customers.

**What changed.** Every row carries the ``import_id`` of the import that last wrote it,
and an import that changes a row rewrites its ``import_id``. The state remembers how many
rows each import had (its watermark). Then:

- rows of an import the state has not seen: their customers are *touched*;
- an import the state has seen has fewer rows now (its rows were changed by a later
  import, or deleted by an erasure): the customers whose count of rows from seen imports
  differs from the state's are touched too (a customer an erasure removed has none);
- touched customers are computed again from all their rows, or, when the import only
  added rows and a customer's new purchases all come after the kept last one, have the
  new rows' totals added to their kept ones (:mod:`kequn.features.state_rows`); either
  way their rows replace the old ones in the table's *delta* file (the base file is left
  as it is, see :class:`_Files`; the delta is folded into a new base once it holds
  :data:`COMPACT_SHARE` of it); when more than :data:`REBUILD_SHARE` of the rows are new
  or changed, or the state is missing, of another version or reference data, the whole
  state is computed again.

**When it is not used.** It holds every dated row, so it answers only for an as-of date
on or after the newest order and event (an earlier as-of is built in full, the state left
as it is), and only for the generation it was brought up to (a run on an older
generation builds in full). The caller decides which engines use it (DuckDB for now).
One run at a time updates it, under a lock; a run that finds it locked builds in full.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir

from kequn.core.compute import Engine
from kequn.features.attributes import attribute_columns
from kequn.features.build import FeatureContext
from kequn.features.state_files import META as _META
from kequn.features.state_files import TABLES as _TABLES
from kequn.features.state_files import Files as _Files
from kequn.features.state_files import ids as _ids
from kequn.features.state_files import import_counts as _import_counts
from kequn.features.state_files import import_key as _import_key
from kequn.features.state_files import read as _read
from kequn.features.state_files import read_meta, write_meta
from kequn.features.state_files import remove as _remove
from kequn.features.state_files import rows as _rows
from kequn.features.state_rows import (
    event_state,
    lone_refunds_of,
    order_state,
    split_appended,
    totals_of,
    touched_rows,
)

#: bump when the aggregates kept change: a state of another version is rebuilt
#: (4: the orders' exact sums kept, kequn.features.state_rows adds to them; 5: the kept
#: city_norm drops a 特别行政区, kequn.features.attributes._CITY_SUFFIX; 6: the events'
#: online and offline counts, for the channel mix of orders and interactions together;
#: 7: the refunds of a customer whose every order was refunded)
VERSION = 7
#: the state's folder, under the workspace root
FOLDER = "feature-state"
#: above this share of new or changed rows, the whole state is computed again
REBUILD_SHARE = 0.2
#: a table's delta (the customers computed again since its base was written) is folded
#: into a new base once it has this share of the base's rows
COMPACT_SHARE = 0.2
#: the attribute columns' file, under the same watermark as the aggregates
_ATTRIBUTES = "customers"


@dataclass(frozen=True)
class Kept:
    """What the state answers a run with: :func:`~kequn.features.build.order_totals` and
    :func:`~kequn.features.build.event_totals` of all dated rows, and the customers'
    :func:`~kequn.features.attributes.attribute_columns`."""

    orders: ir.Table
    events: ir.Table
    attributes: ir.Table
    #: the refunds of the customers ``orders`` holds no paid order of
    #: (:func:`~kequn.features.state_rows.lone_refunds_of`)
    lone_refunds: ir.Table
    #: the file ``attributes`` reads (never rewritten in place: a new state writes a new
    #: file, an erasure replaces it), which a run links into its folder
    attributes_file: Path


@dataclass
class Refresh:
    """What bringing the state up to date did, for the run's metadata."""

    mode: str  # "built", "refreshed", "unchanged" or why it was not used
    touched: dict[str, int]
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"mode": self.mode, "touched": self.touched, "seconds": round(self.seconds, 2)}


@contextlib.contextmanager
def current_totals(
    folder: Path,
    engine: Engine,
    tables: dict[str, ir.Table],
    ctx: FeatureContext,
    *,
    generation: str,
    newest: dt.date | None,
) -> Iterator[tuple[Kept | None, Refresh]]:
    """The order and event totals and the attribute columns for ``ctx.as_of`` from the
    state in ``folder``, brought up to date first; ``(None, why)`` when the state cannot
    answer (see the module).

    ``generation`` names the data the engine reads (later generations sort later);
    ``newest`` is the newest order or event date. The state stays locked while the
    caller uses the tables (they read its files)."""
    started = time.perf_counter()
    if newest is not None and newest > ctx.as_of:
        yield None, Refresh("not used: as-of before the newest order or event", {})
        return
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "lock").open("a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield None, Refresh("not used: another run is updating it", {})
            return
        try:
            totals, refresh = _update(folder, engine, tables, ctx, generation)
            refresh.seconds = time.perf_counter() - started
            yield totals, refresh
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def forget(folder: Path, customer_id: str, timeout: float = 600.0) -> int:
    """Remove one customer's rows from the state (an erasure): its files are rewritten
    without them, waiting up to ``timeout`` seconds for a run using the state. How many
    rows were removed. The watermark is left as it is: the next run sees that the
    erased rows went and finds nothing left to compute for that customer."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    if not (folder / _META).is_file():
        return 0
    with (folder / "lock").open("a+") as lock:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        try:
            removed = 0
            for path in sorted(folder.glob("*.parquet")):
                table = pq.read_table(path)
                keep = pc.invert(pc.equal(table["customer_id"], customer_id).fill_null(False))
                kept = table.filter(keep)
                if kept.num_rows == table.num_rows:
                    continue
                removed += table.num_rows - kept.num_rows
                tmp = path.with_name(f".{path.name}.{os.getpid()}")
                pq.write_table(kept, tmp)
                tmp.replace(path)
            return removed
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def discard(folder: Path) -> int:
    """Remove the state (e.g. after an erasure: it holds customer ids); the next run
    builds it again. How many files were removed."""
    removed = 0
    if folder.is_dir():
        for path in folder.iterdir():
            if path.name != "lock":
                _remove(path)
                removed += 1
    return removed


def _update(
    folder: Path,
    engine: Engine,
    tables: dict[str, ir.Table],
    ctx: FeatureContext,
    generation: str,
) -> tuple[Kept, Refresh] | tuple[None, Refresh]:
    key = _key(ctx)
    meta = read_meta(folder, key, VERSION)
    if meta is not None and str(meta.get("generation", "")) > generation:
        return None, Refresh("not used: the data read is older than the state", {})
    files: dict[str, str] = {}
    deltas: dict[str, str] = {}
    touched: dict[str, int] = {}
    merged: dict[str, int] = {}
    counts: dict[str, dict[str, int]] = {}
    for name in _TABLES:
        counts[name] = _import_counts(tables[name])
        kept_files = None if meta is None else _Files.of(meta, name)
        seen = None if meta is None else meta["imports"][name]
        done, touched[name], merged[name] = _bring_up_to_date(
            folder, engine, tables[name], name, ctx, kept_files, seen, counts[name]
        )
        files[name] = done.base
        if done.delta:
            deltas[name] = done.delta
    customers = tables["customers"]
    counts[_ATTRIBUTES] = _import_counts(customers)
    attributes_key = _attributes_key(ctx)
    files[_ATTRIBUTES], touched[_ATTRIBUTES] = _attributes_up_to_date(
        folder,
        engine,
        lambda: attribute_columns(customers, ctx),
        meta,
        attributes_key,
        counts[_ATTRIBUTES],
    )
    values = set(touched.values())
    mode = "built" if values == {-1} else "unchanged" if values == {0} else "refreshed"
    meta = {"version": VERSION, "key": key, "generation": generation}
    # merged: of the touched customers, those whose new rows were added to their kept
    # ones (kequn.features.state_rows) instead of being computed again
    last = {"mode": mode, "touched": touched, "merged": merged, "as_of": ctx.as_of.isoformat()}
    meta |= {"files": files, "deltas": deltas, "imports": counts}
    meta |= {"attributes_key": attributes_key, "last": last}
    write_meta(folder, meta)
    for path in folder.glob("*.parquet"):
        if path.name not in {*files.values(), *deltas.values()}:
            _remove(path)
    state = {t: _Files(files[t], deltas.get(t)).read(tables[t], folder, t) for t in _TABLES}
    kept = Kept(
        totals_of(state["orders"], "orders"),
        totals_of(state["events"], "events"),
        _read(customers, folder / files[_ATTRIBUTES], "attributes"),
        lone_refunds_of(state["orders"]),
        folder / files[_ATTRIBUTES],
    )
    return kept, Refresh(mode, touched)


def _attributes_up_to_date(
    folder: Path,
    engine: Engine,
    columns: Callable[[], ir.Table],
    meta: dict[str, Any] | None,
    key: str,
    now: dict[str, int],
) -> tuple[str, int]:
    """The attribute columns' file, and 0 when it was kept or -1 when written again: kept
    while no customer row is new, changed or gone since, and the reference tables and
    settings are the same; otherwise written whole (one scan of the customers, where the
    aggregates' touched customers would need a join as long). ``columns`` builds their
    expression, only when they are written."""
    if meta is not None and meta.get("attributes_key") == key:
        old = str((meta.get("files") or {}).get(_ATTRIBUTES, ""))
        same = (meta.get("imports") or {}).get(_ATTRIBUTES) == now
        if old and same and (folder / old).is_file():
            return old, 0
    target = folder / f"{_ATTRIBUTES}-{uuid.uuid4().hex[:12]}.parquet"
    engine.materialize(columns(), target)
    return target.name, -1


def _bring_up_to_date(
    folder: Path,
    engine: Engine,
    table: ir.Table,
    name: str,
    ctx: FeatureContext,
    old_files: _Files | None,
    seen: dict[str, int] | None,
    now: dict[str, int],
) -> tuple[_Files, int, int]:
    """One table's state files brought up to date, how many customers were touched (-1:
    all of them, computed again), and how many of those had the new rows added to their
    kept ones (:func:`~kequn.features.state_rows.appended`) rather than computed again."""

    def compute(rows: ir.Table) -> ir.Table:
        return order_state(rows, ctx) if name == "orders" else event_state(rows, ctx)

    def fresh(kind: str) -> Path:
        return folder / f"{name}{kind}-{uuid.uuid4().hex[:12]}.parquet"

    if old_files is None or seen is None:
        target = fresh("")
        engine.materialize(compute(table), target)
        return _Files(target.name), -1, 0
    new_ids = [k for k in now if k not in seen]
    changed = [k for k in seen if now.get(k, 0) != seen[k]]
    if not new_ids and not changed:
        return old_files, 0, 0
    moved = sum(now[k] for k in new_ids) + sum(abs(seen[k] - now.get(k, 0)) for k in changed)
    if moved > REBUILD_SHARE * max(sum(now.values()), 1):
        target = fresh("")
        engine.materialize(compute(table), target)
        return _Files(target.name), -1, 0
    old = old_files.read(table, folder, f"{name}_before")
    ids = _import_key(table)
    hit = table.filter(ids.isin(_ids(new_ids))).select("customer_id") if new_ids else None
    if changed:
        # rows of seen imports changed or went: whose count of such rows differs
        known = table.filter(ids.isin(_ids(list(seen))))
        known = known.group_by("customer_id").aggregate(n=known.count())
        both = old.select("customer_id", "state_rows").outer_join(known, "customer_id")
        both = both.select(
            customer_id=ibis.coalesce(both.customer_id, both.customer_id_right),
            differs=both.state_rows.fill_null(0) != both.n.fill_null(0),
        )
        lost = both.filter(both.differs).select("customer_id")
        hit = lost if hit is None else hit.union(lost)
    assert hit is not None
    # scratch files named the same every run (one run at a time holds the state's lock):
    # the queries reading them are then the same expressions, and their SQL is found
    # compiled again (0.3 s of a daily run at 1M, for the two merging the new orders)
    scratch = folder / f"touched-{name}.parquet"
    added = folder / f"added-{name}.parquet"
    delta = fresh("-delta")
    try:
        ready: ir.Table | None = None
        if name == "orders" and not changed:
            # only rows added: most touched customers' new rows are added to their kept
            # ones (:mod:`kequn.features.state_rows`), the rest computed again below; the
            # new rows written first, as their totals read them several times (each a
            # scan of the whole table: 0.4 s of 0.6 at 10M orders)
            rows = engine.materialize(table.filter(ids.isin(_ids(new_ids))), added)
            ready, hit, count, again_count = split_appended(engine, old, compute(rows), scratch)
        else:
            hit = engine.materialize(hit.distinct(), scratch)
            count = again_count = int(engine.scalar(hit.count()))
        marked = touched_rows(compute, table, old, hit, ready, again_count)
        if old_files.delta is not None:
            before = _read(table, folder / old_files.delta, f"{name}_delta_before")
            touched = marked.select("customer_id")
            marked = before.anti_join(touched, "customer_id").select(*marked.columns).union(marked)
        engine.materialize(marked, delta)
    finally:
        _remove(scratch)
        _remove(added)
    if _rows(delta) <= COMPACT_SHARE * max(_rows(folder / old_files.base), 1):
        return _Files(old_files.base, delta.name), count, count - again_count
    # the delta has grown: folded into a new base
    target = fresh("")
    engine.materialize(
        _Files(old_files.base, delta.name).read(table, folder, f"{name}_fold"), target
    )
    _remove(delta)
    return _Files(target.name), count, count - again_count


def _key(ctx: FeatureContext) -> str:
    """What besides the rows the state's values depend on: the channel groups, and the
    code that computes them (this module, the state's rows, the feature builders, the
    schema's statuses), so an upgrade that changes a definition rebuilds the state
    instead of reusing it."""
    text = json.dumps(ctx.reference("channels"), sort_keys=True, ensure_ascii=False, default=str)
    from kequn.core import schema
    from kequn.features import build, dated, gaps, state_rows

    digest = hashlib.sha256(text.encode("utf-8"))
    sources = (state_rows, build, dated, gaps, schema)
    for source in (__file__, *[module.__file__ for module in sources]):
        digest.update(Path(source or "").read_bytes())
    return digest.hexdigest()[:16]


def _attributes_key(ctx: FeatureContext) -> str:
    """What besides the customer rows the attribute columns depend on: the settings, the
    reference tables they read and the code computing them."""
    from kequn.features import attributes, countries, places, reference

    settings = {
        k: v for k, v in vars(ctx).items() if k not in ("as_of", "references", "spellings", "dates")
    }
    tables = {name: ctx.reference(name) for name in attributes.REFERENCES}
    text = json.dumps([settings, tables], sort_keys=True, ensure_ascii=False, default=str)
    digest = hashlib.sha256(text.encode("utf-8"))
    digest.update(countries.countries_text().encode("utf-8"))
    for source in (attributes.__file__, countries.__file__, places.__file__, reference.__file__):
        digest.update(Path(source or "").read_bytes())
    return digest.hexdigest()[:16]
