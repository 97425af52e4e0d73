"""The runs page and a team's worklist say so when they list nothing.

A workspace with no run yet showed the runs page's table with its headers and no row,
and a team no label's strategy is for (a taxonomy that gives every strategy to
marketing, say) got a worklist of headers alone: a reader could not tell an empty list
from a page that failed to load. Each now says what is empty and why, in 中文 and
English."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kequn.demo import demo_workspace
from kequn.pipeline import run as run_taxonomy
from kequn.store.access import add_user
from kequn.taxonomy.model import default_text


@pytest.fixture(scope="module")
def bare(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> Iterator[Any]:
    ws = demo_workspace(tmp_path_factory.mktemp("empty-lists"), 40, seed=11)
    with serve(ws, {"viewer": add_user(ws, "v", "viewer")}) as srv:
        yield srv


@pytest.mark.parametrize(("lang", "said"), [("zh", "还没有运行记录"), ("en", "No runs yet")])
def test_the_runs_page_says_there_is_no_run(bare: Any, lang: str, said: str) -> None:
    with bare.client("viewer") as client:
        page = client.get("/runs", params={"lang": lang})
    assert page.status_code == 200, page.text
    assert 'id="runs-none"' in page.text
    assert said in page.text


def test_a_worklist_of_no_one_says_so(bare: Any, tmp_path: Path) -> None:
    text = default_text().replace("team: sales", "team: marketing")
    assert "team: sales" not in text
    bare.ws.taxonomy_path.write_text(text, encoding="utf-8")
    run_taxonomy(bare.ws, with_models=False)
    with bare.client("viewer") as client:
        zh = client.get("/worklists/sales", params={"lang": "zh"})
        en = client.get("/worklists/sales", params={"lang": "en"})
        full = client.get("/worklists/marketing", params={"lang": "en"})
    assert zh.status_code == en.status_code == 200, zh.text
    assert "没有需要销售团队跟进的客户" in zh.text
    assert "No customer in this run is for the Sales team" in en.text
    assert 'id="worklist-none"' not in full.text  # a list with rows says nothing of the kind
