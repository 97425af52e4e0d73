"""淘宝/天猫 卖家中心 order export (ExportOrderList*.csv, GBK), built from public sources.

Sources (see src/kequn/ingest/formats/taobao.yaml for what each backs):
  https://github.com/bububa/opentaobao/blob/master/model/trade/Trade.go   (trade status set)
  github-code-index:20138030607  (pandas reader of ExportOrderList*.csv, encoding gbk, 56 header names)
  github-code-index:39988665824  (Java reader of ExportOrderList201809011818.csv, GBK, 2018 header list)
  github-code-index:9209762708   (sample row: '18618486065 apostrophe phone, 订单未关闭, address format)
  github-code-index:16752853135  (status words)
  github-code-index:10313168081  (订单编号 cleaned of non-digits -> ="..." guard)
The "github-code-index:N" ids are files of the public GitHub code index whose repository could not be resolved.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from _names import GIVEN, SURNAMES, money  # shared vocabulary (corpus/_names.py)

FORMAT = "taobao"

HEADERS = [
    "订单编号",
    "买家会员名",
    "买家支付宝账号",
    "支付单号",
    "支付详情",
    "买家应付货款",
    "买家应付邮费",
    "买家支付积分",
    "总金额",
    "返点积分",
    "买家实际支付金额",
    "买家实际支付积分",
    "订单状态",
    "买家留言",
    "收货人姓名",
    "收货地址 ",
    "运送方式",
    "联系电话 ",
    "联系手机",
    "订单创建时间",
    "订单付款时间 ",
    "宝贝标题 ",
    "宝贝种类 ",
    "物流单号 ",
    "物流公司",
    "订单备注",
    "宝贝总数量",
    "店铺Id",
    "店铺名称",
    "订单关闭原因",
    "卖家服务费",
    "买家服务费",
    "发票抬头",
    "是否手机订单",
    "分阶段订单信息",
    "特权订金订单id",
    "是否上传合同照片",
    "是否上传小票",
    "是否代付",
    "定金排名",
    "修改后的sku",
    "修改后的收货地址",
    "异常信息",
    "天猫卡券抵扣",
    "集分宝抵扣",
    "是否是O2O交易",
    "新零售交易类型",
    "新零售导购门店名称",
    "新零售导购门店id",
    "新零售发货门店名称",
    "新零售发货门店id",
    "退款金额",
    "预约门店",
    "确认收货时间",
    "打款商家金额",
    "含应开票给个人的个人红包",
]

STATUS_WORDS = {
    "unpaid": "等待买家付款",
    "to_ship": "买家已付款，等待卖家发货",
    "to_ship_short": "买家已付款",
    "part_shipped": "卖家部分发货",
    "shipped": "卖家已发货，等待买家确认",
    "done": "交易成功",
    "closed": "交易关闭",
}

PLACES = [
    ("浙江省", "杭州市", "西湖区", "文三路"),
    ("江苏省", "南京市", "建邺区", "沙洲街道"),
    ("广东省", "深圳市", "南山区", "科技园"),
    ("上海", "上海市", "浦东新区", "张江镇"),
    ("北京", "北京市", "朝阳区", "望京街道"),
    ("四川省", "成都市", "武侯区", "桂溪街道"),
    ("湖北省", "武汉市", "洪山区", "关山街道"),
    ("山东省", "青岛市", "市南区", "香港中路"),
    ("福建省", "厦门市", "思明区", "莲前街道"),
]
ITEMS = [
    ("夏季纯棉短袖T恤男宽松", Decimal("59.00")),
    ("保温杯316不锈钢大容量", Decimal("89.00")),
    ("无线蓝牙耳机降噪", Decimal("199.00")),
    ("儿童绘本套装全10册", Decimal("128.00")),
    ("洗面奶氨基酸温和清洁", Decimal("45.90")),
    ("家用收纳箱加厚三件套", Decimal("36.80")),
]
CARRIERS = ["中通快递", "圆通速递", "韵达快递", "顺丰速运", "申通快递"]


def _buyers(rng: random.Random, n: int) -> list[dict]:
    out = []
    for i in range(n):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        phone = "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))
        prov, city, dist, street = rng.choice(PLACES)
        addr = f"{prov} {city} {dist} {street}{rng.randint(1, 300)}号{rng.randint(1, 30)}栋{rng.randint(101, 2505)}室({rng.randint(100000, 999999)})"
        nick = (
            rng.choice(["tb", "小", "", "快乐的", "jessie_", "阿"])
            + rng.choice(["猫", "yy", "lee", "木木", "sun", "豆豆", "ok"])
            + str(rng.randint(10, 9999))
        )
        out.append(
            {
                "label": f"b{i:02d}",
                "nick": nick,
                "name": name,
                "phone": phone,
                "addr": addr,
                "alipay": f"{phone[:3]}****{phone[-4:]}" if i % 2 else f"{nick[:2]}***@163.com",
            }
        )
    # the trap: two different buyers with the same receiver name (a common name), different nick/phone
    out[3]["name"] = out[4]["name"] = "王芳"
    return out


def build(folder: Path) -> dict:
    rng = random.Random(20250117)
    folder = Path(folder)
    path = folder / "ExportOrderList202501171032.csv"
    buyers = _buyers(rng, 34)
    # kinds of order, every status word at least once, full + partial refunds
    plan = (
        ["done"] * 18
        + ["shipped"] * 8
        + ["to_ship"] * 6
        + ["to_ship_short"] * 2
        + ["part_shipped"] * 2
        + ["unpaid"] * 4
        + ["closed_unpaid"] * 4
        + ["closed_refund"] * 5
        + ["done_partial"] * 4
        + ["shipped_partial"] * 1
    )
    rng.shuffle(plan)
    start = datetime(2025, 1, 2, 9, 0, 0)
    rows, truth = [], {}
    used_ids = set()
    for k, kind in enumerate(plan):
        # repeat buyers: the first 10 buyers are heavy users
        b = buyers[rng.randrange(10)] if rng.random() < 0.45 else rng.choice(buyers)
        oid = str(rng.randint(2_900_000_000_000_000_000, 2_999_999_999_999_999_999))
        while oid in used_ids:
            oid = str(rng.randint(2_900_000_000_000_000_000, 2_999_999_999_999_999_999))
        used_ids.add(oid)
        n_kinds = rng.choice([1, 1, 1, 2])
        picks = rng.sample(ITEMS, n_kinds)
        qtys = [rng.choice([1, 1, 2, 3]) for _ in picks]
        goods = sum((p[1] * q for p, q in zip(picks, qtys, strict=False)), Decimal("0"))
        postage = rng.choice([Decimal("0"), Decimal("0"), Decimal("6.00"), Decimal("10.00")])
        discount = rng.choice([Decimal("0"), Decimal("5.00"), Decimal("10.00")])
        payable = goods + postage - discount
        created = start + timedelta(
            days=k // 3,
            hours=rng.randint(0, 12),
            minutes=rng.randint(0, 59),
            seconds=rng.randint(0, 59),
        )
        paid_at = created + timedelta(minutes=rng.randint(1, 40), seconds=rng.randint(0, 59))
        word_key = {
            "closed_unpaid": "closed",
            "closed_refund": "closed",
            "done_partial": "done",
            "shipped_partial": "shipped",
        }.get(kind, kind)
        word = STATUS_WORDS[word_key]
        unpaid = kind in ("unpaid", "closed_unpaid")
        paid = Decimal("0") if unpaid else payable
        refund = Decimal("0")
        if kind == "closed_refund":
            refund = paid
        elif kind in ("done_partial", "shipped_partial"):
            refund = (paid * Decimal(rng.choice(["0.2", "0.3", "0.5"]))).quantize(Decimal("0.01"))
        close_reason = "订单未关闭"
        if kind == "closed_unpaid":
            close_reason = "买家未付款"  # exact wording NOT confirmed by sources
        elif kind == "closed_refund":
            close_reason = "退款"  # exact wording NOT confirmed by sources
        shipped = (
            kind
            in (
                "shipped",
                "done",
                "done_partial",
                "shipped_partial",
                "part_shipped",
                "closed_refund",
            )
            and rng.random() < 0.9
        )
        confirmed_at = (paid_at + timedelta(days=rng.randint(3, 8))) if word_key == "done" else None
        status = {
            "unpaid": "pending",
            "closed_unpaid": "cancelled",
            "closed_refund": "refunded",
            "done_partial": "partially_refunded",
            "shipped_partial": "partially_refunded",
        }.get(kind, "paid")
        qty_total = sum(qtys)
        row = dict.fromkeys(HEADERS, "")
        row.update(
            {
                "订单编号": f'="{oid}"',
                "买家会员名": b["nick"],
                "买家支付宝账号": b["alipay"],
                "支付单号": ""
                if unpaid
                else f'="{paid_at:%Y%m%d}2200{rng.randint(10**13, 10**14 - 1)}"',
                "支付详情": "" if unpaid else f"支付宝:{money(paid)}",
                "买家应付货款": money(goods - discount),
                "买家应付邮费": money(postage),
                "买家支付积分": "0",
                "总金额": money(goods + postage),
                "返点积分": "0" if unpaid else str(int(paid) // 100),
                "买家实际支付金额": money(paid),
                "买家实际支付积分": "0",
                "订单状态": word,
                "买家留言": rng.choice(["", "", "请尽快发货", "不要放快递柜"]),
                "收货人姓名": b["name"],
                "收货地址 ": b["addr"],
                "运送方式": "快递",
                "联系电话 ": "",
                "联系手机": "'" + b["phone"],
                "订单创建时间": f"{created:%Y-%m-%d %H:%M:%S}",
                "订单付款时间 ": "" if unpaid else f"{paid_at:%Y-%m-%d %H:%M:%S}",
                "宝贝标题 ": "，".join(p[0] for p in picks),
                "宝贝种类 ": str(n_kinds),
                "物流单号 ": f"No:{rng.randint(7_000_000_000_000, 7_999_999_999_999)}"
                if shipped
                else "",
                "物流公司": rng.choice(CARRIERS) if shipped else "",
                "订单备注": "",
                "宝贝总数量": str(qty_total),
                "店铺Id": "0",
                "店铺名称": "青木生活馆",
                "订单关闭原因": close_reason,
                "卖家服务费": "0",
                "买家服务费": "0元",
                "是否手机订单": rng.choice(["手机订单", "手机订单", ""]),
                "退款金额": money(refund),
                "确认收货时间": f"{confirmed_at:%Y-%m-%d %H:%M:%S}" if confirmed_at else "",
                "打款商家金额": f"{money(paid - refund)}元" if confirmed_at else "0.00元",
                "含应开票给个人的个人红包": "0",
            }
        )
        rows.append(row)
        truth[oid] = {
            "status": status,
            "paid": money(paid),
            "refunded": money(refund),
            "quantity": qty_total,
            "buyer": b["label"],
        }

    # CSV as the seller center writes it: GBK, CRLF; the ="..." guard is written raw (not CSV-quoted),
    # so a CSV reader returns the literal text ="2948..." and Excel shows the digits as text
    def field(v: str) -> str:
        if v.startswith('="'):
            return v
        if any(c in v for c in ',"\r\n'):
            return '"' + v.replace('"', '""') + '"'
        return v

    lines = [",".join(field(h) for h in HEADERS)]
    lines += [",".join(field(r[h]) for h in HEADERS) for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    kept = {t["buyer"] for t in truth.values()}
    return {
        "files": [path],
        "format": FORMAT,
        "buyers": len(kept),
        "orders": truth,
        "skipped_rows": 0,
    }
