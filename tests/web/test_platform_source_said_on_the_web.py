"""A shop's first upload of a platform export (淘宝/天猫's ExportOrderList) said on the
upload page "the platform's, as no --source was given": an option of the command the
page does not have. The dashboard and the API name the upload's own parameter
(``source=``), as they do for an upload's other source messages; so does the refusal of
``source=`` with ``no_source=true``."""

from __future__ import annotations

import re
from typing import Any

from kequn.store.access import add_user
from kequn.store.workspace import Workspace

OPTION = re.compile(r"--[a-z]")

# the 卖家中心 order export as src/kequn/ingest/formats/taobao.yaml describes it (its
# headers from github-code-index:20138030607 and :39988665824, a GBK file; 订单编号 in
# the ="..." guard of github-code-index:10313168081; the apostrophe before the phone of
# github-code-index:9209762708; the status word of the trade status set in
# https://github.com/bububa/opentaobao/blob/master/model/trade/Trade.go)
TAOBAO = (
    "订单编号,买家会员名,买家实际支付金额,订单状态,收货人姓名,收货地址 ,联系手机,"
    "订单创建时间,订单付款时间 ,宝贝标题 ,宝贝总数量,总金额\n"
    '="3012345678901234",tb_amy,88.00,交易成功,张三,浙江省 杭州市 西湖区 文三路1号(310000),'
    "'13800138001,2026-09-01 10:00:00,2026-09-01 10:01:00,棉袜 5双装,1,88.00\n"
).encode("gbk")


def test_the_platform_source_is_said_with_the_uploads_parameter(ws: Workspace, serve: Any) -> None:
    tokens = {"admin": add_user(ws, "owner", "admin")}
    with serve(ws, tokens) as srv, srv.client("admin") as client:
        for lang, name, param in (("zh", "淘宝", "source 参数"), ("en", "Taobao", "source=")):
            done = client.post(
                "/api/imports/orders",
                params={"wait": "true", "lang": lang, "create_customers": "true"},
                files={"file": ("ExportOrderList202609.csv", TAOBAO, "text/csv")},
            )
            assert done.status_code == 200, done.text
            result = done.json()["result"]
            assert result["accepted"] == 1, result
            said = [line["text"] for line in result["said"]]
            source = next(text for text in said if "taobao:" in text)
            assert name in source, said
            assert param in source, source
            assert not OPTION.search(" ".join(said)), said


def test_source_with_no_source_is_refused_in_the_uploads_words(ws: Workspace, serve: Any) -> None:
    tokens = {"admin": add_user(ws, "owner", "admin")}
    with serve(ws, tokens) as srv, srv.client("admin") as client:
        for lang in ("zh", "en"):
            refused = client.post(
                "/api/imports/orders",
                params={"lang": lang, "source": "crm", "no_source": "true"},
                files={"file": ("o.csv", b"order_id,customer_id,ordered_at,amount\n")},
            )
            assert refused.status_code == 422, refused.text
            message = refused.json()["error"]["message"]
            assert "source=crm" in message, message
            assert "no_source" in message, message
            assert not OPTION.search(message), message
