"""A viewer opening the journeys pages saw the editor's "Edit journeys.yaml" heading, its
hint ("The whole file is checked before it is saved") and an empty read-only text box,
though a viewer may not edit journeys nor read the file. The pages now show a viewer only
the sentence saying so; editors keep the editor. The server already refuses a viewer's
edits (403 JSON), for journeys and the taxonomy alike."""

from __future__ import annotations

from typing import Any

import pytest
from journeys_setup import free_port, journeys_text

from kequn.store.access import add_user
from kequn.store.workspace import Workspace

EDITOR = ['id="journeys-editor"', 'id="journeys-text"', 'id="journeys-save"', 'id="journeys-check"']
HEADING = {"zh": "编辑 journeys.yaml", "en": "Edit journeys.yaml"}
HINT = {"zh": "通过后才会保存", "en": "before it is saved"}


@pytest.fixture
def site(ws: Workspace, serve: Any) -> Any:
    # two journeys, winback and care (nothing is sent: no run is planned)
    text = journeys_text(free_port(), "http://127.0.0.1:9")
    (ws.root / "journeys.yaml").write_text(text, encoding="utf-8")
    tokens = {role: add_user(ws, f"{role}-user", role) for role in ("admin", "analyst", "viewer")}
    with serve(ws, tokens) as srv:
        yield srv


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", ["/journeys", "/journeys/winback"])
def test_a_viewer_sees_no_journeys_editor(site: Any, path: str, lang: str) -> None:
    with site.client("viewer") as viewer:
        page = viewer.get(path, params={"lang": lang})
    assert page.status_code == 200
    assert 'id="journeys-readonly"' in page.text
    for control in EDITOR:
        assert control not in page.text
    assert HEADING[lang] not in page.text
    assert HINT[lang] not in page.text


@pytest.mark.parametrize("role", ["admin", "analyst"])
@pytest.mark.parametrize("path", ["/journeys", "/journeys/winback"])
def test_editors_have_the_journeys_editor(site: Any, path: str, role: str) -> None:
    with site.client(role) as editor:
        page = editor.get(path, params={"lang": "en"})
    assert page.status_code == 200
    for control in EDITOR:
        assert control in page.text
    assert HEADING["en"] in page.text
    assert 'id="journeys-readonly"' not in page.text


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PUT", "/api/journeys", {"text": "journeys: []\n"}),
        ("POST", "/api/journeys/validate", {"text": "journeys: []\n"}),
        ("POST", "/api/journeys/winback/enabled", {"enabled": False}),
        ("POST", "/api/journeys/winback/preview", {}),
        ("POST", "/api/journeys/messages/m1/replay", None),
        ("PUT", "/api/taxonomy", {"text": "dimensions: []\n"}),
    ],
)
def test_the_server_refuses_a_viewers_edits(
    site: Any, method: str, path: str, body: dict[str, Any] | None
) -> None:
    with site.client("viewer") as viewer:
        answer = viewer.request(method, path, json=body, params={"lang": "en"})
    assert answer.status_code == 403
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.json()["error"]["message"]
