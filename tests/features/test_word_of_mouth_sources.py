"""Word of mouth as Chinese shops write a source (朋友介绍, 老客户介绍, 老带新, 熟人, 亲友)
is the social source (口碑/社交): only 推荐 and 转介绍 were, so a friend's introduction was
'other source'."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import small_shop

SOURCES = ["朋友介绍", "老客户介绍", "老带新", "熟人", "亲友推荐", "朋友介紹"]
CUSTOMERS = "id,name,source\n" + "".join(f"s{i},客户{i},{s}\n" for i, s in enumerate(SOURCES))


def test_word_of_mouth_is_social(tmp_path: Path) -> None:
    shop = small_shop(tmp_path, {"customers": CUSTOMERS}, "--as-of", "2025-03-01", lang="zh")
    for i, source in enumerate(SOURCES):
        dims = shop[f"s{i}"]
        assert dims["acquisition_source"] == [("social", "按登记的来源归为口碑社交")], source
        assert ("social", "社交型：经社交或口碑渠道获得") in dims["types"], source
