"""Multi-source customer records with known truth, for measuring identity resolution.

Each person appears in 1-4 sources (most in 2-4) with the noise real exports carry: 汉字
or pinyin names (王小明 / Wang Xiaoming / Xiaoming Wang), typos, traditional characters,
homophone characters, masked phones (137****7151), a phone shared by a family, changed
addresses, missing fields, and a share of very common names (张伟) in one city. The
``truth`` column holds the person each record belongs to; ``wechat_unionid`` is what an
attribute of that name would hold.
"""

from __future__ import annotations

import random
from typing import Any

import pyarrow as pa

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = list(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞宇浩然子轩梓涵一诺欣怡晨阳"
)
#: simplified → traditional for the characters above that differ
TRADITIONAL = dict(
    zip(
        "刘陈杨黄赵吴马郭罗郑梁谢许韩冯邓肖董袁潘蒋蔡叶苏卢伟丽军艳杰娟涛华兰红鹏飞轩涵诺阳",
        "劉陳楊黃趙吳馬郭羅鄭梁謝許韓馮鄧肖董袁潘蔣蔡葉蘇盧偉麗軍艷傑娟濤華蘭紅鵬飛軒涵諾陽",
        strict=True,
    )
)
#: characters with the same pinyin, for homophone slips (小明 → 晓明)
HOMOPHONES = {
    "明": "铭",
    "伟": "玮",
    "芳": "方",
    "静": "婧",
    "丽": "莉",
    "强": "墙",
    "华": "骅",
    "红": "虹",
}
CITIES = ["上海", "北京", "广州", "深圳", "杭州", "南京", "苏州", "成都", "武汉", "西安"]
STREETS = ["中山路", "人民路", "解放路", "建设路", "和平路", "长江路", "南京路", "淮海路", "文化路"]
DOMAINS = ["qq.com", "163.com", "126.com", "gmail.com", "sina.com"]
SOURCES = ["tmall", "jd", "youzan", "store", "crm"]
PREFIXES = ["137", "138", "139", "135", "136", "150", "151", "186", "188", "189"]


def _pinyin(name: str) -> tuple[str, str]:
    from pypinyin import lazy_pinyin

    sur = "".join(lazy_pinyin(name[0])).capitalize()
    given = "".join(lazy_pinyin(name[1:])).capitalize()
    return sur, given


def _address(rng: random.Random) -> str:
    building = f"{rng.randint(1, 30)}栋{rng.randint(101, 2505)}室"
    return f"{rng.choice(STREETS)}{rng.randint(1, 999)}号{building}"


def generate(persons: int, seed: int = 7) -> pa.Table:
    """Source records of ``persons`` people (about 2.2 records each)."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    rows: list[dict[str, Any]] = []
    families: list[dict[str, Any]] = []
    for p in range(persons):
        common = rng.random() < 0.02
        if common:
            name, city = "张伟", "上海"
        else:
            name = rng.choice(SURNAMES) + "".join(
                rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2)))
            )
            city = rng.choice(CITIES)
        phone = rng.choice(PREFIXES) + f"{rng.randrange(10**8):08d}"
        family = families[-1] if families and rng.random() < 0.06 else None
        if family is not None:
            # a family member: the family's phone, city and address, often the surname
            phone, city, address = family["phone"], family["city"], family["address"]
            if rng.random() < 0.6:
                name = family["name"][0] + name[1:]
        else:
            address = _address(rng)
        person = {"name": name, "phone": phone, "city": city, "address": address}
        if rng.random() < 0.3:
            families.append(person)
        sur, given = _pinyin(name)
        email = f"{sur.lower()}{given.lower()}{rng.randint(1, 9999)}@{rng.choice(DOMAINS)}"
        birth = f"{rng.randint(1960, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        unionid = f"o{rng.getrandbits(64):016x}" if rng.random() < 0.3 else None
        r = rng.random()
        n_sources = 1 if r < 0.25 else 2 if r < 0.6 else 3 if r < 0.85 else 4
        for src in rng.sample(SOURCES, n_sources):
            rows.append(
                _record(rng, p, src, name, sur, given, phone, email, city, address, birth, unionid)
            )
    rng.shuffle(rows)
    counters: dict[str, int] = {}
    for row in rows:
        counters[row["origin"]] = counters.get(row["origin"], 0) + 1
        row["customer_id"] = f"{row['origin']}:{counters[row['origin']]:07d}"
    return pa.Table.from_pylist(rows)


def _record(
    rng: random.Random,
    person: int,
    src: str,
    name: str,
    sur: str,
    given: str,
    phone: str,
    email: str,
    city: str,
    address: str,
    birth: str,
    unionid: str | None,
) -> dict[str, Any]:
    shown: str | None = name
    r = rng.random()
    if r < 0.2:
        shown = f"{sur} {given}" if rng.random() < 0.7 else f"{given} {sur}"
        if rng.random() < 0.15:  # a typo in the pinyin
            i = rng.randrange(1, len(shown))
            shown = shown[:i] + shown[i + 1 :]
    elif r < 0.3:
        shown = "".join(TRADITIONAL.get(c, c) for c in name)
    elif r < 0.36:
        shown = "".join(HOMOPHONES.get(c, c) for c in name)
    elif r < 0.40:
        shown = None
    shown_phone: str | None = phone
    r = rng.random()
    if src in ("tmall", "jd") and r < 0.5:
        shown_phone = phone[:3] + "****" + phone[7:]
    elif r < 0.1:
        shown_phone = None
    elif r < 0.3:
        shown_phone = "+86 " + phone[:3] + " " + phone[3:7] + " " + phone[7:]
    shown_email: str | None = email if rng.random() < 0.55 else None
    if shown_email and rng.random() < 0.2:
        shown_email = shown_email.upper()
    shown_address: str | None = address
    r = rng.random()
    if r < 0.15:  # moved
        shown_address = _address(rng)
    elif r < 0.35:
        shown_address = None
    return {
        "origin": src,
        "name": shown,
        "phone": shown_phone,
        "email": shown_email,
        "city": (city + "市" if rng.random() < 0.3 else city) if rng.random() < 0.9 else None,
        "address": shown_address,
        "birth_date": birth if rng.random() < 0.4 else None,
        "wechat_unionid": unionid if src in ("youzan", "crm") else None,
        "truth": person,
    }


def pair_scores(predicted: list[str], truth: list[int]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of a clustering against the truth (pairs of
    records put together), counted from cluster sizes rather than listing pairs."""
    from collections import Counter

    pred = Counter(predicted)
    true = Counter(truth)
    both = Counter(zip(predicted, truth, strict=True))

    def pairs(counts: Counter[Any]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    tp, pp, tt = pairs(both), pairs(pred), pairs(true)
    precision = tp / pp if pp else 1.0
    recall = tp / tt if tt else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "true_pairs": tt, "found_pairs": pp}
