"""抖店 (Douyin e-commerce) order export, one row per 子订单 (SKU line), receiver fields as ciphertext.

Built from:
- https://github.com/zsmhub/doudian-sdk/blob/master/api/order_searchList/response/order_searchList_response.go
  (order_status 1 待确认/待支付, 105 已支付, 2 备货中, 101 部分发货, 3 已发货, 4 已取消, 5 已完成;
  after_sale_status 售后申请/售后退货中/拒绝售后申请/售后成功/售后失败...; parent_order_id vs sku order_id;
  encrypt_post_tel / encrypt_post_receiver / encrypt_detail; doudian_open_id exists only in the API)
- https://jiutoushe.cn/wen/180260.html and http://info.hhczy.com/article/20220826/42536.shtml
  (since 2021-08-01 receiver name/phone/address are ciphertext in 抖店后台导出)
- public GitHub importers of the 抖店 CSV (header list 主订单编号, 子订单编号, 选购商品, 商品规格, 商品数量,
  商品ID, 商家编码, 商品单价, 订单应付金额, 运费, 优惠总金额, ... 收件人, 收件人手机号, 省, 市, 区, 街道, 详细地址,
  订单提交时间, 支付完成时间, 订单完成时间, 订单状态, 售后状态, 取消原因, 达人ID, 达人昵称; "-" for empty;
  ids carrying a leading tab / apostrophe; "订单应付金额" with thousands separators; status filters
  已发货/已完成 and 售后状态 "-"/售后关闭). See the profile's notes for what is NOT confirmed.
- a public importer's tests holding rows of a real orders.csv (code index 56444425578):
  订单状态 已关闭 with 售后状态 退款成功 (refunded in full), 待发货 with "-" (paid).
"""

from __future__ import annotations

import base64
import csv
import hashlib
import random
from decimal import Decimal
from pathlib import Path

from _names import GIVEN, SURNAMES  # shared vocabulary (corpus/_names.py)

FORMAT = "douyin"

HEADERS = [
    "主订单编号",
    "子订单编号",
    "选购商品",
    "商品规格",
    "商品数量",
    "商品ID",
    "商家编码",
    "商品单价",
    "订单应付金额",
    "运费",
    "优惠总金额",
    "平台优惠",
    "商家优惠",
    "达人优惠",
    "商家改价",
    "支付优惠",
    "红包抵扣",
    "手续费",
    "收件人",
    "收件人手机号",
    "省",
    "市",
    "区",
    "街道",
    "详细地址",
    "是否修改过地址",
    "买家留言",
    "订单提交时间",
    "支付方式",
    "支付完成时间",
    "订单完成时间",
    "发货时间",
    "订单状态",
    "售后状态",
    "取消原因",
    "商家备注",
    "旗帜颜色",
    "APP渠道",
    "流量来源",
    "订单类型",
    "达人ID",
    "达人昵称",
]

PRODUCTS = [
    ("3698271045123456789", "SKU-TEA-01", "云南古树普洱茶饼 357g", "规格:357g", Decimal("128.00")),
    ("3698271045123456790", "SKU-TEA-02", "福鼎白茶 老白茶 礼盒装", "规格:礼盒", Decimal("268.00")),
    ("3698271045123456791", "SKU-CUP-01", "玻璃泡茶杯 茶水分离", "颜色:透明", Decimal("39.90")),
    ("3698271045123456792", "SKU-TEA-03", "安吉白茶 明前特级 100g", "规格:100g", Decimal("89.00")),
    ("3698271045123456793", "SKU-SET-01", "紫砂茶具套装 功夫茶", "款式:西施壶", Decimal("1299.00")),
    ("3698271045123456794", "SKU-TEA-04", "正山小种红茶 250g", "规格:250g", Decimal("59.90")),
]

PLACES = [
    ("广东省", "深圳市", "南山区", "粤海街道"),
    ("浙江省", "杭州市", "西湖区", "文新街道"),
    ("北京市", "北京市", "朝阳区", "望京街道"),
    ("上海市", "上海市", "浦东新区", "花木街道"),
    ("四川省", "成都市", "武侯区", "玉林街道"),
    ("湖北省", "武汉市", "洪山区", "关山街道"),
    ("江苏省", "南京市", "鼓楼区", "宁海路街道"),
    ("福建省", "厦门市", "思明区", "鹭江街道"),
]


def _cipher(kind: str, plain: str) -> str:
    """Deterministic stand-in for 抖店 ciphertext (same plaintext -> same string; see profile notes)."""
    digest = hashlib.sha256(f"{kind}|{plain}".encode()).digest()
    body = base64.b64encode(digest).decode().rstrip("=")
    idx = base64.b64encode(hashlib.md5(plain.encode()).digest()).decode()[:12]
    if kind == "tel":
        return f"${idx}${body}$1$"
    if kind == "name":
        return f"~{idx}~{body}~1~"
    return f"#{idx}#{body}#1##"


def _money(value: Decimal, commas: bool = False) -> str:
    return f"{value:,.2f}" if commas else f"{value:.2f}"


def _people(rng: random.Random, n: int) -> list[dict]:
    people = []
    used_phones: set[str] = set()
    for i in range(n):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["", rng.choice(GIVEN)])
        phone = ""
        while not phone or phone in used_phones:
            phone = "1" + rng.choice("3578") + "".join(rng.choice("0123456789") for _ in range(9))
        used_phones.add(phone)
        prov, city, dist, street = rng.choice(PLACES)
        addr = f"{street}{rng.randint(1, 300)}号{rng.randint(1, 30)}栋{rng.randint(101, 2802)}"
        people.append(
            {
                "label": f"b{i + 1:02d}",
                "name": name,
                "phone": phone,
                "prov": prov,
                "city": city,
                "dist": dist,
                "street": street,
                "addr": addr,
            }
        )
    # trap: two different people with the same real name -> identical name ciphertext, different phone ciphertext
    people[1]["name"] = people[0]["name"] = "张伟"
    return people


# scenario -> (row 订单状态 per line, 售后状态 per line, truth status). "L" lines are filled per order.
SCENARIOS = [
    "pending",
    "cancel_unpaid",
    "closed_unpaid",
    "paid_new",
    "stocking",
    "partial_ship",
    "shipped",
    "done",
    "refunding_apply",
    "refunding_return",
    "refunded_full",
    "refunded_partial",
    "after_closed",
    "after_rejected",
    "after_failed",
    "to_ship",
    "refund_success",
]


def build(folder: Path) -> dict:
    """Write the export into `folder` and return the truth about it."""
    rng = random.Random(20250131)
    folder = Path(folder)
    path = folder / "抖店订单导出_20250101-20250131.csv"
    people = _people(rng, 30)
    # buyer sequence: every person at least once, some repeat buyers (several orders, one phone ciphertext)
    buyers = list(people) + [rng.choice(people[:12]) for _ in range(26)]
    rng.shuffle(buyers)
    scenarios = SCENARIOS * 2 + ["done"] * (len(buyers) - 2 * len(SCENARIOS))
    rng.shuffle(scenarios)
    # make sure the multi-line scenarios get more than one line and the big order exists
    rows: list[list[str]] = []
    truth: dict[str, dict] = {}
    base_id = 6928374650123400000
    for n, (person, scen) in enumerate(zip(buyers, scenarios, strict=True)):
        main_id = str(base_id + n * 137 + rng.randint(0, 99))
        nlines = 2 if scen in ("refunded_partial", "partial_ship") else rng.choice([1, 1, 1, 2, 3])
        picks = rng.sample(PRODUCTS, nlines)
        if n == scenarios.index("done"):
            picks = [PRODUCTS[4]]  # 紫砂套装: a row with a thousands separator
            nlines = 1
        day = 1 + n % 28
        created = f"2025-01-{day:02d} {rng.randint(8, 22):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
        paid_time = (
            "-" if scen in ("pending", "cancel_unpaid", "closed_unpaid") else created[:-2] + "59"
        )
        shipping = Decimal("0.00") if rng.random() < 0.7 else Decimal("8.00")
        line_amounts = []
        qty_total = 0
        for k, (pid, code, title, spec, price) in enumerate(picks):
            qty = rng.choice([1, 1, 2, 3])
            disc = Decimal(rng.choice(["0.00", "5.00", "10.00"]))
            if price * qty <= disc:
                disc = Decimal("0.00")
            ship = shipping if k == 0 else Decimal("0.00")
            amount = price * qty - disc + ship
            line_amounts.append(amount)
            qty_total += qty
            sub_id = str(int(main_id) + k + 1)
            status, after = _line_status(scen, k)
            rows.append(
                [
                    "\t" + main_id,
                    "\t" + sub_id,
                    title,
                    spec,
                    str(qty),
                    "\t" + pid,
                    code,
                    _money(price),
                    _money(amount, commas=amount >= 1000),
                    _money(ship),
                    _money(disc),
                    "0.00",
                    _money(disc),
                    "0.00",
                    "0.00",
                    "0.00",
                    "0.00",
                    "0.00",
                    _cipher("name", person["name"]),
                    _cipher("tel", person["phone"]),
                    person["prov"],
                    person["city"],
                    person["dist"],
                    person["street"],
                    _cipher("addr", person["addr"]),
                    "否",
                    "-",
                    created,
                    "-" if paid_time == "-" else rng.choice(["微信", "支付宝", "抖音支付"]),
                    paid_time,
                    created.replace("2025-01", "2025-02") if status == "已完成" else "-",
                    created[:11] + "20:00:00"
                    if status in ("已发货", "已完成", "部分发货")
                    else "-",
                    status,
                    after,
                    {"cancel_unpaid": "超时未支付", "closed_unpaid": "用户取消"}.get(scen, "-"),
                    "-",
                    "-",
                    "抖音",
                    "小店自卖",
                    "普通订单",
                    "-",
                    "-",
                ]
            )
        paid_total = sum(line_amounts, Decimal("0"))
        t_status, refunded = _truth(scen, line_amounts)
        truth[main_id] = {
            "status": t_status,
            "paid": _money(Decimal("0") if t_status in ("pending", "cancelled") else paid_total),
            "refunded": _money(refunded),
            "quantity": qty_total,
            "buyer": person["label"],
        }
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        writer.writerows(rows)
    return {
        "files": [path],
        "format": FORMAT,
        "buyers": len({o["buyer"] for o in truth.values()}),
        "orders": truth,
        "skipped_rows": 0,
    }


def _line_status(scen: str, k: int) -> tuple[str, str]:
    table = {
        "pending": ("待支付", "-"),
        "cancel_unpaid": ("已取消", "-"),
        "closed_unpaid": ("已关闭", "-"),
        "paid_new": ("已支付", "-"),
        "stocking": ("备货中", "-"),
        "partial_ship": ("部分发货", "-"),
        "shipped": ("已发货", "-"),
        "done": ("已完成", "-"),
        "refunding_apply": ("售后中", "售后申请"),
        "refunding_return": ("已发货", "售后退货中"),
        "refunded_full": ("已关闭", "售后成功"),
        "after_closed": ("已完成", "售后关闭"),
        "after_rejected": ("已完成", "拒绝售后申请"),
        "after_failed": ("已完成", "售后失败"),
        # as a real orders.csv has them (a public importer's tests, see the profile's sources)
        "to_ship": ("待发货", "-"),
        "refund_success": ("已关闭", "退款成功"),
    }
    if scen == "refunded_partial":
        return ("已关闭", "售后成功") if k == 0 else ("已完成", "-")
    return table[scen]


def _truth(scen: str, lines: list[Decimal]) -> tuple[str, Decimal]:
    total = sum(lines, Decimal("0"))
    if scen == "pending":
        return "pending", Decimal("0")
    if scen in ("cancel_unpaid", "closed_unpaid"):
        return "cancelled", Decimal("0")
    if scen in ("refunding_apply", "refunding_return"):
        return "refunding", Decimal("0")
    if scen in ("refunded_full", "refund_success"):
        return "refunded", total
    if scen == "refunded_partial":
        return "partially_refunded", lines[0]
    return "paid", Decimal("0")
