"""有赞 (Youzan) order export, one row per 商品 with the order-level columns repeated on each row.

Built from:
- public GitHub code that reproduces / reads the 有赞 商品维度 export: header list 订单号, 外部订单号, 订单商品状态,
  交易成功时间, 商品名称, 商品规格, 规格编码, 商品编码, 商品单价, 商品数量, 商品实际成交金额, 收货人/提货人,
  收货人手机号/提货人手机号, 收货人省份, 收货人城市, 收货人地区, 详细收货地址/提货地址, 买家备注, 商品发货状态,
  商品退款状态, 商品已退款金额, 商家订单备注; and pandas scripts using 买家手机号, 买家付款时间, 商品实际成交金额
  (rows without 买家付款时间 = unpaid). These were found with the code index, which does not name their
  repositories, so they cannot be linked here; see the profile notes.
- https://www.kancloud.cn/ikevin/shopdata/581513 (WeChat-shop order status vocabulary 待付款/待发货/待收货/交易完成/
  交易关闭, used only as background)
Order-level columns (订单状态, 订单创建时间, 买家付款时间, 买家昵称, 粉丝昵称, 买家手机号, 运费, 订单实付金额) follow
the brief and are NOT confirmed by a public sample file; see the profile notes.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from _names import GIVEN, SURNAMES, money  # shared vocabulary (corpus/_names.py)
from openpyxl import Workbook

FORMAT = "youzan"

HEADERS = [
    "订单号",
    "订单状态",
    "订单创建时间",
    "买家付款时间",
    "买家昵称",
    "粉丝昵称",
    "买家手机号",
    "商品名称",
    "商品规格",
    "商品编码",
    "商品单价",
    "商品数量",
    "商品实际成交金额",
    "商品退款状态",
    "商品已退款金额",
    "运费",
    "订单实付金额",
    "收货人/提货人",
    "收货人手机号/提货人手机号",
    "收货人省份",
    "收货人城市",
    "收货人地区",
    "详细收货地址/提货地址",
    "买家备注",
    "商家订单备注",
]
PRODUCTS = [
    ("手冲咖啡豆 埃塞俄比亚 227g", "烘焙度:浅烘", "YZ-COF-01", Decimal("88.00")),
    ("挂耳咖啡 混合装 20包", "口味:混合", "YZ-COF-02", Decimal("59.00")),
    ("陶瓷手冲壶 600ml", "颜色:白", "YZ-POT-01", Decimal("168.00")),
    ("滤纸 V60 100张", "规格:02号", "YZ-FLT-01", Decimal("25.00")),
    ("冷萃咖啡液 12瓶", "口味:原味", "YZ-CB-01", Decimal("129.00")),
]
PLACES = [
    ("浙江省", "杭州市", "拱墅区"),
    ("江苏省", "无锡市", "梁溪区"),
    ("上海市", "上海市", "徐汇区"),
    ("广东省", "佛山市", "禅城区"),
    ("湖南省", "长沙市", "岳麓区"),
    ("山东省", "青岛市", "市南区"),
]
NICKS = [
    "A咖啡控",
    "小鱼",
    "Sunny",
    "晨曦",
    "木木",
    "🌸花花",
    "Leo",
    "一杯美式",
    "糖糖",
    "阿杰",
    "Coco",
    "北北",
    "七七",
    "安安",
    "橙子",
    "大白",
    "Luna",
    "豆豆",
    "飞鸟",
    "米粒",
    "青柠",
    "Momo",
]

SCENARIOS = [  # (订单状态, 商品退款状态 for the refunded line, truth)
    ("待付款", "", "pending"),
    ("待成团", "", "paid"),
    ("待接单", "", "paid"),
    ("待发货", "", "paid"),
    ("已发货", "", "paid"),
    ("已完成", "", "paid"),
    ("已关闭", "", "cancelled"),
    ("退款中", "退款中", "refunding"),
    ("已关闭", "退款成功", "refunded"),
    ("已完成", "退款成功", "partially_refunded"),
    ("已完成", "退款关闭", "paid"),
]


def build(folder: Path) -> dict:
    """Write the export into `folder` and return the truth about it."""
    rng = random.Random(4242)
    path = Path(folder) / "订单报表_20250501_20250531.xlsx"
    people = []
    for i in range(22):
        people.append(
            {
                "label": f"b{i + 1:02d}",
                "nick": NICKS[i],
                "phone": "1"
                + rng.choice("3578")
                + "".join(rng.choice("0123456789") for _ in range(9)),
                "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
                "place": rng.choice(PLACES),
            }
        )
    # trap: two different people share the WeChat nickname "小鱼" (different 买家手机号)
    people[0]["nick"] = people[1]["nick"] = "小鱼"
    # trap: a buyer who never authorised a nickname - blank 买家昵称/粉丝昵称, phone only
    people[2]["nick"] = ""
    buyers = list(people) + [rng.choice(people[:8]) for _ in range(26)]
    rng.shuffle(buyers)
    scen = SCENARIOS * 2 + [("已完成", "", "paid")] * (len(buyers) - 2 * len(SCENARIOS))
    rng.shuffle(scen)
    wb = Workbook()
    ws = wb.active
    ws.title = "订单列表"
    ws.append(HEADERS)
    truth: dict[str, dict] = {}
    seen_b04 = False
    for n, (p, (status, refund_word, t_status)) in enumerate(zip(buyers, scen, strict=True)):
        oid = f"E2025050{1 + n % 9}{rng.randint(10**11, 10**12 - 1)}{n:04d}"
        nlines = 2 if t_status == "partially_refunded" else rng.choice([1, 1, 2, 3])
        picks = rng.sample(PRODUCTS, nlines)
        freight = Decimal("0.00") if rng.random() < 0.6 else Decimal("10.00")
        lines = []
        for title, spec, code, price in picks:
            qty = rng.choice([1, 1, 2])
            deal = price * qty - Decimal(rng.choice(["0.00", "5.00"]))
            lines.append((title, spec, code, price, qty, deal))
        pay = sum((ln[5] for ln in lines), Decimal("0")) + freight
        unpaid = t_status in ("pending", "cancelled")
        created = f"2025-05-{1 + n % 31:02d} {rng.randint(8, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
        nick = p["nick"]
        if p["label"] == "b04":  # trap: same phone, nickname changed between orders
            nick = p["nick"] if not seen_b04 else "新昵称Q"
            seen_b04 = True
        refunded = Decimal("0")
        for k, (title, spec, code, price, qty, deal) in enumerate(lines):
            if t_status == "refunded" or (k == 0 and refund_word and t_status != "refunded"):
                word = refund_word
            else:
                word = ""
            line_refund = deal if word == "退款成功" else Decimal("0")
            refunded += line_refund
            ws.append(
                [
                    oid,
                    status,
                    created,
                    "" if unpaid else created[:-2] + "30",
                    nick,
                    nick,
                    p["phone"],
                    title,
                    spec,
                    code,
                    money(price),
                    qty,
                    money(deal),
                    word,
                    money(line_refund) if line_refund else "",
                    money(freight),
                    money(pay),
                    p["name"],
                    p["phone"],
                    *p["place"],
                    f"{rng.choice(['中山路', '解放路', '学院路'])}{rng.randint(1, 300)}号",
                    "",
                    "",
                ]
            )
        if t_status == "refunded":  # freight goes back too on a full refund before shipping
            refunded = pay
            # keep the file consistent: the first line carries the freight refund
            last = ws.max_row - len(lines) + 1
            ws.cell(row=last, column=HEADERS.index("商品已退款金额") + 1).value = money(
                lines[0][5] + freight
            )
        truth[oid] = {
            "status": t_status,
            "paid": money(Decimal("0") if unpaid else pay),
            "refunded": money(refunded),
            "quantity": sum(ln[4] for ln in lines),
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
