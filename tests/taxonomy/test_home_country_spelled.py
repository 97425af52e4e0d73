"""The home country may be set as a shop writes it (中国, China), not only as the code CN:
customers' countries are normalised (中国 → CN), and the setting was not, so every
Chinese customer was 'international: based in CN, not the home country (中国)'."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import small_shop

CUSTOMERS = "id,name,country,city\ng1,甲,中国,北京\ng2,乙,cn,\ng3,丙,US,New York\n"


@pytest.mark.parametrize("home", ["中国", "China", " cn "])
def test_a_home_country_written_out_is_the_code(tmp_path: Path, home: str) -> None:
    shop = small_shop(
        tmp_path,
        {"customers": CUSTOMERS},
        "--as-of",
        "2025-03-01",
        init_args=("--home-country", home),
    )
    assert shop["g1"]["geography"] == [
        ("domestic", "in 北京 in the home country, not in the home city 上海")
    ]
    assert shop["g2"]["geography"] == [("domestic", "in the home country (CN); no city given")]
    assert shop["g3"]["geography"] == [("international", "based in US, not the home country (CN)")]
