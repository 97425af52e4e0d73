"""A backfill (a run made last for an earlier as-of date) does not become the run read
when none is named: every default is the run with the latest as-of date, as ``kequn
history`` compares it; a run named by id or prefix is still that run.

``get_run``, ``read.require_run`` and ``lookup.ready_run`` took the first of
``list_runs``, the run created last: after ``kequn run --as-of`` a past date, every page
and command showed the past as the current state. And the lookup files kept were the
newest ``keep_lookups`` by creation: the backfill's build removed the current run's.
"""

from __future__ import annotations

from kequn.snapshots import lookup, read
from kequn.snapshots.runs import current_run, get_run, latest_pair
from kequn.store.workspace import Workspace


def test_the_default_run_is_the_latest_dated_not_the_backfill(
    backfilled_shop: tuple[Workspace, str, str],
) -> None:
    ws, later, backfill = backfilled_shop
    for found in (
        get_run(ws),
        current_run(ws),
        read.require_run(ws),
        lookup.ready_run(ws),
    ):
        assert found is not None
        assert (found.run_id, found.as_of) == (later, "2025-06-30")
    pair = latest_pair(ws)
    assert pair is not None
    assert [r.run_id for r in pair] == [backfill, later]
    # named, the backfill is still what is read (by id, and by a prefix of its id)
    for name in (backfill, backfill[:-2]):
        for found in (get_run(ws, name), read.require_run(ws, name), lookup.ready_run(ws, name)):
            assert found is not None
            assert (found.run_id, found.as_of) == (backfill, "2025-05-15")


def test_a_backfills_lookup_files_do_not_push_out_the_current_runs(
    backfilled_shop: tuple[Workspace, str, str],
) -> None:
    ws, later, backfill = backfilled_shop
    ws.settings.keep_lookups = 1  # [serve] in kequn.toml: the files of one run are kept
    ws.save_settings()
    current, past = get_run(ws, later), get_run(ws, backfill)
    assert current is not None
    assert past is not None
    lookup.build_index(current)
    assert lookup.is_ready(current)
    lookup.build_index(past)  # someone opened the backfill's pages: its files, for now
    assert lookup.points(current) is not None  # the current run's are kept
    assert lookup.index_path(current).exists()
    assert lookup.points(past) is not None  # (the run just built keeps its own)
