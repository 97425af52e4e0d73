"""A MySQL / MariaDB source's TLS options, as the mysql client names them (ssl-mode,
ssl-ca), against a real MariaDB offering TLS with a certificate of a CA made for the
test: kequn ignored them, so a server requiring a verified certificate could not be
reached, and a connection could not be refused unless encrypted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tls_certs import make_ca

from kequn.ingest.readers import SourceError
from kequn.ingest.sources import connect

CIPHER = (
    "SELECT VARIABLE_VALUE AS cipher FROM information_schema.SESSION_STATUS "
    "WHERE VARIABLE_NAME = 'Ssl_cipher'"
)


def _cipher(url: str) -> str:
    """The TLS cipher of a connection made with ``url`` ('' when not encrypted)."""
    with connect.read(connect.Location(url), CIPHER, [], watermark=None, batch_rows=10) as got:
        columns, _ = next(got.batches)
    return str(columns[0].to_pylist()[0] or "")


@pytest.fixture
def tls_server(mysql_server: Any) -> Any:
    if mysql_server.ca is None:
        pytest.skip("openssl not installed: the test server offers no TLS")
    return mysql_server


def test_a_verified_connection_is_encrypted(tls_server: Any) -> None:
    ca = tls_server.ca
    verified = f"{tls_server.tls_url}?ssl-mode=VERIFY_IDENTITY&ssl-ca={ca}"
    assert _cipher(verified)
    assert _cipher(f"{tls_server.url}?ssl_mode=required")  # either spelling
    assert _cipher(f"{tls_server.url}?ssl-ca={ca}")  # a CA alone: VERIFY_CA
    assert _cipher(f"{tls_server.url}?ssl-mode=disabled") == ""


def test_a_certificate_of_another_ca_is_refused(tls_server: Any, tmp_path: Path) -> None:
    other = make_ca(tmp_path, "other")
    assert other is not None
    url = f"{tls_server.url}?ssl-mode=VERIFY_CA&ssl-ca={other[0]}"
    with pytest.raises(SourceError) as refused:
        _cipher(url)
    said = str(refused.value)
    assert "certificate" in said.lower()
    assert tls_server.password not in said  # the URL is shown masked


def test_a_tls_only_user_is_refused_without_tls(tls_server: Any) -> None:
    with pytest.raises(SourceError) as refused:
        _cipher(f"{tls_server.tls_url}?ssl-mode=DISABLED")
    assert tls_server.password not in str(refused.value)


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("ssl-mode=VERIFY_FULL", "ssl-mode=verify_full"),
        ("ssl-mode=REQUIRED&ssl-ca=/nowhere/ca.pem", "/nowhere/ca.pem"),
    ],
)
def test_a_wrong_option_is_named(mysql_server: Any, query: str, said: str) -> None:
    with pytest.raises(SourceError) as refused:
        _cipher(f"{mysql_server.url}?{query}")
    assert said in str(refused.value)
    assert mysql_server.password not in str(refused.value)
