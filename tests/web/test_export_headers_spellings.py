"""The API's export takes ``headers=`` written as ``lang=`` takes a language (``ZH``,
``zh-CN``, ``en-US``): its pattern refused them with a 422. ``ids`` stays the default,
and a language kequn does not speak is a 422 with a code and a message naming it."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

SEGMENT = "/api/segments/lifecycle/active/export"


@pytest.mark.parametrize(
    ("given", "first"), [("ZH", "客户编号"), ("zh-CN", "客户编号"), ("en-US", "Customer id")]
)
def test_headers_written_as_lang_is_written(server: Any, given: str, first: str) -> None:
    with server.client("admin") as client:
        named = client.get(SEGMENT, params={"format": "csv", "headers": given})
    assert named.status_code == 200, named.text
    assert next(csv.reader(io.StringIO(named.text)))[0] == first


def test_a_language_not_spoken_is_a_422(server: Any) -> None:
    with server.client("admin") as client:
        bad = client.get(SEGMENT, params={"format": "csv", "headers": "fr", "lang": "zh"})
    assert bad.status_code == 422, bad.text
    error = bad.json()["error"]
    assert error["code"] == "bad_headers"
    assert "headers 只能是 ids、zh 或 en" in error["message"]
    assert "fr" in error["message"]
