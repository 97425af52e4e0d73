"""``kequn export --headers en`` / ``zh``: what a person reads was not all names. English
headers were lower case ("customer id", "company size (China 2017)") beside capitalised
ones ("Lifecycle", "RFM segment"), and so were the catalogue's values: 企业规模 "small"
and "micro" in one column, "Small" and "Micro" in the Company size column; yes/no beside
"Loyal". A tag's header joined its dimension with a full-width colon in English
("Traits：Social"); a header two columns shared said the column's id ("城市 (city_norm)",
"性别 (gender_group)"); the discovered cluster was a bare number. Now headers and named
values begin with a capital in English, a tag is "Traits: Social", the normalised city is
城市（归一） / City (normalised), a dimension named as a customer's field is "(segment)" /
（分群）, and the cluster's number comes with its description."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from cli_helpers import kequn
from kequn.core.i18n import local
from kequn.demo import demo_workspace
from kequn.pipeline import run as run_taxonomy
from kequn.snapshots import read
from kequn.store.workspace import Workspace

SEGMENT = "lifecycle=loyal"


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = demo_workspace(tmp_path_factory.mktemp("shop"), 300, seed=7)
    run_taxonomy(ws)
    return ws


def _export(
    capsys: pytest.CaptureFixture[str], ws: Workspace, out: Path, mode: str
) -> dict[str, list[str]]:
    """Each column of ``kequn export SEGMENT --headers MODE``, by its header."""
    code, said = kequn(capsys, "export", SEGMENT, "-o", out, "--headers", mode, "-w", ws.root)
    assert code == 0, said
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert len(set(rows[0])) == len(rows[0])
    return {name: [row[i] for row in rows[1:]] for i, name in enumerate(rows[0])}


def test_english_headers_and_names_begin_with_a_capital(
    shop: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    named = _export(capsys, shop, tmp_path / "en.csv", "en")
    assert [h for h in named if not h[:1].isupper()] == []
    assert "Customer id" in named
    assert "Traits: Social" in named
    assert not [h for h in named if "：" in h]
    for column in ("Company size (China 2017)", "Company size (EU)", "Company size"):
        sizes = {v for v in named[column] if v}
        assert sizes, column
        assert all(v[:1].isupper() for v in sizes), (column, sizes)
    assert {"Yes", "No"} >= {v for v in named["Marketing consent"] if v}
    assert not {v for v in named["Nature"] if v and not v[:1].isupper()}


@pytest.mark.parametrize(
    ("lang", "city", "gender"),
    [("en", "City (normalised)", "Gender (segment)"), ("zh", "城市（归一）", "性别（分群）")],
)
def test_no_header_says_a_column_id(
    shop: Workspace,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    city: str,
    gender: str,
) -> None:
    named = _export(capsys, shop, tmp_path / f"{lang}.csv", lang)
    assert city in named
    assert gender in named
    ids = _export(capsys, shop, tmp_path / "ids.csv", "ids")
    assert not [h for h in named if re.search(r"\((\w+_\w+)\)", h)]  # "(city_norm)"
    assert named[city] == ids["city_norm"]
    assert named[gender] != ids["gender_group"]  # the labels named, not the ids


@pytest.mark.parametrize(("lang", "header"), [("en", "Discovered cluster"), ("zh", "数据发现分群")])
def test_the_cluster_comes_with_its_description(
    shop: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, header: str
) -> None:
    run = read.require_run(shop, None)
    clusters = (run.models or {})["clusters"]
    assert clusters["status"] == "fitted"
    described = {str(c["id"]): local(c, lang) for c in clusters["clusters"]}
    named = _export(capsys, shop, tmp_path / f"{lang}.csv", lang)
    numbers = _export(capsys, shop, tmp_path / "ids.csv", "ids")["cluster"]
    assert numbers
    assert all(n in described for n in numbers)
    assert named[header] == [f"{n} — {described[n]}" for n in numbers]
