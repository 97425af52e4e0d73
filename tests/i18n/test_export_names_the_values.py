"""``kequn export --headers zh`` named the columns and left the values machine ids: a
shop owner who asked for 中文 read 生命周期 "loyal", 企业规模（国标） "micro", 营销许可
"false". A names export (zh or en, CSV or Excel) now names the values too: each
dimension's labels as the run's taxonomy names them, the codes the value catalogue names
(a customer's kind, a run's source group, a company's size ...), true/false as yes/no;
the ids export, which other tools read, is as it was."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import openpyxl
import pytest

from cli_helpers import kequn, kequn_words
from kequn.core import display
from kequn.core.i18n import local
from kequn.snapshots import read
from kequn.store.workspace import Workspace

SEGMENT = "lifecycle=active"
#: columns of codes a run derives, which a 中文 export shows in 中文 whatever the code
DERIVED = ("nature", "company_size_cn", "source_group", "preferred_channel_group")
CONSENT = "marketing_consent"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _export(
    capsys: pytest.CaptureFixture[str], ws: Workspace, out: Path, mode: str
) -> list[list[str]]:
    """The rows of ``kequn export SEGMENT --headers MODE``, header first."""
    code, said = kequn(capsys, "export", SEGMENT, "-o", out, "--headers", mode, "-w", ws.root)
    assert code == 0, said
    if out.suffix == ".xlsx":
        rows = openpyxl.load_workbook(out).worksheets[0].iter_rows(values_only=True)
        return [["" if v is None else str(v) for v in row] for row in rows]
    with out.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _label_names(ws: Workspace, lang: str) -> dict[str, dict[str, str]]:
    """Each exclusive dimension's labels (its fallback too) by id, named in ``lang`` by
    the run's taxonomy."""
    taxonomy = read.require_run(ws, None).taxonomy()
    return {
        dim.id: {
            lab.id: local(lab, lang)
            for lab in [*dim.labels, *([dim.fallback] if dim.fallback else [])]
        }
        for dim in taxonomy.dimensions
        if dim.type == "exclusive"
    }


def _columns(rows: list[list[str]], header: list[str]) -> dict[str, list[str]]:
    """The values of each column, by the ids export's ``header`` (the column's id)."""
    assert len(rows[0]) == len(header)
    return {name: [row[i] for row in rows[1:]] for i, name in enumerate(header)}


@pytest.mark.parametrize(("lang", "suffix"), [("zh", ".csv"), ("en", ".csv"), ("zh", ".xlsx")])
def test_a_names_export_names_every_dimensions_labels(
    two_run_shop: Workspace,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    suffix: str,
) -> None:
    ids = _export(capsys, two_run_shop, tmp_path / f"ids{suffix}", "ids")
    named = _export(capsys, two_run_shop, tmp_path / f"named{suffix}", lang)
    assert len(named) == len(ids) > 20
    by_id, by_name = _columns(ids, ids[0]), _columns(named, ids[0])
    assert by_name["customer_id"] == by_id["customer_id"]
    for dim_id, names in _label_names(two_run_shop, lang).items():
        assert by_name[dim_id] == [names[v] for v in by_id[dim_id]], dim_id
    assert set(by_name["lifecycle"]) == {_label_names(two_run_shop, lang)["lifecycle"]["active"]}
    yes, no = display.yes_no(True, lang), display.yes_no(False, lang)
    if lang == "en":  # a cell of a table: begun with a capital, as the labels are
        yes, no = yes.capitalize(), no.capitalize()
    assert set(by_name[CONSENT]) <= {yes, no, ""}
    assert {yes, no} <= set(by_name[CONSENT])


def test_a_chinese_export_shows_derived_codes_in_chinese(
    two_run_shop: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = _export(capsys, two_run_shop, tmp_path / "ids.csv", "ids")
    named = _columns(_export(capsys, two_run_shop, tmp_path / "zh.csv", "zh"), ids[0])
    for column in DERIVED:
        assert all(CHINESE.search(v) for v in named[column] if v), (column, set(named[column]))
    codes = _columns(ids, ids[0])
    pairs = set(zip(codes["company_size_cn"], named["company_size_cn"], strict=True))
    assert ("micro", "微型") in pairs
    assert ("unknown", "未知") in pairs
    # a customer's kind as the customer page names it; a value it does not know as it is
    kinds = set(zip(codes["kind"], named["kind"], strict=True))
    assert ("enterprise", display.value("kind", "enterprise", "zh")) in kinds
    assert all(n == c or display.known("kind", c) for c, n in kinds)


def test_an_english_export_names_codes_in_english(
    two_run_shop: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = _export(capsys, two_run_shop, tmp_path / "ids.csv", "ids")
    codes = _columns(ids, ids[0])
    named = _columns(_export(capsys, two_run_shop, tmp_path / "en.csv", "en"), ids[0])
    groups = set(zip(codes["source_group"], named["source_group"], strict=True))
    assert ("partner_referral", "Partner referral") in groups
    assert ("advertising", "Advertising") in groups
    assert ("enterprise", "Company") in set(zip(codes["nature"], named["nature"], strict=True))


def test_the_ids_export_keeps_the_codes(
    two_run_shop: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The machine-readable export other tools read: label ids, codes, true/false."""
    ids = _export(capsys, two_run_shop, tmp_path / "ids.csv", "ids")
    codes = _columns(ids, ids[0])
    assert ids[0][0] == "customer_id"
    assert set(codes["lifecycle"]) == {"active"}
    assert set(codes[CONSENT]) <= {"true", "false", ""}
    assert "micro" in codes["company_size_cn"]
    assert "partner_referral" in codes["source_group"]
    again = _export(capsys, two_run_shop, tmp_path / "again.csv", "ids")
    assert again == ids


@pytest.mark.parametrize(
    ("lang", "said"), [("en", ("label names", "yes/no")), ("zh", ("标签", "真假值"))]
)
def test_the_help_says_names_name_the_values(
    capsys: pytest.CaptureFixture[str], lang: str, said: tuple[str, str]
) -> None:
    code, out = kequn_words(capsys, "--lang", lang, "export", "--help")
    assert code == 0, out
    assert all(words in out for words in said), out
