"""A table that is none of the workspace's, asked for by a client that is not the
dashboard: reading the quarantine of ``../x`` answered "Cannot import into ../x", and a
table named with 100,000 characters or a NUL was quoted whole in the error. The answer is
a 404 that says there is no such table (for a read) or that it cannot be imported into,
quoting the name short and without control characters, in the request's language."""

from __future__ import annotations

import re
from typing import Any

HAN = re.compile(r"[\u4e00-\u9fff]")


def test_reading_an_unknown_table_does_not_speak_of_importing(server: Any) -> None:
    with server.client("viewer") as client:
        for lang, words in (("zh", "没有"), ("en", "no table")):
            answer = client.get("/api/quarantine", params={"table": "../x", "lang": lang})
            assert answer.status_code == 404, answer.text
            message = answer.json()["error"]["message"]
            assert words in message, message
            assert "import" not in message.lower(), message
            assert "导入" not in message, message
            assert bool(HAN.search(message)) == (lang == "zh"), message


def test_a_long_or_odd_table_name_is_quoted_short(server: Any) -> None:
    with server.client("admin") as client:
        for table in ("x" * 100_000, "orders\x00", "a\x1b[31mred"):
            answer = client.post(
                "/api/quarantine/retry", params={"lang": "en"}, json={"table": table}
            )
            assert answer.status_code == 404, answer.text
            message = answer.json()["error"]["message"]
            assert len(message) < 200, message[:300]
            assert not re.search(r"[\x00-\x1f]", message), message
        answer = client.post(
            "/api/imports/" + "y" * 3000,
            params={"lang": "en"},
            files={"file": ("o.csv", b"a,b\n1,2\n", "text/csv")},
        )
        assert answer.status_code == 404, answer.text
        assert len(answer.json()["error"]["message"]) < 200
