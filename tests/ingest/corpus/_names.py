"""Vocabulary and small formatters every corpus generator shares: common Chinese surnames
and given names (the most frequent ones, so collisions like 张伟 happen as in real shops),
money as platforms print it, and the masks platforms put on names and phones."""

from __future__ import annotations

from decimal import Decimal

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "婷",
    "鹏",
    "华",
    "霞",
    "平",
    "秀英",
    "桂兰",
    "建华",
]


def money(d: Decimal) -> str:
    """``12.5`` → ``"12.50"``: two decimals, no thousands separator."""
    return f"{d.quantize(Decimal('0.01'))}"


def mask_name(name: str) -> str:
    """王小明 → 王**, as JD and PDD print a buyer's name."""
    return name[0] + "*" * (len(name) - 1)


def mask_phone(phone: str) -> str:
    """13712347151 → 137****7151."""
    return phone[:3] + "****" + phone[-4:]
