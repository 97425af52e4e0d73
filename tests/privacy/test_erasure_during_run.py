"""An erasure that finishes while a run is still working: the run read the data before,
so its files hold the erased person, and publishing it would bring them back into
``runs/`` after the erasure had cleaned every run there. Such a run is refused; the next
run is made from the data without them."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from kequn import pipeline
from kequn.core.i18n import t
from kequn.demo import demo_workspace
from kequn.privacy import erase_person
from kequn.snapshots.runs import list_runs
from kequn.store.workspace import WorkspaceError


def _ids(labels: str) -> set[str]:
    return {
        r[0] for r in duckdb.sql(f"SELECT customer_id FROM read_parquet('{labels}')").fetchall()
    }


def test_a_run_that_read_the_data_before_an_erasure_is_not_published(tmp_path: Path) -> None:
    ws = demo_workspace(tmp_path, 60, seed=2)
    first = pipeline.run(ws, with_models=False)
    everyone = _ids(str(first.labels_path))
    victim = sorted(everyone)[0]

    def erase_at_publish(step: str) -> None:
        if step == "publish":  # the run's files are complete and hold the victim
            erase_person(ws, victim)

    with pytest.raises(WorkspaceError) as refused:
        pipeline.run(ws, with_models=False, progress=erase_at_publish)
    assert str(refused.value) == t("run.erased_meanwhile")
    runs = list_runs(ws)
    assert [r.run_id for r in runs] == [first.run_id]  # the refused run is not there
    assert victim not in _ids(str(runs[0].labels_path))  # and the erasure cleaned the first
    assert not list((ws.root / ".tmp").glob("run-*"))  # nor left in the scratch folder

    again = pipeline.run(ws, with_models=False)
    assert victim not in _ids(str(again.labels_path))
    assert _ids(str(again.labels_path)) == everyone - {victim}
