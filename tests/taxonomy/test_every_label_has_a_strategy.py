"""Every label of the default taxonomy has a strategy (the spec: "Each label has a
strategy: a short text (中文 and English), suggested actions, the team it is for and the
goal"): a woman's, a man's, an individual's and a customer of an unknown source's labels
had none, and ``kequn show`` gave them a reason without anything to do. The eleven types
are the exception: each is another dimension's label (lifecycle, value, order size,
traits), whose strategy the worklist already holds once."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import small_shop
from kequn.taxonomy.model import default_text, parse_taxonomy

#: tags that only name other dimensions' labels
COMPOSITE = {"types"}


def test_every_label_has_a_strategy_for_a_team() -> None:
    taxonomy = parse_taxonomy(default_text())
    missing = [
        f"{dim.id}.{label.id}"
        for dim in taxonomy.dimensions
        if dim.id not in COMPOSITE
        for label in dim.labels
        if label.strategy is None
        or not (label.strategy.zh and label.strategy.en and label.strategy.actions)
        or label.strategy.team not in ("marketing", "sales", "service")
    ]
    assert missing == []


def test_show_gives_the_strategy_of_each_label(tmp_path: Path) -> None:
    customers = "customer_id,name,gender\nW1,王芳,女\nM1,李雷,男\n"
    shop = small_shop(tmp_path, {"customers": customers}, "--as-of", "2026-06-01", lang="zh")
    assert shop["W1"]["gender_group"][0][0] == "female"
    assert shop["M1"]["customer_nature"][0][0] == "individual"

    from typer.testing import CliRunner

    from kequn.cli import app

    shown = CliRunner().invoke(app, ["--lang", "zh", "show", "W1", "-w", str(tmp_path / "ws")])
    assert shown.exit_code == 0, shown.output
    gender_line = next(i for i, line in enumerate(shown.output.splitlines()) if "性别" in line)
    assert "→ [市场营销]" in shown.output.splitlines()[gender_line + 1]
