"""A JSON body may spell a character as ``\\ud800``: half of a UTF-16 pair, which no
UTF-8 text can hold. Python's JSON reader lets it through (as it does the same half
written as raw bytes, ED A0 80), and it failed where the text was written or answered:
a rule previewed (the audit line), a run's date (the answer quoting it) were a 500, a
taxonomy saved was refused in Python's English ("UnicodeEncodeError: 'utf-8' codec
can't encode…") whatever the reader's language."""

from __future__ import annotations

import re
from typing import Any

import pytest

HAN = re.compile(r"[\u4e00-\u9fff]")
#: (method, path, body with SURROGATE where a half pair goes)
BODIES = [
    ("POST", "/api/taxonomy/preview", b'{"rule": "SURROGATE"}'),
    ("POST", "/api/taxonomy/preview", b'{"rule": "orders > 1", "dimension": "SURROGATE"}'),
    ("POST", "/api/runs", b'{"as_of": "SURROGATE"}'),
    ("PUT", "/api/taxonomy", b'{"text": "SURROGATE"}'),
    ("POST", "/api/taxonomy/validate", b'{"text": "SURROGATE"}'),
    ("POST", "/api/privacy/erase", b'{"customer_id": "SURROGATE"}'),
]
HALVES = [b"\\ud800", b"x\\uDFFF", b"\\ud83d\\u0041", b"\xed\xa0\x80"]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("half", HALVES)
def test_half_a_surrogate_pair_is_refused_in_the_reader_s_words(
    server: Any, lang: str, half: bytes
) -> None:
    with server.client("admin") as client:
        for method, path, body in BODIES:
            response = client.request(
                method,
                path,
                params={"lang": lang},
                content=body.replace(b"SURROGATE", half),
                headers={"Content-Type": "application/json"},
            )
            where = (method, path, half)
            assert response.status_code == 400, (where, response.text)
            error = response.json()["error"]
            assert error["code"] == "invalid_text", where
            assert "Unicode" not in error["message"], where
            assert bool(HAN.search(error["message"])) == (lang == "zh"), where


def test_a_whole_pair_and_an_escaped_backslash_are_text_as_any(server: Any) -> None:
    """An emoji written as its pair, and ``\\\\ud800`` (a backslash, then letters), are
    no halves: the rule is read and explained as any other."""
    with server.client("viewer") as client:
        for rule in (b'"orders > 1 and city != \\"\\ud83d\\ude00\\""', b'"\\\\ud800"'):
            response = client.post(
                "/api/taxonomy/preview",
                content=b'{"rule": ' + rule + b"}",
                headers={"Content-Type": "application/json"},
            )
            assert response.status_code == 200, response.text
    assert response.json()["ok"] is False  # a backslash is no rule
