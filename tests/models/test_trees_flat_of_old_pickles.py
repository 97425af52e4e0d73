"""A stored tree ensemble that carries a copy of its trees in the compiled loop's layout
(kequn pickled ``TreeEnsemble._flat`` with the model before it was left out of the
file; the workspace's models keep format 2 and kequn 0.1.0 all the same, so they are
reused) is scored with the layout of the kequn scoring it: the loop's arguments changed
with the level-by-level walk (each tree's depth, the children as one array), and the old
copy's eight arrays failed the run."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from kequn.models.scoring import Tree, TreeEnsemble


def test_an_ensemble_stored_with_the_old_layout_scores(monkeypatch: pytest.MonkeyPatch) -> None:
    i = np.intp
    tree = Tree(
        feature=np.array([1, 0, 0], i),
        threshold=np.array([0.5, 0.0, 0.0]),
        missing_left=np.array([True, False, False]),
        left=np.array([1, 0, 0], i),
        right=np.array([2, 0, 0], i),
        is_leaf=np.array([False, True, True]),
        value=np.array([0.0, -1.0, 2.0]),
    )
    ensemble = TreeEnsemble(0.25, (tree, tree), 2)
    # what such a file held: the trees again as offsets, feature, threshold, missing_left,
    # left, right, is_leaf and value, pickled with the object's other fields
    old = (
        np.array([0, 3], i),
        np.concatenate([tree.feature, tree.feature]),
        np.concatenate([tree.threshold, tree.threshold]),
        np.concatenate([tree.missing_left, tree.missing_left]),
        np.concatenate([tree.left, tree.left + 3]),
        np.concatenate([tree.right, tree.right + 3]),
        np.concatenate([tree.is_leaf, tree.is_leaf]),
        np.concatenate([tree.value, tree.value]),
    )
    ensemble.__dict__["_flat"] = old
    monkeypatch.setattr(TreeEnsemble, "__getstate__", lambda self: dict(self.__dict__))
    stored = pickle.dumps(ensemble)
    monkeypatch.undo()
    again = pickle.loads(stored)
    x = np.array([[0.0, 0.1], [0.0, 0.9], [0.0, np.nan], [np.nan, 7.0]])
    expected = TreeEnsemble(0.25, (tree, tree), 2).raw_score(x, compiled=False)
    assert np.array_equal(again.raw_score(x, compiled=True), expected)
