"""Silent (沉默) is no order and no interaction for long: a prospect who left a form or
visited the store last week shows demand. Only views, inquiries, clicks and email opens
counted, so those were 'silent — no views, inquiries, clicks or email opens'."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import small_shop

FILES = {
    "customers": "id,name\nform,F\nvisit,V\nlong_ago,L\nnothing,N\n",
    "events": (
        "customer_id,occurred_at,type,channel\n"
        "form,2025-06-25,form,web\n"
        "visit,2025-06-20,到店,store\n"
        "long_ago,2024-06-01,visit,store\n"
    ),
}

EXPECTED = {
    "en": {
        "form": (
            "potential_demand",
            (
                "no paid order yet, but interactions: 1 (such as a form, a visit or a call); "
                "the latest 5 days ago"
            ),
        ),
        "visit": (
            "potential_demand",
            (
                "no paid order yet, but interactions: 1 (such as a form, a visit or a call); "
                "the latest 10 days ago"
            ),
        ),
        "long_ago": (
            "silent",
            "no paid order, and the latest interaction was 394 days ago, more than 180 days",
        ),
        "nothing": ("silent", "no paid order, and no interaction at all"),
    },
    "zh": {
        "form": (
            "potential_demand",
            "尚无付款订单，但有互动 1 次（如留资、到访、来电），最近一次在 5 天前",
        ),
        "visit": (
            "potential_demand",
            "尚无付款订单，但有互动 1 次（如留资、到访、来电），最近一次在 10 天前",
        ),
        "long_ago": ("silent", "尚无付款订单，最近一次互动在 394 天前，超过 180 天"),
        "nothing": ("silent", "尚无付款订单，也没有任何互动"),
    },
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_recent_interaction_of_any_kind_is_not_silent(tmp_path: Path, lang: str) -> None:
    shop = small_shop(tmp_path, FILES, "--as-of", "2025-06-30", lang=lang)
    for cid, expected in EXPECTED[lang].items():
        assert shop[cid]["behaviour"] == [expected], cid
