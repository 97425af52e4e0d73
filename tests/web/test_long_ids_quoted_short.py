"""A run or customer id of 3,000 characters came back whole in the API's 404 (and the
command's "not found"): the message is lost in it. What a message quotes of an id is
its first QUOTED_MAX (200) characters and an ellipsis (a viewer's token, ~90, is
quoted whole). And a ``?source=`` of a workspace with no
named source said "Known: -": it now says there is none yet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cli_helpers import kequn_words
from kequn.core.i18n import QUOTED_MAX
from kequn.ingest.importer import import_file
from kequn.pipeline import run
from kequn.store.access import add_user
from kequn.store.workspace import Workspace

LONG = "r" * 3000


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/segments", {"run": LONG}),
        (f"/api/customers/{LONG}", {}),
    ],
)
def test_a_long_id_is_quoted_short(server: Any, path: str, params: dict[str, str]) -> None:
    with server.client("admin") as client:
        answer = client.get(path, params={**params, "lang": "en"})
    assert answer.status_code == 404, answer.text[:300]
    message = answer.json()["error"]["message"]
    assert "r" * QUOTED_MAX + "…" in message
    assert "r" * (QUOTED_MAX + 1) not in message
    assert len(message) < QUOTED_MAX + 150


def test_the_command_quotes_a_long_id_short(
    server: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    code, said = kequn_words(capsys, "--lang", "en", "show", LONG, "-w", server.ws.root)
    assert code == 1, said[:300]
    assert "r" * QUOTED_MAX + "…" in said
    assert "r" * (QUOTED_MAX + 1) not in said


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "There is no source nope: no record comes from a named source yet"),
        ("zh", "没有数据源 nope：还没有任何记录来自有名称的数据源"),
    ],
)
def test_a_source_of_a_workspace_without_sources(
    ws: Workspace, serve: Any, tmp_path: Path, lang: str, words: str
) -> None:
    # a plain CSV (RFC 4180, https://www.rfc-editor.org/rfc/rfc4180), imported with no
    # source named: the workspace's records come from no named source
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "order_id,customer_id,ordered_at,amount,status\r\nO1,C001,2026-01-02,100,paid\r\n",
        encoding="utf-8",
        newline="",
    )
    import_file(ws, "orders", orders, create_customers=True)
    run(ws, with_models=False)
    tokens = {"admin": add_user(ws, "owner", "admin")}
    with serve(ws, tokens) as srv, srv.client("admin") as client:
        answer = client.get("/api/segments", params={"source": "nope", "lang": lang})
    assert answer.status_code == 404, answer.text
    message = answer.json()["error"]["message"]
    assert words in message
    assert "Known: -" not in message
    assert "已有：-" not in message
    assert "--source" not in message  # the API's parameter (source=), not the option
