"""拼多多 商家后台 订单查询 export (UTF-8-BOM CSV, tab-padded cells, masked receiver), built from public sources.

Sources (see src/kequn/ingest/formats/pdd.yaml for what each backs):
  github-code-index:40189267514  (headers, utf-8-sig, '\\t' cells)
  github-code-index:56444425578  (订单号 format, trailing-tab numbers, no refund column)
  github-code-index:69392119951  (用户购买手机号 is only a tab, 已取消 / 退款成功)
  github-code-index:34151702518, github-code-index:2421390316, github-code-index:2407969479,
  github-code-index:56276795188, github-code-index:53514601405  (订单状态 / 售后状态 words)
The "github-code-index:N" ids are files of the public GitHub code index whose repository could not be resolved.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from _names import GIVEN, SURNAMES, money  # shared vocabulary (corpus/_names.py)

FORMAT = "pdd"

HEADERS = [
    "商品",
    "订单号",
    "订单状态",
    "商品总价(元)",
    "店铺优惠折扣(元)",
    "平台优惠折扣(元)",
    "邮费(元)",
    "用户实付金额(元)",
    "商家实收金额(元)",
    "商品数量(件)",
    "收货人",
    "手机",
    "省",
    "市",
    "区",
    "街道",
    "详细地址",
    "支付时间",
    "拼单成功时间",
    "订单成交时间",
    "发货时间",
    "确认收货时间",
    "商品id",
    "商品规格",
    "用户购买手机号",
    "样式ID",
    "商家编码-规格维度",
    "商家编码-商品维度",
    "商家备注",
    "售后状态",
    "快递单号",
    "快递公司",
]

# (订单状态, 售后状态) -> canonical; refunded amount rule
PLAN = [
    ("待支付", "无售后或售后取消", "pending"),
    ("待发货", "无售后或售后取消", "paid"),
    ("已发货，待签收", "无售后或售后取消", "paid"),
    ("已发货，待收货", "无售后或售后取消", "paid"),
    ("已签收", "无售后或售后取消", "paid"),
    ("已收货", "无售后或售后取消", "paid"),
    ("已取消", "无售后或售后取消", "cancelled"),
    ("未发货，退款成功", "退款成功", "refunded"),
    ("已发货，退款成功", "退款成功", "refunded"),
    ("已签收，退款成功", "退款成功", "refunded"),
    ("已收货，退款成功", "退款成功", "refunded"),
    ("已取消，退款成功", "退款成功", "refunded"),
    ("未成交，退款成功", "退款成功", "refunded"),
    ("已签收", "售后处理中", "refunding"),
    ("已发货，待签收", "退款中", "refunding"),
    ("已签收", "部分退款成功", "partially_refunded"),
]

PLACES = [
    ("河南省", "郑州市", "金水区"),
    ("河北省", "石家庄市", "长安区"),
    ("山东省", "临沂市", "兰山区"),
    ("广西壮族自治区", "南宁市", "青秀区"),
    ("安徽省", "阜阳市", "颍州区"),
    ("湖南省", "长沙市", "岳麓区"),
    ("江西省", "赣州市", "章贡区"),
    ("贵州省", "贵阳市", "南明区"),
]
GOODS = [
    ("718452231909", "【百亿补贴】原味南瓜子500g*2袋", "原味500g*2袋", Decimal("19.90")),
    ("602310098711", "加厚抽纸整箱家用卫生纸巾", "24包整箱", Decimal("29.90")),
    ("699014532260", "洗面奶打泡机全自动", "白色", Decimal("39.90")),
    ("731002873345", "冰丝凉席三件套1.8m", "1.8m床 浅灰", Decimal("59.00")),
    ("655221004718", "儿童保温水杯带吸管", "粉色 600ml", Decimal("25.80")),
]


def build(folder: Path) -> dict:
    rng = random.Random(20250119)
    folder = Path(folder)
    path = folder / "orders_export20250119.csv"
    buyers, seen_masks = [], set()
    while len(buyers) < 36:
        phone = "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))
        mask = phone[:3] + "****" + phone[-4:]
        if mask in seen_masks:  # keep masked phones distinct between different people
            continue
        seen_masks.add(mask)
        prov, city, dist = rng.choice(PLACES)
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["", rng.choice(GIVEN)])
        buyers.append(
            {
                "label": f"b{len(buyers):02d}",
                "name": name,
                "mask_phone": mask,
                "prov": prov,
                "city": city,
                "dist": dist,
                "street": rng.choice(["城关街道", "解放路街道", "新华街道", "人民路街道"]),
            }
        )
    # trap: two different people with the same masked name 张** (different masked phones)
    buyers[2]["name"], buyers[3]["name"] = "张晓燕", "张丽华"
    plan = PLAN + [p for p in PLAN if p[2] == "paid"] * 5 + [PLAN[7], PLAN[9], PLAN[13]]
    rng.shuffle(plan)
    start = datetime(2025, 1, 5, 0, 0, 0)
    rows, truth = [], {}
    for k, (word, after, canon) in enumerate(plan):
        b = buyers[rng.randrange(10)] if rng.random() < 0.3 else rng.choice(buyers)
        when = start + timedelta(
            days=k // 4,
            hours=rng.randint(7, 23),
            minutes=rng.randint(0, 59),
            seconds=rng.randint(0, 59),
        )
        oid = f"{when:%y%m%d}-{rng.randint(10**14, 10**15 - 1)}"
        gid, gname, spec, price = rng.choice(GOODS)
        qty = rng.choice([1, 1, 1, 2, 3])
        total = price * qty
        shop_disc = rng.choice([Decimal("0"), Decimal("1.00"), Decimal("3.00")])
        plat_disc = rng.choice([Decimal("0"), Decimal("0"), Decimal("2.00"), Decimal("5.00")])
        postage = Decimal("0")
        user_paid = total - shop_disc - plat_disc + postage
        merchant = total - shop_disc + postage
        unpaid = word == "待支付"
        shipped = word.startswith(("已发货", "已签收", "已收货")) or word in (
            "已签收，退款成功",
            "已收货，退款成功",
        )
        received = word.startswith(("已签收", "已收货"))
        pay_t = when + timedelta(seconds=rng.randint(5, 120))
        ship_t = pay_t + timedelta(hours=rng.randint(5, 40)) if shipped else None
        recv_t = ship_t + timedelta(days=rng.randint(2, 5)) if (received and ship_t) else None
        full = canon == "refunded"
        paid = Decimal("0") if (unpaid or canon == "cancelled") else user_paid
        refunded = paid if full else Decimal("0")
        t = {
            "status": canon,
            "paid": money(paid),
            "refunded": money(refunded),
            "quantity": qty,
            "buyer": b["label"],
        }
        if canon == "partially_refunded":
            t["refunded"] = None  # the export carries no refund amount: unknowable from the file
        truth[oid] = t
        rows.append(
            {
                "商品": gname,
                "订单号": "\t" + oid,
                "订单状态": word,
                "商品总价(元)": money(total) + "\t",
                "店铺优惠折扣(元)": money(shop_disc) + "\t",
                "平台优惠折扣(元)": money(plat_disc) + "\t",
                "邮费(元)": money(postage) + "\t",
                "用户实付金额(元)": ("0.00" if unpaid else money(user_paid)) + "\t",
                "商家实收金额(元)": ("0.00" if unpaid else money(merchant)) + "\t",
                "商品数量(件)": f"{qty}\t",
                "收货人": b["name"][0] + "**",
                "手机": b["mask_phone"],
                "省": b["prov"],
                "市": b["city"],
                "区": b["dist"],
                "街道": b["street"],
                "详细地址": "****",
                "支付时间": "" if unpaid else f"{pay_t:%Y-%m-%d %H:%M:%S}",
                "拼单成功时间": "" if unpaid else f"{pay_t:%Y-%m-%d %H:%M:%S}",
                "订单成交时间": f"{when:%Y-%m-%d %H:%M:%S}",
                "发货时间": f"{ship_t:%Y-%m-%d %H:%M:%S}" if ship_t else "",
                "确认收货时间": f"{recv_t:%Y-%m-%d %H:%M:%S}" if recv_t else "",
                "商品id": gid + "\t",
                "商品规格": spec,
                "用户购买手机号": "\t",
                "样式ID": str(rng.randint(10**11, 10**12 - 1)) + "\t",
                "商家编码-规格维度": "",
                "商家编码-商品维度": "",
                "商家备注": "",
                "售后状态": after,
                "快递单号": (f"YT{rng.randint(10**12, 10**13 - 1)}" + "\t") if ship_t else "",
                "快递公司": rng.choice(["圆通快递", "中通快递", "韵达快递", "极兔速递"])
                if ship_t
                else "",
            }
        )
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=HEADERS, lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    path.write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))
    return {
        "files": [path],
        "format": FORMAT,
        "buyers": len({t["buyer"] for t in truth.values()}),
        "orders": truth,
        "skipped_rows": 0,
    }
