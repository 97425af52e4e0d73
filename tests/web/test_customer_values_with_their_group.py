"""A customer's own words (an acquisition source 合作伙伴推荐, an industry 民营医院, a
channel 抖音) showed on the English customer page as imported, beside values kequn had
translated, although the run had put each in a group it names in both languages. The
page now keeps the words as written (they are the customer's data) and names the group
beside them, in the page's language: 合作伙伴推荐 (Partner referral), 抖音（线上）. The
platform codes an order export's orders are stored with (taobao) are named too."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from kequn.core.display import VALUES
from kequn.ingest.importer import import_file
from kequn.pipeline import run as run_taxonomy
from kequn.store.access import add_user
from kequn.store.workspace import Workspace
from kequn.taxonomy.model import load_taxonomy

CUSTOMERS = (
    "customer_id,name,kind,source,preferred_channel,industry,country\n"
    "G1,成都恒通医院有限公司,enterprise,合作伙伴推荐,抖音,民营医院,CN\n"
    "G2,王芳,individual,展会,,,中国\n"
)
ORDERS = (
    "order_id,customer_id,ordered_at,amount,channel\n"
    "O1,G1,2026-09-01 10:00,120.50,抖音\n"
    "O2,G1,2026-09-10 10:00,80,taobao\n"
    "O3,G2,2026-09-12 10:00,30,展会\n"
)


@pytest.fixture(scope="module")
def grouped(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> Iterator[Any]:
    root = tmp_path_factory.mktemp("grouped")
    ws = Workspace.init(root / "ws")
    for table, text in (("customers", CUSTOMERS), ("orders", ORDERS)):
        path = root / f"{table}.csv"
        path.write_text(text, encoding="utf-8")
        import_file(ws, table, path)
    run_taxonomy(ws, as_of=date.fromisoformat("2026-09-30"), with_models=False)
    with serve(ws, {"admin": add_user(ws, "owner", "admin")}) as srv:
        yield srv


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def _cell(html: str, field: str) -> str:
    found = re.search(rf'<td data-field="{field}"[^>]*>(.*?)</td>', html)
    assert found, field
    return _text(found.group(1))


def test_english_page_names_the_group_beside_the_customers_words(grouped: Any) -> None:
    with grouped.client("admin") as client:
        page = client.get("/customers/G1", params={"lang": "en"}).text
    assert _cell(page, "source") == "合作伙伴推荐 (Partner referral)"
    assert _cell(page, "industry") == "民营医院 (Healthcare)"
    assert _cell(page, "preferred_channel") == "抖音 (Online)"
    orders = _text(page.split('id="orders"')[1].split("</table>")[0])
    assert "抖音 (Online)" in orders
    assert "Taobao / Tmall" in orders
    assert "taobao" not in orders
    # the words as written stay marked as the customer's data; the group is not
    assert '<span data-raw>合作伙伴推荐</span><span class="group"> (Partner referral)' in page


def test_chinese_page_names_a_group_only_when_it_says_more(grouped: Any) -> None:
    with grouped.client("admin") as client:
        page = client.get("/customers/G1", params={"lang": "zh"}).text
    assert _cell(page, "source") == "合作伙伴推荐"  # the group's own name: said once
    assert _cell(page, "industry") == "民营医院（医疗）"
    assert _cell(page, "preferred_channel") == "抖音（线上）"
    assert "淘宝/天猫" in _text(page.split('id="orders"')[1].split("</table>")[0])


def test_a_country_is_named_in_the_pages_language(grouped: Any) -> None:
    with grouped.client("admin") as client:
        coded = client.get("/customers/G1", params={"lang": "en"}).text
        named = client.get("/customers/G2", params={"lang": "en"}).text
        chinese = client.get("/customers/G2", params={"lang": "zh"}).text
    assert _cell(coded, "country") == "CN (China)"
    assert _cell(named, "country") == "中国 (China)"
    assert _cell(chinese, "country") == "中国"


def test_words_of_no_group_are_shown_alone(grouped: Any) -> None:
    with grouped.client("admin") as client:
        page = client.get("/customers/G2", params={"lang": "en"}).text
    assert _cell(page, "source") == "展会"  # "other": nothing to add
    assert "展会" in _text(page.split('id="orders"')[1].split("</table>")[0])
    assert "Other" not in _text(page.split('id="orders"')[1].split("</table>")[0])


def test_group_names_are_the_default_taxonomys_label_names() -> None:
    taxonomy = load_taxonomy()  # the default
    dimensions = {
        "source_group": "acquisition_source",
        "channel_group": "channel",
        "industry_group": "industry_sector",
    }
    for domain, dimension in dimensions.items():
        dim = taxonomy.dimension(dimension)
        assert dim is not None, domain
        assert VALUES[domain], domain
        labels = {label.id: (label.zh, label.en) for label in dim.labels}
        for group, names in VALUES[domain].items():
            assert labels.get(group) == names, (domain, group)
