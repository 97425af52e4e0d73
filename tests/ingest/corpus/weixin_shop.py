"""微信小店 (WeChat Shop, formerly 视频号小店) order export: one row per item (SKU), the order's
columns repeated on each of its rows, as an .xlsx.

Built from (see src/kequn/ingest/formats/weixin_shop.yaml for what each gave):
- the export's 57 headers as public readers of the real file hold them (github-code-index:55097518545,
  54298817417, 61615976275, 57582919113; their repositories are not named by the code index);
- public tools reading it: 订单状态 待发货 / 已发货 / 已完成 / 已取消, 商品售后 退款完成, 商品已退款金额 per item
  (github-code-index:62028274378, 61453915589), the order amount repeated on item rows
  (github-code-index:56327107996), one row per 订单号 + 商品编码(平台) + 商品属性 (github-code-index:61045684235);
- the after-sale words of the official 售后单更新通知
  (https://developers.weixin.qq.com/doc/store/shop/notify/aftersale_callback/channels_ec_aftersale_update).
The receiver's phone is written whole here (a shop that decrypted its orders); whether the backend export
masks it is not public, see the profile notes and tests/ingest/test_weixin_shop_export.py.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from _names import GIVEN, SURNAMES, money  # shared vocabulary (corpus/_names.py)
from openpyxl import Workbook

FORMAT = "weixin_shop"

HEADERS = [
    "订单号",
    "订单下单时间",
    "订单发货时间",
    "订单确认收货时间",
    "订单完成结算时间",
    "订单状态",
    "发货方式",
    "收件人姓名",
    "收件人地址",
    "省",
    "市",
    "区",
    "收件人手机",
    "买家备注",
    "商家备注",
    "打标颜色",
    "商品总价",
    "订单实际支付金额",
    "订单实际收款金额",
    "订单运费",
    "商品优惠",
    "跨店优惠",
    "商品改价",
    "积分抵扣",
    "支付方式",
    "支付时间",
    "交易单号",
    "物流公司",
    "快递单号",
    "技术服务费",
    "技术服务费（将以人气卡形式返还）",
    "运费险预计投保费用",
    "带货方式",
    "带货账号类型",
    "带货账号昵称",
    "带货费用渠道",
    "带货费用类型",
    "带货费用",
    "带货佣金率",
    "礼物单号",
    "商品名称",
    "商品编码(平台)",
    "商品编码(自定义)",
    "SKU编码(自定义)",
    "商品属性",
    "商品价格(单件)",
    "商品实际价格(单件)",
    "商品实际价格(总共)",
    "是否预售",
    "商品数量",
    "商品平台券优惠",
    "商品平均运费",
    "定制信息",
    "定制预览图",
    "商品发货",
    "商品售后",
    "商品已退款金额",
]

PRODUCTS = [  # 商品名称, 商品编码(平台), SKU编码(自定义), 商品属性, 单价
    ("云南古树普洱 357g", "10000123456789", "PE-357", "年份:2019", Decimal("268.00")),
    ("手工红糖 500g", "10000123456790", "HT-500", "规格:500g", Decimal("39.90")),
    ("高山绿茶 礼盒", "10000123456791", "LC-BOX", "规格:250g×2", Decimal("188.00")),
    ("紫砂壶 西施 200ml", "10000123456792", "ZS-200", "容量:200ml", Decimal("399.00")),
    ("玻璃公道杯", "10000123456793", "GD-01", "颜色:透明", Decimal("29.00")),
]
PLACES = [
    ("广东省", "广州市", "天河区"),
    ("福建省", "福州市", "鼓楼区"),
    ("四川省", "成都市", "武侯区"),
    ("浙江省", "宁波市", "鄞州区"),
    ("湖北省", "武汉市", "洪山区"),
]

SCENARIOS = [  # 订单状态, 商品售后 of the after-sale line(s), truth
    ("待付款", "", "pending"),
    ("待发货", "", "paid"),
    ("已发货", "", "paid"),
    ("已完成", "", "paid"),
    ("已取消", "", "cancelled"),  # closed unpaid
    ("待发货", "商家受理中", "refunding"),
    ("已取消", "退款完成", "refunded"),  # every item refunded before shipping, freight too
    ("已完成", "退款完成", "partially_refunded"),  # one item of two
    ("已完成", "退货退款完成", "partially_refunded"),
    ("已完成", "售后关闭", "paid"),  # closed without money back
]


def build(folder: Path) -> dict:
    """Write the export into `folder` and return the truth about it."""
    rng = random.Random(20250601)
    path = Path(folder) / "订单导出_20250601_20250630.xlsx"
    people = []
    for i in range(20):
        people.append(
            {
                "label": f"b{i + 1:02d}",
                "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
                "phone": "1"
                + rng.choice("3589")
                + "".join(rng.choice("0123456789") for _ in range(9)),
                "place": rng.choice(PLACES),
            }
        )
    # trap: two different people with the same name (different phones) are two buyers
    people[1]["name"] = people[0]["name"]
    buyers = list(people) + [rng.choice(people[:8]) for _ in range(20)]
    rng.shuffle(buyers)
    scen = SCENARIOS * 2 + [("已完成", "", "paid")] * (len(buyers) - 2 * len(SCENARIOS))
    rng.shuffle(scen)
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(HEADERS)
    truth: dict[str, dict] = {}
    for n, (p, (status, word, t_status)) in enumerate(zip(buyers, scen, strict=True)):
        oid = str(3720000000000000000 + n * 7919 + rng.randint(0, 999))
        nlines = 2 if t_status == "partially_refunded" else rng.choice([1, 1, 2])
        picks = rng.sample(PRODUCTS, nlines)
        freight = Decimal("0.00") if rng.random() < 0.6 else Decimal("8.00")
        lines = []
        for title, pid, sku, attrs, price in picks:
            qty = rng.choice([1, 1, 2])
            real = price - Decimal(rng.choice(["0.00", "5.00"]))
            lines.append((title, pid, sku, attrs, price, real, qty))
        goods = sum((ln[4] * ln[6] for ln in lines), Decimal("0"))
        pay = sum((ln[5] * ln[6] for ln in lines), Decimal("0")) + freight
        unpaid = t_status in ("pending", "cancelled")
        day = 1 + n % 30
        created = f"2025-06-{day:02d} {rng.randint(8, 22):02d}:{rng.randint(0, 59):02d}:{rng.randint(10, 59):02d}"
        paid_at = "" if unpaid else created[:-2] + "05"
        shipped = status in ("已发货", "已完成")
        refunded = Decimal("0")
        place = p["place"]
        for k, (title, pid, sku, attrs, price, real, qty) in enumerate(lines):
            total = real * qty
            after = word if (t_status == "refunded" or (k == 0 and word)) else ""
            line_refund = Decimal("0")
            if after in ("退款完成", "退货退款完成"):
                line_refund = total + (freight if t_status == "refunded" and k == 0 else 0)
            refunded += line_refund
            ws.append(
                [
                    oid,
                    created,
                    created[:10] + " 18:00:00" if shipped else "",
                    "",
                    "",
                    status,
                    "快递",
                    p["name"],
                    f"{''.join(place)}{rng.choice(['中山路', '人民路'])}{rng.randint(1, 99)}号",
                    *place,
                    p["phone"],
                    "",
                    "",
                    "",
                    money(goods),
                    money(pay),
                    money(pay),
                    money(freight),
                    money(goods + freight - pay),
                    "0.00",
                    "0.00",
                    "0.00",
                    "" if unpaid else "微信支付",
                    paid_at,
                    "" if unpaid else f"42000{rng.randint(10**20, 10**21 - 1)}",
                    "中通快递" if shipped else "",
                    f"7531{rng.randint(10**9, 10**10 - 1)}" if shipped else "",
                    "0.00",
                    "0.00",
                    "0.00",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    title,
                    pid,
                    "",
                    sku,
                    attrs,
                    money(price),
                    money(real),
                    money(total),
                    "否",
                    qty,
                    "0.00",
                    money(freight / nlines),
                    "",
                    "",
                    "已发货" if shipped else "未发货",
                    after,
                    money(line_refund),
                ]
            )
        truth[oid] = {
            "status": t_status,
            "paid": money(Decimal("0") if unpaid else pay),
            "refunded": money(refunded),
            "quantity": sum(ln[6] for ln in lines),
            "buyer": p["label"],
        }
    wb.save(path)
    return {
        "files": [path],
        "format": FORMAT,
        "buyers": len({o["buyer"] for o in truth.values()}),
        "orders": truth,
        "skipped_rows": 0,
    }
