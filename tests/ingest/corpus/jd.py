"""京东 商家后台 order export (.xlsx, one row per SKU), built from public sources.

Sources (see src/kequn/ingest/formats/jd.yaml for what each backs):
  https://github.com/guoxianlong/ecom/blob/master/src/main/java/com/ecom/common/constant/JDOrderStateEnum.java
  github-code-index:44332149538  (exact column order + a dumped sample row)
  github-code-index:10927138139  (extra columns 送装服务, 服务费, 仓库id, 仓库名称)
  github-code-index:49023779910  (one row per SKU, 应付金额 per order, status words)
  github-code-index:13495686702, github-code-index:32990445970  (more status words)
The "github-code-index:N" ids are files of the public GitHub code index whose repository could not be resolved.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from _names import (  # shared vocabulary (corpus/_names.py)
    GIVEN,
    SURNAMES,
    mask_name,
    mask_phone,
    money,
)
from openpyxl import Workbook

FORMAT = "jd"

HEADERS = [
    "订单号",
    "商品ID",
    "商品名称",
    "订购数量",
    "支付方式",
    "下单时间",
    "京东价",
    "订单金额",
    "结算金额",
    "余额支付",
    "应付金额",
    "订单状态",
    "订单类型",
    "下单帐号",
    "客户姓名",
    "客户地址",
    "联系电话",
    "订单备注",
    "发票类型",
    "发票抬头",
    "发票内容",
    "商家备注",
    "商家备注等级（等级1-5为由高到低）",
    "运费金额",
    "付款确认时间",
    "增值税发票",
    "货号",
    "订单完成时间",
    "订单来源",
    "订单渠道",
    "送装服务",
    "服务费",
    "仓库id",
    "仓库名称",
]

# status word -> (canonical, paid?, refunded?)
WORDS = {
    "等待付款": ("pending", False, False),
    "等待付款确认": ("pending", False, False),
    "未付款": ("pending", False, False),
    "等待出库": ("paid", True, False),
    "等待确认收货": ("paid", True, False),
    "完成": ("paid", True, False),
    "锁定": ("refunding", True, False),
    "(锁定)等待出库": ("refunding", True, False),
    "已取消": ("cancelled", False, False),
    "(删除)未付款": ("cancelled", False, False),
    "(删除)等待付款": ("cancelled", False, False),
    "(删除)等待出库": ("refunded", True, True),
    "(删除)等待确认收货": ("refunded", True, True),
    "(删除)锁定": ("refunded", True, True),
}

PLACES = [
    "北京朝阳区望京街道",
    "上海浦东新区张江镇",
    "广东深圳市南山区粤海街道",
    "江苏南京市鼓楼区湖南路街道",
    "浙江杭州市余杭区五常街道",
    "四川成都市高新区桂溪街道",
    "湖北武汉市洪山区关山街道",
    "江西南昌市青山湖区昌东镇",
]
SKUS = [
    ("100012043978", "美的电热水壶1.7L家用304不锈钢", Decimal("99.00")),
    ("100008348542", "小米充电宝20000mAh快充版", Decimal("129.00")),
    ("100016034400", "九阳豆浆机家用破壁免滤", Decimal("399.00")),
    ("100009077475", "飞利浦电动牙刷HX6730", Decimal("299.00")),
    ("100011386554", "得力A4复印纸70g 500张*5包", Decimal("119.90")),
    ("100004559325", "蓝月亮洗衣液3kg*2瓶", Decimal("79.90")),
]


def build(folder: Path) -> dict:
    rng = random.Random(20250118)
    folder = Path(folder)
    path = folder / "京东订单导出_20250118.xlsx"  # file name not confirmed by sources
    buyers = []
    for i in range(32):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        phone = "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))
        pin = rng.choice(["jd_", "rds", "", "wx_"]) + "".join(
            rng.choice("abcdefghjkmnpqrstuvwxyz0123456789") for _ in range(rng.randint(6, 10))
        )
        buyers.append(
            {
                "label": f"b{i:02d}",
                "pin": pin,
                "name": name,
                "phone": phone,
                "addr": rng.choice(PLACES) + f"{rng.randint(1, 200)}号",
            }
        )
    # trap: two different people with the same masked name 张* and the same masked address prefix
    buyers[5]["name"], buyers[6]["name"] = "张伟", "张敏"
    buyers[5]["addr"] = buyers[6]["addr"] = "北京朝阳区望京街道8号"

    plan = (
        list(WORDS)
        + ["完成"] * 22
        + ["等待确认收货"] * 10
        + ["等待出库"] * 8
        + ["(删除)等待出库", "已取消", "锁定", "等待付款"]
    )
    rng.shuffle(plan)
    start = datetime(2025, 1, 3, 8, 0, 0)
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(HEADERS)
    truth = {}
    n_rows = 0
    for k, word in enumerate(plan):
        canon, is_paid, is_refunded = WORDS[word]
        b = buyers[rng.randrange(12)] if rng.random() < 0.45 else rng.choice(buyers)
        oid = str(rng.randint(280_000_000_000, 309_999_999_999))
        while oid in truth:
            oid = str(rng.randint(280_000_000_000, 309_999_999_999))
        lines = rng.sample(SKUS, rng.choice([1, 1, 1, 2, 3]))
        qtys = [rng.choice([1, 1, 2]) for _ in lines]
        goods = sum((s[2] * q for s, q in zip(lines, qtys, strict=False)), Decimal("0"))
        freight = Decimal("0") if goods >= 99 else Decimal("6.00")
        order_amount = goods + freight
        discount = rng.choice(
            [
                Decimal("0"),
                Decimal("0"),
                Decimal("10.00"),
                (goods * Decimal("0.15")).quantize(Decimal("0.01")),
            ]
        )
        payable = order_amount - discount
        created = start + timedelta(
            days=k // 3,
            hours=rng.randint(0, 13),
            minutes=rng.randint(0, 59),
            seconds=rng.randint(0, 59),
        )
        paid_at = created + timedelta(seconds=rng.randint(20, 900))
        done_at = paid_at + timedelta(days=rng.randint(2, 6)) if word == "完成" else None
        for (sku, title, price), q in zip(lines, qtys, strict=False):
            ws.append(
                [
                    oid,
                    sku,
                    title,
                    q,
                    "在线支付",
                    f"{created:%Y-%m-%d %H:%M:%S}",
                    money(price),
                    money(order_amount),
                    money(payable if is_paid else Decimal("0")),
                    "0.00",
                    money(payable),
                    word,
                    "销售订单",
                    b["pin"],
                    mask_name(b["name"]),
                    b["addr"][:6] + "****",
                    mask_phone(b["phone"]),
                    "",
                    "电子发票" if rng.random() < 0.3 else "",
                    "个人" if rng.random() < 0.3 else "",
                    "",
                    "",
                    "",
                    money(freight),
                    f"{paid_at:%Y-%m-%d %H:%M:%S}" if is_paid else "",
                    "",
                    "",
                    f"{done_at:%Y-%m-%d %H:%M:%S}" if done_at else "",
                    rng.choice(["移动端订单", "移动端订单", "PC订单", "微信订单"]),
                    "暂无来源",
                    "",
                    "0.00",
                    "",
                    "",
                ]
            )
            n_rows += 1
        paid = payable if is_paid else Decimal("0")
        truth[oid] = {
            "status": canon,
            "paid": money(paid),
            "refunded": money(paid if is_refunded else Decimal("0")),
            "quantity": sum(qtys),
            "buyer": b["label"],
        }
    # ids must stay text in Excel
    for row in ws.iter_rows(min_row=2):
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
