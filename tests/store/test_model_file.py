"""The stored models' file: no scikit-learn in it or in a run that reuses it, and files
written before (scikit-learn objects, format 1) still read."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import subprocess
import sys

import numpy as np
import pyarrow.parquet as pq
import pytest
from sklearn.cluster import KMeans
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from kequn.demo import demo_workspace
from kequn.models.churn import LEARNED, ChurnFit
from kequn.models.clusters import ClusterFit
from kequn.models.scoring import NearestCentre, TreeEnsemble
from kequn.pipeline import run
from kequn.store import models as store
from kequn.store.workspace import Workspace

DAY = dt.date(2026, 9, 29)
ALL = ["bgnbd", "mbgnbd", "gamma_gamma", "churn", "clusters"]

#: a stored-models run from the command line, in a fresh interpreter; prints the run's
#: JSON, then the scikit-learn and numba modules that were imported
RUN_AND_LIST = """
import json, sys
from kequn.cli import main
try:
    main(["run", "-w", sys.argv[1], "--as-of", sys.argv[2], "--json"])
except SystemExit as stop:
    if stop.code:
        raise
print()
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("sklearn", "numba"))))
"""


def _old_format(ws: Workspace, churn_model: object, cluster_model: object) -> None:
    """A models file as kequn wrote it before the numpy scorers: format 1, the fitted
    scikit-learn objects in the fits."""
    fitted = {
        "btyd": None,
        "churn": ChurnFit(LEARNED, churn_model, 90),  # type: ignore[arg-type]
        "clusters": ClusterFit(cluster_model, np.array([2, 1, 3]), {"k": 3}),  # type: ignore[arg-type]
    }
    old = store.StoredModels("2026-09-29", "2026-09-29T10:00:00", {}, fitted, {}, format=1)
    store.models_dir(ws).mkdir(parents=True, exist_ok=True)
    with (store.models_dir(ws) / "fitted.pkl").open("wb") as f:
        pickle.dump(old, f)


def test_a_file_of_format_1_is_read_into_the_numpy_scorers(ws: Workspace) -> None:
    rng = np.random.default_rng(4)
    x = rng.normal(size=(600, 5))
    x[rng.random(x.shape) < 0.1] = np.nan
    y = np.nan_to_num(x[:, 0]) + rng.normal(size=600) > 0
    classifier = HistGradientBoostingClassifier(max_iter=20, max_leaf_nodes=7).fit(x, y)
    pipeline = make_pipeline(StandardScaler(), KMeans(3, n_init=2, random_state=0))
    pipeline.fit(np.nan_to_num(x))
    _old_format(ws, classifier, pipeline)

    stored = store.load(ws)
    assert stored is not None
    assert stored.format == store.FORMAT == 2
    churn, clusters = stored.fitted["churn"], stored.fitted["clusters"]
    assert isinstance(churn.model, TreeEnsemble)
    assert isinstance(clusters.model, NearestCentre)
    assert (churn.basis, churn.horizon_days) == (LEARNED, 90)
    assert clusters.renumber.tolist() == [2, 1, 3]
    np.testing.assert_allclose(
        churn.model.probability(x), classifier.predict_proba(x)[:, 1], rtol=0, atol=1e-12
    )
    assert np.array_equal(
        clusters.model.predict(np.nan_to_num(x)), pipeline.predict(np.nan_to_num(x))
    )
    # and it is reused like a new file (same versions, fresh)
    reason, _ = store.refit_reason(stored, DAY, {}, refit_days=7)
    assert reason is None


def test_a_file_of_format_1_that_cannot_be_read_is_fitted_again(ws: Workspace) -> None:
    _old_format(ws, "not a classifier", "not a pipeline")
    assert store.load(ws) is None
    assert store.refit_reason(None, DAY, {}, refit_days=7)[0] == {
        "key": "models.refit.none",
        "params": {},
    }


def test_versions_are_read_without_importing_sklearn() -> None:
    code = (
        "import sys\n"
        "from kequn.store.models import versions\n"
        "v = versions()\n"
        "print(v['scikit-learn'], 'sklearn' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    import sklearn

    assert done.stdout.split() == [sklearn.__version__, "False"]


@pytest.mark.slow
def test_a_run_on_stored_models_does_not_import_sklearn(ws: Workspace) -> None:
    """The first run fits and stores every model (the classifier chosen for churn on this
    data, so its trees are what the next run scores with); a later run, through the
    command line in a fresh interpreter, reuses them all, scores the same, and never
    imports scikit-learn, nor numba (the trees and the clusters of a small shop are
    scored in numpy)."""
    ws = demo_workspace(ws.root.parent / "demo", 2000, seed=3)
    first = run(ws, as_of=DAY)
    assert (first.models or {})["churn"]["basis"] == LEARNED
    stored = store.load(ws)
    assert stored is not None
    assert isinstance(stored.fitted["churn"].model, TreeEnsemble)
    saved = (store.models_dir(ws) / "fitted.pkl").read_bytes()
    assert b"sklearn" not in saved

    done = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST, str(ws.root), DAY.isoformat()],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    *output, imported = done.stdout.strip().splitlines()
    assert json.loads(imported) == []
    text = "\n".join(output)
    reused = json.loads(text[text.index("{") :])
    assert reused["models"]["stored"]["reused"] == ALL
    # the same models on the same day: the same scores
    second = ws.root / "runs" / reused["run_id"] / "labels.parquet"
    columns = ["customer_id", "churn_risk", "cluster", "p_alive"]
    before = first.rows(columns).sort_by("customer_id")
    after = pq.read_table(second, columns=columns).sort_by("customer_id")
    assert before.equals(after)
    assert after["churn_risk"].null_count < after.num_rows
