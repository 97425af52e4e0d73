"""小红书 千帆 / ark 商家后台 order export, one row per order (包裹), receiver fields masked.

Built from:
- https://blog.csdn.net/weixin_44353800/article/details/131854348 and
  https://blog.csdn.net/wb1597063760/article/details/131853890 (order.getOrderList / getOrderDetail:
  orderStatus 1已下单待付款 2已支付处理中 3清关中 4待发货 5部分发货 6待收货 7已完成 8已关闭 9已取消 10换货申请中;
  orderAfterSalesStatus 1无售后 2售后处理中 3售后完成(含取消) 4售后拒绝 5售后关闭 6平台介入中; createdTime/paidTime;
  receiverProvinceName/CityName/DistrictName; customerRemark/sellerRemark)
- https://apifox.com/apidoc/docs-site/1103512/doc-2810951 (小红书 open platform: 数据加解密, 批量解密/批量脱敏 -
  receiver name/phone/address are encrypted/masked for merchants)
The export header texts are modelled on the API field names; no public sample of the real ark export file
was found, see the profile notes.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from _names import SURNAMES, mask_phone, money  # shared vocabulary (corpus/_names.py)
from openpyxl import Workbook

FORMAT = "xiaohongshu"

HEADERS = [
    "订单号",
    "订单类型",
    "订单状态",
    "售后状态",
    "下单时间",
    "支付时间",
    "用户ID",
    "商品名称",
    "商品规格",
    "商品编码",
    "商品数量",
    "商品总价",
    "运费",
    "商家优惠",
    "平台优惠",
    "实付金额",
    "退款金额",
    "收件人",
    "收件人手机号",
    "省份",
    "城市",
    "区县",
    "详细地址",
    "用户备注",
    "商家备注",
]
PRODUCTS = [
    ("氨基酸洁面乳 120g", "规格:120g", "XHS-CLN-01", Decimal("79.00")),
    ("玻尿酸补水面膜 10片", "规格:10片", "XHS-MSK-02", Decimal("99.00")),
    ("桂花乌龙冷泡茶 15袋", "规格:15袋", "XHS-TEA-03", Decimal("45.00")),
    ("法式复古碎花连衣裙", "颜色:蓝色;尺码:M", "XHS-DRS-04", Decimal("259.00")),
    ("香薰蜡烛礼盒", "香型:白茶", "XHS-CDL-05", Decimal("128.00")),
]
PLACES = [
    ("上海市", "上海市", "静安区"),
    ("广东省", "广州市", "天河区"),
    ("浙江省", "杭州市", "滨江区"),
    ("北京市", "北京市", "海淀区"),
    ("四川省", "成都市", "锦江区"),
    ("江苏省", "苏州市", "工业园区"),
]

SCENARIOS = [
    ("已下单待付款", "无售后", "pending"),
    ("已支付处理中", "无售后", "paid"),
    ("清关中", "无售后", "paid"),
    ("待发货", "无售后", "paid"),
    ("部分发货", "无售后", "paid"),
    ("待收货", "无售后", "paid"),
    ("已完成", "无售后", "paid"),
    ("已关闭", "无售后", "cancelled"),
    ("已取消", "无售后", "cancelled"),
    ("换货申请中", "售后处理中", "paid"),
    ("待收货", "售后处理中", "refunding"),
    ("已完成", "平台介入中", "refunding"),
    ("已关闭", "售后完成", "refunded"),
    ("已完成", "售后完成", "partially_refunded"),
    ("已完成", "售后拒绝", "paid"),
    ("已完成", "售后关闭", "paid"),
]


def build(folder: Path) -> dict:
    """Write the export into `folder` and return the truth about it."""
    rng = random.Random(31415)
    path = Path(folder) / "订单列表导出_20250401.xlsx"
    people = []
    for i in range(24):
        phone = "1" + rng.choice("3578") + "".join(rng.choice("0123456789") for _ in range(9))
        people.append(
            {
                "label": f"b{i + 1:02d}",
                "uid": "".join(rng.choice("0123456789abcdef") for _ in range(24)),
                "surname": rng.choice(SURNAMES),
                "phone": phone,
                "place": rng.choice(PLACES),
            }
        )
    # trap: two different people whose masked name AND masked phone look identical (陈** / 138****6688)
    for p in people[:2]:
        p["surname"] = "陈"
        p["phone"] = "138" + str(rng.randint(1000, 9999)) + "6688"
    buyers = list(people) + [rng.choice(people[:9]) for _ in range(24)]
    rng.shuffle(buyers)
    scen = SCENARIOS * 2 + [("已完成", "无售后", "paid")] * (len(buyers) - 2 * len(SCENARIOS))
    rng.shuffle(scen)
    wb = Workbook()
    ws = wb.active
    ws.title = "订单列表"
    ws.append(HEADERS)
    truth: dict[str, dict] = {}
    for n, (p, (status, after, t_status)) in enumerate(zip(buyers, scen, strict=True)):
        oid = "P7" + str(30000000000000000 + n * 7919 + rng.randint(0, 999))
        title, spec, code, price = rng.choice(PRODUCTS)
        qty = rng.choice([1, 1, 1, 2])
        goods = price * qty
        freight = Decimal("0.00") if goods >= 99 else Decimal("10.00")
        shop_disc = Decimal(rng.choice(["0.00", "10.00"]))
        plat_disc = Decimal(rng.choice(["0.00", "0.00", "5.00"]))
        pay = goods + freight - shop_disc - plat_disc
        unpaid = t_status in ("pending", "cancelled")
        refund = {"refunded": pay, "partially_refunded": (pay / 2).quantize(Decimal("0.01"))}.get(
            t_status, Decimal("0")
        )
        created = f"2025-04-{1 + n % 28:02d} {rng.randint(8, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
        prov, city, dist = p["place"]
        ws.append(
            [
                oid,
                "普通",
                status,
                after,
                created,
                "" if unpaid else created[:-2] + "58",
                p["uid"],
                title,
                spec,
                code,
                qty,
                money(goods),
                money(freight),
                money(shop_disc),
                money(plat_disc),
                money(pay),
                money(refund),
                p["surname"] + "**",
                mask_phone(p["phone"]),
                prov,
                city,
                dist,
                "****",
                "",
                "",
            ]
        )
        truth[oid] = {
            "status": t_status,
            "paid": money(Decimal("0") if unpaid else pay),
            "refunded": money(refund),
            "quantity": qty,
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
