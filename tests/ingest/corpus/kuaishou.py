"""快手小店 order export (商家后台 订单管理-订单查询-批量导出), one row per order.

Built from:
- https://github.com/AndersonBY/kwaixiaodian-python-sdk/blob/master/docs/开发者支持文档/开放平台/数据安全/K5001%20-%20订单数据导出.md
  (the merchant PC backend s.kwaixiaodian.com/zone-origin/order/list "批量导出" is the ONLY place that exports
  plaintext order data, after an SMS code; reports are kept 7 days)
- https://github.com/AndersonBY/kwaixiaodian-python-sdk (open.order.* models: buyerOpenId, buyerNick, payTime,
  totalFee/expressFee/discountFee in 分; order status 待付款/待发货/待收货/已完成/已关闭; refund 退款成功/退款关闭)
- http://mip.lainuan.cn/article/kjds-5449.html (status words shown in 快手小店: 待付款, 待发货, 已发货, 已签收,
  已取消, 已退款)
The export header texts below are NOT confirmed by a public sample of the real file; see the profile notes.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from _names import GIVEN, SURNAMES, money  # shared vocabulary (corpus/_names.py)
from openpyxl import Workbook

FORMAT = "kuaishou"

HEADERS = [
    "订单号",
    "订单状态",
    "订单创建时间",
    "订单支付时间",
    "商品ID",
    "商品名称",
    "商品规格",
    "SKU编码",
    "成交数量",
    "商品单价",
    "运费",
    "优惠金额",
    "实付款",
    "退款状态",
    "退款金额",
    "买家ID",
    "买家昵称",
    "收货人姓名",
    "收货人电话",
    "收货地址",
    "买家留言",
    "商家备注",
    "快递公司",
    "快递单号",
    "达人ID",
    "达人昵称",
]

PRODUCTS = [
    ("22013579246", "KS-SOCK-01", "纯棉中筒袜 5双装", "颜色:混色;尺码:均码", Decimal("19.90")),
    ("22013579247", "KS-TOWEL-02", "新疆长绒棉毛巾 3条", "颜色:米白", Decimal("29.90")),
    ("22013579248", "KS-RICE-05", "五常大米 5kg 当季新米", "规格:5kg", Decimal("69.00")),
    ("22013579249", "KS-OIL-01", "压榨花生油 5L", "规格:5L", Decimal("89.90")),
    ("22013579250", "KS-COAT-09", "加厚羽绒服 男女同款", "颜色:黑色;尺码:XL", Decimal("399.00")),
]
PLACES = [
    "山东省 济南市 历下区",
    "河南省 郑州市 金水区",
    "河北省 石家庄市 长安区",
    "辽宁省 沈阳市 和平区",
    "黑龙江省 哈尔滨市 南岗区",
    "陕西省 西安市 雁塔区",
    "安徽省 合肥市 蜀山区",
    "广西壮族自治区 南宁市 青秀区",
]
NICKS = [
    "开心果",
    "快乐每一天",
    "小燕子",
    "平安是福",
    "追梦人",
    "向日葵",
    "大海",
    "阳光男孩",
    "幸福花",
    "老铁666",
    "山里人家",
    "云淡风轻",
    "月亮姐姐",
    "静待花开",
    "心安",
    "奋斗者",
    "小确幸",
    "甜甜",
    "一路向北",
    "柠檬",
    "老王",
    "花开富贵",
    "雪莲",
    "风铃",
    "麦田",
    "小石头",
    "丫丫",
    "晴天",
]

# every status scenario at least twice
SCENARIOS = [
    ("待付款", "", "pending"),
    ("待发货", "", "paid"),
    ("已发货", "", "paid"),
    ("已收货", "", "paid"),
    ("交易成功", "", "paid"),
    ("交易关闭", "", "cancelled"),
    ("已取消", "", "cancelled"),
    ("已发货", "退款中", "refunding"),
    ("交易关闭", "退款成功", "refunded"),
    ("交易成功", "退款成功", "partially_refunded"),
    ("交易成功", "退款关闭", "paid"),
]


def build(folder: Path) -> dict:
    """Write the export into `folder` and return the truth about it."""
    rng = random.Random(7091)
    path = Path(folder) / "订单导出_20250301_20250331.xlsx"
    people = []
    for i in range(26):
        people.append(
            {
                "label": f"b{i + 1:02d}",
                "uid": str(2208000000 + rng.randint(1000, 999999) * 7 + i),
                "nick": NICKS[i],
                "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
                "phone": "1"
                + rng.choice("3589")
                + "".join(rng.choice("0123456789") for _ in range(9)),
                "addr": f"{rng.choice(PLACES)} {rng.choice(['幸福路', '建设路', '人民路', '解放路'])}{rng.randint(1, 200)}号",
            }
        )
    # trap: two different people share the nickname "开心果" (different 买家ID)
    people[1]["nick"] = people[0]["nick"]
    buyers = list(people) + [rng.choice(people[:10]) for _ in range(24)]
    rng.shuffle(buyers)
    scen = SCENARIOS * 2 + [("交易成功", "", "paid")] * (len(buyers) - 2 * len(SCENARIOS))
    rng.shuffle(scen)
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(HEADERS)
    truth: dict[str, dict] = {}
    renamed = False
    for n, (p, (status, refund_word, t_status)) in enumerate(zip(buyers, scen, strict=True)):
        oid = str(2503010000000000 + n * 9173 + rng.randint(0, 999))
        pid, sku, title, spec, price = rng.choice(PRODUCTS)
        qty = rng.choice([1, 1, 2, 3])
        freight = Decimal("0.00") if price * qty >= 39 else Decimal("6.00")
        discount = Decimal(rng.choice(["0.00", "2.00", "5.00"]))
        pay = price * qty + freight - discount
        created = f"2025-03-{1 + n % 30:02d} {rng.randint(9, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
        unpaid = t_status in ("pending", "cancelled")
        if t_status == "refunded":
            refund = pay
        elif t_status == "partially_refunded":
            refund = (
                (price * 1).quantize(Decimal("0.01"))
                if qty > 1
                else (pay / 2).quantize(Decimal("0.01"))
            )
        else:
            refund = Decimal("0")
        nick = p["nick"]
        if (
            p["label"] == "b03" and not renamed
        ):  # trap: same 买家ID, nickname changed on a later order
            renamed = True
        elif p["label"] == "b03":
            nick = "改名后的昵称"
        # trap: some orders ship to another receiver (gift) - the buyer is still the 买家ID
        receiver, phone = (
            (p["name"], p["phone"]) if rng.random() > 0.15 else ("李桂芳", "13900001111")
        )
        ws.append(
            [
                oid,
                status,
                created,
                "" if unpaid else created[:-2] + "59",
                pid,
                title,
                spec,
                sku,
                qty,
                money(price),
                money(freight),
                money(discount),
                money(pay),
                refund_word,
                money(refund) if refund else "",
                p["uid"],
                nick,
                receiver,
                phone,
                p["addr"],
                "",
                "",
                "" if status in ("待付款", "待发货", "已取消") or unpaid else "中通快递",
                ""
                if status in ("待付款", "待发货", "已取消") or unpaid
                else f"7531{rng.randint(10**9, 10**10 - 1)}",
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
