"""A company size's reason in a workspace that does not count in yuan: the figures are
converted as the size was (kequn.toml ``cny_per_unit`` / ``eur_per_unit``), and under the
EU Recommendation 2003/361 (staff AND turnover OR balance sheet, shared/reference/
company-size-standards.md) the reason names the financial figure that met the ceiling,
or the ceilings that put the company above the tier its staff would fit.

Before, the reason read the revenue as yuan: a USD shop's software company of 50 staff
and $100,000 (¥700,000), sized small by the software row, was explained by another row's
lines ("China 2017 standard, other industries: ...") as $100,000 read ¥100,000;
the EU reason named the staff alone ("5 staff < 50" for a company of five made small by
its turnover and balance sheet)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from kequn.cli import app
from kequn.core import i18n

CUSTOMERS = """id,name,kind,industry,employees,annual_revenue,total_assets
s1,Acme Software Inc,enterprise,I65,50,100000,
e1,Beta GmbH,enterprise,C26,30,20000000,5000000
e2,Gamma Ltd,enterprise,C26,5,5000000,3000000
"""


def _sizes(tmp_path: Path, standard: str, lang: str) -> dict[str, tuple[str, str]]:
    runner = CliRunner()
    ws = tmp_path / "ws"
    i18n.set_lang(None)
    try:
        done = runner.invoke(app, ["init", "-w", str(ws), "--currency", "USD"])
        assert done.exit_code == 0, done.output
        toml = ws / "kequn.toml"
        text = toml.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^cny_per_unit = .*$", "cny_per_unit = 7.0", text)
        text = re.sub(r"(?m)^eur_per_unit = .*$", "eur_per_unit = 0.9", text)
        toml.write_text(text, encoding="utf-8")
        taxonomy = ws / "taxonomy.yaml"
        taxonomy.write_text(
            taxonomy.read_text(encoding="utf-8").replace(
                "size_standard: {value: cn,", f"size_standard: {{value: {standard},"
            ),
            encoding="utf-8",
        )
        path = tmp_path / "customers.csv"
        path.write_text(CUSTOMERS, encoding="utf-8")
        done = runner.invoke(app, ["import", "customers", str(path), "-w", str(ws)])
        assert done.exit_code == 0, done.output
        done = runner.invoke(app, ["run", "-w", str(ws), "--as-of", "2025-03-01"])
        assert done.exit_code == 0, done.output
        out = {}
        for cid in ("s1", "e1", "e2"):
            shown = runner.invoke(app, ["--lang", lang, "show", cid, "-w", str(ws), "--json"])
            assert shown.exit_code == 0, shown.output
            dims = {d["dimension"]: d["labels"] for d in json.loads(shown.stdout)["dimensions"]}
            (label,) = dims["company_size"]
            out[cid] = (label["label"], label["reason"])
        return out
    finally:
        i18n.set_lang(None)


def test_china_standard_reason_converts_the_currency(tmp_path: Path) -> None:
    found = _sizes(tmp_path, "cn", "en")
    assert found["s1"] == (
        "small",
        "China 2017 standard, software and IT services: employees 50 ≥ 10 (< 100) → small",
    )


def test_eu_reason_names_staff_and_the_financial_ceiling(tmp_path: Path) -> None:
    found = _sizes(tmp_path, "eu", "en")
    assert found["e1"] == (
        "small",
        "EU 2003/361 standard: 30 staff < 50, balance sheet €4,500,000 ≤ €10,000,000 → small",
    )
    assert found["e2"] == (
        "small",
        (
            "EU 2003/361 standard: 5 staff < 50, turnover €4,500,000 ≤ €10,000,000;"
            " above the lower tier's ceilings: turnover €4,500,000 > €2,000,000"
            " and balance sheet €2,700,000 > €2,000,000 → small"
        ),
    )
