"""A database URL's password never reaches a message, however the URL is written: a
password in a query parameter, a URL without a scheme, an ``@`` left unencoded in the
password (the connector then names part of it as the host), a port out of range or a
broken IPv6 host (which stopped the command with urllib's traceback). No server needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from kequn.cli import main
from kequn.ingest.readers import SourceError
from kequn.ingest.sources.connect import mask, resolve_url, scrub
from kequn.store.workspace import Workspace

SECRET = "secretpw"


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://u:secretpw@127.0.0.1:1/db",
        "postgresql://127.0.0.1:1/db?password=secretpw",
        "postgresql://127.0.0.1:1/db?sslmode=disable&PASSWORD=secretpw&x=1",
        "u:secretpw@somehost/db",
        "postgresql://u:secretpw@127.0.0.1:99999/db",
        "postgresql://u:secretpw@[::1:1/db",
        "mysql://u:x@secretpw@127.0.0.1/db",
    ],
)
def test_mask_hides_the_password_however_written(url: str) -> None:
    assert SECRET not in mask(url)
    assert SECRET not in scrub(f"failed to connect to {url}: {SECRET}", url)


def test_mask_changes_nothing_else() -> None:
    assert mask("postgresql://u%40x:pw@db.example:5432/shop") == (
        "postgresql://u%40x:***@db.example:5432/shop"
    )
    assert mask("postgresql://db.example/shop?sslmode=require") == (
        "postgresql://db.example/shop?sslmode=require"
    )
    assert mask("postgresql://h/db?password=p&sslmode=require") == (
        "postgresql://h/db?password=***&sslmode=require"
    )


def test_a_connector_naming_part_of_an_unencoded_password_is_scrubbed() -> None:
    url = "postgresql://u:secret@pw1234@127.0.0.1:1/db"
    said = 'could not translate host name "pw1234@127.0.0.1" to address'
    assert "pw1234" not in scrub(said, url)


def test_a_password_in_a_query_parameter_is_refused_on_the_command_line() -> None:
    with pytest.raises(SourceError) as caught:
        resolve_url("postgresql://127.0.0.1:1/db?password=secretpw")
    assert SECRET not in str(caught.value)
    assert "password" in str(caught.value)


@pytest.mark.parametrize(
    "url",
    ["postgresql://u:secretpw@127.0.0.1:99999/db", "postgresql://u:secretpw@[::1:1/db"],
)
def test_an_unparsable_url_is_one_message_without_the_password(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("KQ_TEST_URL", url)
    with pytest.raises(SourceError) as caught:
        resolve_url(url_env="KQ_TEST_URL")
    assert SECRET not in str(caught.value)
    Workspace.init(tmp_path / "ws")
    argv = ["import", "orders", "--url-env", "KQ_TEST_URL", "--table", "t"]
    for lang in ("en", "zh"):
        with pytest.raises(SystemExit) as stopped:
            main([*argv, "-w", str(tmp_path / "ws"), "--lang", lang])
        assert stopped.value.code == 1
        said = capsys.readouterr()
        assert "Traceback" not in said.err
        assert SECRET not in said.out + said.err
        assert ("cannot be parsed" if lang == "en" else "无法解析") in said.err
