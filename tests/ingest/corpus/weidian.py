"""微店 (Weidian) order export -- LOW CONFIDENCE reconstruction.

No public source shows a real Weidian export; see src/kequn/ingest/formats/weidian.yaml. The only sources found
(github-code-index:19171816714, github-code-index:28295911524, github-code-index:17018068227; GitHub files whose
repository could not be resolved) show the seller order list at https://d.weidian.com/orderNew/#/orderList/list and
the API thor.weidian.com/tradeview/seller.getOrderListForPC/1.0, not the export's header texts. The headers, status
words and .xlsx type below are guesses that mirror weidian.yaml; replace them once a real file is available.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from _names import GIVEN, SURNAMES, money  # shared vocabulary (corpus/_names.py)
from openpyxl import Workbook

FORMAT = "weidian"

HEADERS = [
    "订单编号",
    "订单状态",
    "退款状态",
    "下单时间",
    "付款时间",
    "买家昵称",
    "收货人姓名",
    "收货人手机号",
    "收货地址",
    "商品名称",
    "商品数量",
    "商品总价",
    "运费",
    "优惠金额",
    "实付金额",
    "退款金额",
    "买家留言",
    "卖家备注",
]

# (订单状态, 退款状态, canonical, refund kind)
PLAN = [
    ("待付款", "无退款", "pending", None),
    ("待发货", "无退款", "paid", None),
    ("已发货", "无退款", "paid", None),
    ("已完成", "无退款", "paid", None),
    ("已关闭", "无退款", "cancelled", None),
    ("已关闭", "退款成功", "refunded", "full"),
    ("退款中", "退款中", "refunding", None),
    ("已完成", "部分退款", "partially_refunded", "part"),
]
NICKS = [
    "小太阳",
    "A宝妈",
    "晴天",
    "Lucky",
    "木子",
    "安静的美男子",
    "糖糖",
    "🌸花开",
    "阿Ken",
    "一叶知秋",
]
ITEMS = [
    ("手工红糖姜茶 12袋", Decimal("39.00")),
    ("云南古树普洱茶饼357g", Decimal("168.00")),
    ("宝宝辅食米粉 2罐", Decimal("86.00")),
    ("手作香皂礼盒", Decimal("58.00")),
]


def build(folder: Path) -> dict:
    rng = random.Random(20250120)
    folder = Path(folder)
    path = folder / "微店订单导出_20250120.xlsx"
    buyers = []
    for i in range(40):
        buyers.append(
            {
                "label": f"b{i:02d}",
                "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
                "phone": "1"
                + rng.choice("3578")
                + "".join(rng.choice("0123456789") for _ in range(9)),
                "nick": rng.choice(NICKS),  # nicknames repeat across different people on purpose
                "addr": rng.choice(
                    [
                        "浙江省 杭州市 拱墅区",
                        "广东省 广州市 天河区",
                        "云南省 昆明市 五华区",
                        "重庆 重庆市 渝中区",
                    ]
                )
                + f" 幸福路{rng.randint(1, 99)}号",
            }
        )
    plan = PLAN * 2 + [p for p in PLAN if p[2] == "paid"] * 12
    rng.shuffle(plan)
    start = datetime(2025, 1, 6, 8, 0, 0)
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    truth = {}
    for k, (word, rword, canon, rkind) in enumerate(plan):
        b = buyers[rng.randrange(8)] if rng.random() < 0.25 else rng.choice(buyers)
        oid = str(rng.randint(790_000_000_000_000, 799_999_999_999_999))
        item, price = rng.choice(ITEMS)
        qty = rng.choice([1, 1, 2, 3])
        goods = price * qty
        freight = Decimal("0") if goods >= 99 else Decimal("8.00")
        disc = rng.choice([Decimal("0"), Decimal("5.00")])
        pay = goods + freight - disc
        created = start + timedelta(
            days=k // 3, hours=rng.randint(0, 12), minutes=rng.randint(0, 59)
        )
        unpaid = canon in ("pending", "cancelled")
        paid = Decimal("0") if unpaid else pay
        refund = (
            paid
            if rkind == "full"
            else (
                (paid * Decimal("0.4")).quantize(Decimal("0.01"))
                if rkind == "part"
                else Decimal("0")
            )
        )
        ws.append(
            [
                oid,
                word,
                rword,
                f"{created:%Y-%m-%d %H:%M:%S}",
                ""
                if unpaid
                else f"{created + timedelta(minutes=rng.randint(1, 20)):%Y-%m-%d %H:%M:%S}",
                b["nick"],
                b["name"],
                b["phone"],
                b["addr"],
                item,
                qty,
                money(goods),
                money(freight),
                money(disc),
                money(paid),
                money(refund),
                "",
                "",
            ]
        )
        truth[oid] = {
            "status": canon,
            "paid": money(paid),
            "refunded": money(refund),
            "quantity": qty,
            "buyer": b["label"],
        }
    for row in ws.iter_rows(min_row=2, max_col=1):
        for c in row:
            c.number_format = "@"
    wb.save(path)
    return {
        "files": [path],
        "format": FORMAT,
        "buyers": len({t["buyer"] for t in truth.values()}),
        "orders": truth,
        "skipped_rows": 0,
    }
