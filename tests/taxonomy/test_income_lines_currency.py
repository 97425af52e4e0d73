"""The income lines are yuan (a yearly ¥300,000 is a high income, ¥60,000 a low one): a
workspace that counts in dollars had a customer earning $50,000 (¥350,000) called a low
income, compared with "$60,000", and the reason showed the yuan figures as dollars. A
pinned threshold with ``currency: CNY`` is now converted with kequn.toml's
``cny_per_unit``."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from kequn.cli import app
from kequn.core import i18n

CUSTOMERS = "id,name,income\nc1,Ann,50000\nc2,Bo,5000\n"


def test_income_lines_in_dollars(tmp_path: Path) -> None:
    runner = CliRunner()
    ws = tmp_path / "ws"
    i18n.set_lang(None)
    try:
        done = runner.invoke(app, ["init", "-w", str(ws), "--currency", "USD"])
        assert done.exit_code == 0, done.output
        toml = ws / "kequn.toml"
        text = toml.read_text(encoding="utf-8")
        toml.write_text(re.sub(r"(?m)^cny_per_unit = .*$", "cny_per_unit = 7.0", text), "utf-8")
        path = tmp_path / "customers.csv"
        path.write_text(CUSTOMERS, encoding="utf-8")
        done = runner.invoke(app, ["import", "customers", str(path), "-w", str(ws)])
        assert done.exit_code == 0, done.output
        done = runner.invoke(app, ["run", "-w", str(ws), "--as-of", "2025-03-01"])
        assert done.exit_code == 0, done.output
        found = {}
        for cid in ("c1", "c2"):
            shown = runner.invoke(app, ["--lang", "en", "show", cid, "-w", str(ws), "--json"])
            assert shown.exit_code == 0, shown.output
            dims = {d["dimension"]: d["labels"] for d in json.loads(shown.stdout)["dimensions"]}
            (label,) = dims["income_level"]
            found[cid] = (label["label"], label["reason"])
    finally:
        i18n.set_lang(None)
    assert found == {
        "c1": ("high", "a yearly income of $50,000, at or above $42,857"),
        "c2": ("low", "a yearly income of $5,000, below $8,571"),
    }
