"""The customer page names the group beside a customer's own words (ff010cf). The words
are the customer's record as imported now, the group was the run's: after a re-import
changed a source from 合作伙伴推荐 to 百度推广 and a preferred channel from 抖音 to 门店,
the page showed 百度推广 (Partner referral) and 门店 (Online) until the next run, naming
the group of words no longer shown. The group of a source or a channel is decided by
the reference table's words alone, so the page now decides it from the words it shows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from kequn.ingest.importer import import_file
from kequn.pipeline import run as run_taxonomy
from kequn.store.access import add_user
from kequn.store.workspace import Workspace

HEADER = "customer_id,name,kind,source,preferred_channel,industry\n"
ORDERS = "order_id,customer_id,ordered_at,amount\nO1,R1,2026-09-01 10:00,120.50\n"


@pytest.fixture(scope="module")
def reimported(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> Iterator[Any]:
    root = tmp_path_factory.mktemp("reimported")
    ws = Workspace.init(root / "ws")
    files = {
        "customers": HEADER + "R1,成都恒通医院有限公司,enterprise,合作伙伴推荐,抖音,民营医院\n",
        "orders": ORDERS,
    }
    for table, text in files.items():
        path = root / f"{table}.csv"
        path.write_text(text, encoding="utf-8")
        import_file(ws, table, path)
    run_taxonomy(ws, as_of=date.fromisoformat("2026-09-30"), with_models=False)
    # the customer's record changes after the run: the page shows it as it is now
    changed = root / "customers-again.csv"
    changed.write_text(
        HEADER + "R1,成都恒通医院有限公司,enterprise,百度推广,门店,民营医院\n", encoding="utf-8"
    )
    import_file(ws, "customers", changed)
    with serve(ws, {"admin": add_user(ws, "owner", "admin")}) as srv:
        yield srv


def _cell(html: str, field: str) -> str:
    found = re.search(rf'<td data-field="{field}"[^>]*>(.*?)</td>', html)
    assert found, field
    return " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split())


@pytest.mark.parametrize(
    ("lang", "source", "channel"),
    [
        ("en", "百度推广 (Advertising)", "门店 (Offline)"),
        ("zh", "百度推广（广告）", "门店（线下）"),
    ],
)
def test_the_group_is_that_of_the_words_shown(
    reimported: Any, lang: str, source: str, channel: str
) -> None:
    with reimported.client("admin") as client:
        page = client.get("/customers/R1", params={"lang": lang}).text
    assert _cell(page, "source") == source
    assert _cell(page, "preferred_channel") == channel
