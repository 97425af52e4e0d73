"""``kequn sync`` of several sources: one source that cannot be read (its server down, its
table gone) stopped the whole sync with a message that named a URL but not the source, and
the sources after it were not pulled at all. Now every source is pulled; each that failed
is named in the message (中文 and English), the others are imported and printed, and the
exit code is 1."""

from __future__ import annotations

from typing import Any

import pytest

from cli_helpers import kequn
from kequn.store.workspace import Workspace


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_one_failing_source_is_named_and_the_others_sync(
    pg_server: Any, ws: Workspace, monkeypatch: pytest.MonkeyPatch, capsys: Any, lang: str
) -> None:
    pg_server.execute(
        "DROP TABLE IF EXISTS named_orders",
        "CREATE TABLE named_orders (order_id VARCHAR(9), customer_id VARCHAR(9), "
        "ordered_at TIMESTAMP, amount DECIMAL(9, 2))",
        "INSERT INTO named_orders VALUES ('N1', 'C1', '2025-01-01 10:00:00', 10)",
    )
    monkeypatch.setenv("KQ_NAMED_URL", pg_server.url)
    with (ws.root / "kequn.toml").open("a", encoding="utf-8") as fh:
        fh.write(
            '\n[sources.broken]\nurl_env = "KQ_NAMED_URL"\ntable = "no_such_table"\n'
            'kind = "orders"\n'
            '\n[sources.good]\nurl_env = "KQ_NAMED_URL"\ntable = "named_orders"\n'
            'kind = "orders"\n'
        )
    code, out = kequn(capsys, "--lang", lang, "sync", "-w", ws.root)
    assert code == 1
    assert "Traceback" not in out
    assert pg_server.password not in out
    said = " ".join(out.replace("│", " ").split())
    if lang == "en":
        assert "Source broken could not be synced" in said
    else:
        assert "数据源 broken 同步失败" in said
    assert "good" in said  # its sync is printed too
    with ws.read() as con:
        assert con.execute("SELECT order_id FROM orders").fetchall() == [("good:N1",)]
