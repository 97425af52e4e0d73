"""A country written out is its ISO 3166-1 code, whatever the home country: only China's
names were known, so a shop whose home country is US found every customer of a file
that writes "United States" international ("based in UNITED STATES, not the home country
(US)"), and one in Japan its 日本 customers abroad. The names are Debian's iso-codes
(ISO 3166-1 and its Chinese translations), a table a test reads back here."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import small_shop
from kequn.features.countries import country_codes, normalise_country

CUSTOMERS = """customer_id,name,country,city
U1,Ann,United States,Boston
U2,Bob,USA,New York
U3,Cy,美国,Seattle
U4,Di,US,Austin
J1,Ken,日本,東京
J2,Aya,Japan,Osaka
C1,Li,中华人民共和国,北京
K1,Kim,韩国,Seoul
"""


@pytest.mark.parametrize(
    ("home", "domestic"),
    [("United States", {"U1", "U2", "U3", "U4"}), ("JP", {"J1", "J2"})],
)
def test_countries_written_out_are_their_codes(
    tmp_path: Path, home: str, domestic: set[str]
) -> None:
    shop = small_shop(
        tmp_path,
        {"customers": CUSTOMERS},
        "--as-of",
        "2026-06-01",
        init_args=("--home-country", home, "--home-city", "Nowhere"),
    )
    found = {cid: labels["geography"][0][0] for cid, labels in shop.items()}
    assert {cid for cid, label in found.items() if label == "domestic"} == domestic
    assert {cid for cid, label in found.items() if label == "international"} == (
        set(found) - domestic
    )
    assert shop["C1"]["geography"][0][1].startswith("based in CN, not the home country")


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("中国", "CN"),
        ("China", "CN"),
        ("prc", "CN"),
        ("中華人民共和國", "CN"),
        ("United Kingdom", "GB"),
        ("UK", "GB"),
        ("Deutschland", "DEUTSCHLAND"),  # not an ISO name: kept as written
        ("Norway", "NO"),  # a code YAML 1.1 would read as false
        ("South Korea", "KR"),
        ("Taiwan", "TW"),
    ],
)
def test_the_names_table(written: str, code: str) -> None:
    assert normalise_country(written) == code


def test_every_code_is_two_letters() -> None:
    codes = set(country_codes().values())
    assert len(codes) == 249
    assert all(len(code) == 2 and code.isupper() for code in codes)
