"""A small shop's hand-made order workbook (.xlsx), made the way people make them.

Built from (typical hand-made order / member sheets):
  http://bubsandbeans.com/paper/397607185.html
  https://max.book118.com/html/2025/0328/8124061041007046.shtm
  https://doc.metinfo.cn/metshop/order/73.html
  https://www.itangsoft.com/baike/show-1794955.html
  http://942113.com/lizhiwenan/18445.html

Sheet 订单: a merged title row "2025年会员订单", a blank row, then the header (units in brackets:
订单金额（元） / 实付金额（元） / 退款金额（元）); one row per order; a 合计 row and a 制表 line at the bottom.
Sheet 说明: notes. Dates are Excel date cells (some without time) plus two typed as text; phones and
order numbers are mostly number cells; one walk-in buyer typed the phone with spaces once; two
different people are both called 张伟; members carry a 会员卡号, walk-in buyers (散客) only a phone.

Truth: "paid" is 实付金额 (0 for 待付款 / 已取消); "refunded" is 退款金额 (empty = 0);
"skipped_rows" counts the 合计 row and the 制表 line (the title and blank rows sit above the header).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

FORMAT = "generic"

HEADER = [
    "序号",
    "订单号",
    "下单时间",
    "会员卡号",
    "会员姓名",
    "手机号",
    "商品",
    "数量",
    "订单金额（元）",
    "实付金额（元）",
    "退款金额（元）",
    "状态",
    "备注",
]
GOODS = [
    ("玫瑰保湿面霜", "128"),
    ("氨基酸洗面奶", "59"),
    ("玻尿酸精华液", "198"),
    ("补水面膜(10片)", "89"),
    ("防晒乳SPF50", "99"),
    ("护手霜礼盒", "69"),
    ("卸妆油", "118"),
    ("眼霜", "168"),
    ("身体乳", "79"),
]
D2 = Decimal("0.01")


def _m(x: Decimal) -> str:
    return str(x.quantize(D2, ROUND_HALF_UP))


def _buyers(rng: random.Random) -> list[dict]:
    b = []

    def add(label, card, name, phone, n, spaced=False):
        b.append(
            {"label": label, "card": card, "name": name, "phone": phone, "n": n, "spaced": spaced}
        )

    add("g01", "VIP0012", "张伟", 13812345678, 4)  # two different 张伟
    add("g02", "VIP0047", "张伟", 13998761234, 2)
    add("g03", "", "李娜", 13611112222, 3, spaced=True)  # walk-in, phone once typed "136 1111 2222"
    add("g04", "", "王芳", 15800001111, 2)
    add("g05", "VIP0003", "刘洋", 18602103456, 4)
    add("g06", "VIP0021", "陈静", 13787654321, 3)
    names = [
        "杨帆",
        "赵敏",
        "黄磊",
        "周婷",
        "吴昊",
        "徐丽",
        "孙强",
        "马琳",
        "朱军",
        "胡月",
        "郭涛",
        "何雪",
        "高峰",
        "林晓",
        "罗斌",
        "梁静",
        "宋佳",
        "郑凯",
        "谢颖",
        "韩冰",
        "唐宁",
        "冯超",
        "董洁",
        "程亮",
    ]
    card_no = 50
    for i, name in enumerate(names):
        member = rng.random() < 0.55
        card = f"VIP{card_no:04d}" if member else ""
        card_no += rng.randint(1, 6)
        phone = int(
            rng.choice(["13", "15", "18", "17"]) + "".join(str(rng.randint(0, 9)) for _ in range(9))
        )
        add(f"g{i + 7:02d}", card, name, phone, rng.choice([1, 1, 1, 2, 2]))
    return b


def build(folder: Path) -> dict:
    """Write the workbook into `folder` and return the truth about it."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    rng = random.Random(20250531)
    slots = [(b, k) for b in _buyers(rng) for k in range(b["n"])]
    rng.shuffle(slots)
    forced = (
        ["待付款"] * 3
        + ["已取消"] * 3
        + ["已退款"] * 3
        + ["部分退款"] * 3
        + ["退款中"] * 2
        + ["已发货"] * 5
    )
    words = forced + rng.choices(["已完成", "已完成", "已付款"], k=len(slots) - len(forced))
    rng.shuffle(words)
    # make sure 已付款 and 已完成 both occur
    if "已付款" not in words:
        words[words.index("已完成")] = "已付款"
    if "已完成" not in words:
        words[words.index("已付款")] = "已完成"

    wb = Workbook()
    ws = wb.active
    ws.title = "订单"
    ws.append(["2025年会员订单"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([])
    ws.append(HEADER)
    for c in ws[3]:
        c.font = Font(bold=True)

    truth: dict[str, dict] = {}
    day = datetime(2025, 1, 3, 10, 0)
    seen_spaced = set()
    sum_qty = 0
    sums = {"list": Decimal("0"), "paid": Decimal("0"), "refund": Decimal("0")}
    for n, ((b, k), word) in enumerate(zip(slots, words, strict=True), start=1):
        day = (day + timedelta(days=rng.randint(2, 8))).replace(
            hour=rng.randint(9, 21), minute=rng.randint(0, 59)
        )
        items = rng.sample(GOODS, rng.choice([1, 1, 2, 2, 3]))
        qtys = [rng.choice([1, 1, 2]) for _ in items]
        listed = sum((Decimal(p) * q for (_, p), q in zip(items, qtys, strict=True)), Decimal("0"))
        payable = (
            (listed * Decimal("0.95")).quantize(Decimal("1"), ROUND_HALF_UP)
            if b["card"]
            else listed
        )
        paid = Decimal("0") if word in ("待付款", "已取消") else payable
        refund = Decimal("0")
        if word == "已退款":
            refund = paid
        elif word == "部分退款":
            refund = min(Decimal(items[0][1]), (paid / 2).quantize(Decimal("1")))
        order_no = int(day.strftime("%y%m%d")) * 100 + n % 100
        goods = "、".join(f"{g}×{q}" if q > 1 else g for (g, _), q in zip(items, qtys, strict=True))
        # dates: mostly datetime cells, some date-only, two typed as text
        if n in (9, 33):
            when: object = f"{day.year}/{day.month}/{day.day}"
        elif n % 7 == 0:
            when = date(day.year, day.month, day.day)
        else:
            when = day.replace(second=0)
        phone: object = b["phone"]
        if b["spaced"] and b["label"] not in seen_spaced and k == 1:
            s = str(b["phone"])
            phone = f"{s[:3]} {s[3:7]} {s[7:]}"
            seen_spaced.add(b["label"])
        elif n % 5 == 0:
            phone = str(b["phone"])  # typed with a leading apostrophe in Excel -> a text cell
        note = {
            "退款中": "客户申请退货，待收货",
            "部分退款": "少发一件，退差价",
            "已取消": "客户取消",
            "待付款": "已发付款码",
        }.get(word, "")
        ws.append(
            [
                n,
                order_no,
                when,
                b["card"] or None,
                b["name"],
                phone,
                goods,
                sum(qtys),
                float(listed),
                float(paid),
                float(refund) if refund else None,
                word,
                note or None,
            ]
        )
        r = ws.max_row
        if isinstance(when, datetime):
            ws.cell(r, 3).number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(when, date):
            ws.cell(r, 3).number_format = "yyyy-mm-dd"
        for col in (9, 10, 11):
            ws.cell(r, col).number_format = "#,##0.00"
        status = {
            "已付款": "paid",
            "已完成": "paid",
            "已发货": "paid",
            "待付款": "pending",
            "已取消": "cancelled",
            "已退款": "refunded",
            "部分退款": "partially_refunded",
            "退款中": "refunding",
        }[word]
        truth[str(order_no)] = {
            "status": status,
            "paid": _m(paid),
            "refunded": _m(refund),
            "quantity": sum(qtys),
            "buyer": b["label"],
        }
        sum_qty += sum(qtys)
        sums["list"] += listed
        sums["paid"] += paid
        sums["refund"] += refund
    ws.append(
        [
            "合计",
            None,
            None,
            None,
            None,
            None,
            None,
            sum_qty,
            float(sums["list"]),
            float(sums["paid"]),
            float(sums["refund"]),
            None,
            None,
        ]
    )
    r = ws.max_row
    for c in ws[r]:
        c.font = Font(bold=True)
    for col in (9, 10, 11):
        ws.cell(r, col).number_format = "#,##0.00"
    ws.append(["制表：店长 李姐    2025-12-31"])
    widths = [6, 12, 17, 10, 9, 14, 36, 6, 13, 13, 13, 9, 20]
    for i, w in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = w

    info = wb.create_sheet("说明")
    for line in [
        "说明",
        "1. 金额单位：元，实付金额为会员95折后的金额。",
        "2. 会员卡号为空的是散客，按手机号识别。",
        "3. 状态：已付款 / 已发货 / 已完成 / 待付款 / 已取消 / 已退款 / 部分退款 / 退款中。",
        "4. 退款中：客户已申请退款，钱还没退，退款金额暂不填。",
    ]:
        info.append([line])

    path = Path(folder) / "2025年会员订单.xlsx"
    wb.save(path)
    buyers = {t["buyer"] for t in truth.values()}
    return {
        "files": [path],
        "format": FORMAT,
        "buyers": len(buyers),
        "orders": truth,
        "skipped_rows": 2,
    }
