"""A workspace file broken while the server runs (a bad edit, a half-copied backup, a disk
error) is answered with a JSON error that names the file, in the reader's language, and
the server recovers once the file is fixed; it was a bare "internal error" 500 on every
request (users.json), or on the pages that read the file (taxonomy.yaml, kequn.toml), with
only the exception's type in the log."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kequn.demo import demo_workspace
from kequn.pipeline import run as run_taxonomy
from kequn.store.access import add_user
from kequn.store.workspace import Workspace

HAN = re.compile(r"[\u4e00-\u9fff]")
BROKEN = {"text": b"{[ not: valid", "bytes": b"\x00\xff\xfe garbage {["}


@pytest.fixture(scope="module")
def small_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = demo_workspace(tmp_path_factory.mktemp("broken"), 150, seed=5)
    run_taxonomy(ws, with_models=False)
    return ws


@pytest.fixture(scope="module")
def srv(small_ws: Workspace, serve: Any) -> Iterator[Any]:
    tokens = {role: add_user(small_ws, role, role) for role in ("admin", "viewer")}
    with serve(small_ws, tokens) as running:
        yield running


def _broken(path: Path, how: str) -> Iterator[None]:
    kept = path.read_bytes() if path.exists() else None
    path.write_bytes(BROKEN[how])
    try:
        yield
    finally:
        if kept is None:
            path.unlink()
        else:
            path.write_bytes(kept)


def _says(response: Any, lang: str, *words: str) -> None:
    assert 400 <= response.status_code < 600, response.text
    assert response.status_code != 500, response.text
    message = response.json()["error"]["message"]
    assert "/broken" not in message, message  # the workspace's folder on the server
    for word in words:
        assert word in message, message
    assert bool(HAN.search(message)) == (lang == "zh"), message


@pytest.mark.parametrize("how", sorted(BROKEN))
def test_a_broken_users_file_is_named_and_the_server_recovers(srv: Any, how: str) -> None:
    with srv.client("viewer") as client:
        for _ in _broken(srv.ws.root / "users.json", how):
            assert client.get("/api/health").status_code == 200
            for lang in ("zh", "en"):
                _says(client.get(f"/api/segments?lang={lang}"), lang, "users.json")
                page = client.get(f"/?lang={lang}")
                _says(page, lang, "users.json")
        assert client.get("/api/segments").status_code == 200


@pytest.mark.parametrize("how", sorted(BROKEN))
def test_a_broken_sessions_file_signs_no_one_in_but_tokens_still_work(srv: Any, how: str) -> None:
    with srv.client("viewer") as client:
        for _ in _broken(srv.ws.root / "sessions.json", how):
            assert client.get("/api/segments").status_code == 200
            client.cookies.set("kequn_session", "x" * 40)
            client.headers.pop("Authorization")
            assert client.get("/", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("how", sorted(BROKEN))
def test_a_broken_taxonomy_file_is_named_on_its_pages(srv: Any, how: str) -> None:
    with srv.client("admin") as client:
        for _ in _broken(srv.ws.taxonomy_path, how):
            for lang in ("zh", "en"):
                for path in ("/api/taxonomy", "/taxonomy"):
                    _says(client.get(f"{path}?lang={lang}"), lang, "taxonomy.yaml")
            # the segments come from the run's own copy
            assert client.get("/api/segments").status_code == 200
        assert client.get("/api/taxonomy").status_code == 200


@pytest.mark.parametrize("how", sorted(BROKEN))
def test_a_broken_kequn_toml_is_named_by_the_schedule(srv: Any, how: str) -> None:
    with srv.client("admin") as client:
        for _ in _broken(srv.ws.root / "kequn.toml", how):
            for lang in ("zh", "en"):
                _says(client.get(f"/api/schedule?lang={lang}"), lang, "kequn.toml")
                page = client.get(f"/runs?lang={lang}")
                assert page.status_code == 200
                assert "kequn.toml" in page.text
        assert client.get("/api/schedule").status_code == 200


@pytest.mark.parametrize("how", sorted(BROKEN))
def test_a_broken_journeys_file_opens_in_the_editor_with_its_problems(srv: Any, how: str) -> None:
    with srv.client("admin") as client:
        for _ in _broken(srv.ws.root / "journeys.yaml", how):
            listing = client.get("/api/journeys")
            assert listing.status_code == 200, listing.text
            assert listing.json()["problems"]
            assert client.get("/journeys").status_code == 200


def test_a_run_missing_a_file_is_named_without_the_server_s_folders(srv: Any) -> None:
    run = sorted((srv.ws.root / "runs").iterdir())[-1]
    features = run / "features.parquet"
    kept = features.read_bytes()
    features.unlink()
    try:
        with srv.client("viewer") as client:
            for lang in ("zh", "en"):
                _says(client.get(f"/api/worklists/sales?lang={lang}"), lang, "features.parquet")
    finally:
        features.write_bytes(kept)
