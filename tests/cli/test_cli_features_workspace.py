"""``kequn features`` takes ``-w/--workspace`` as every other command does, and with a
workspace also lists the thresholds its taxonomy gives rules; outside one it lists the
catalogue as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_helpers import command_tree, kequn, kequn_output, kequn_words


def test_features_takes_the_workspace_option_as_the_others_do() -> None:
    found = {}
    for path, command in command_tree():
        for param in getattr(command, "params", []):
            if param.name == "workspace":
                found[" ".join(path)] = (tuple(sorted(param.opts)), param.help)
    assert "features" in found
    assert "run" in found
    # one spelling for all, and one help for all that open a workspace (the demo's makes
    # one); the features command had none
    assert {opts for opts, _ in found.values()} == {("--workspace", "-w")}, found
    assert len({said for name, (_, said) in found.items() if name != "demo"}) == 1, found
    assert found["features"] == (("--workspace", "-w"), found["run"][1])


def _workspace(capsys: pytest.CaptureFixture[str], root: Path) -> Path:
    ws = root / "shop"
    assert kequn(capsys, "init", "-w", ws)[0] == 0
    taxonomy = ws / "taxonomy.yaml"
    text = taxonomy.read_text(encoding="utf-8")
    added = "  vip_spend: {value: 5000, zh: 贵宾消费线, en: VIP spend line}\n"
    taxonomy.write_text(text.replace("thresholds:\n", "thresholds:\n" + added, 1), "utf-8")
    return ws


def test_a_workspace_s_thresholds_are_listed_with_the_catalogue(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ws = _workspace(capsys, tmp_path)
    code, out, err = kequn_output(capsys, "features", "-w", ws, "--json")
    assert code == 0, err
    rows = {r["name"]: r for r in json.loads(out)}
    assert rows["vip_spend"] == {
        "name": "vip_spend",
        "kind": "number",
        "zh": "贵宾消费线",
        "en": "VIP spend line",
        "source": "threshold",
    }
    assert rows["purchase_cycle_days"]["source"] == "threshold"  # the default taxonomy's
    assert rows["orders"]["source"] == "catalogue"
    code, said = kequn_words(capsys, "features", "--workspace", ws, "--lang", "zh")
    assert code == 0, said
    assert "vip_spend 阈值（分类体系） 贵宾消费线 VIP spend line" in said


def test_outside_a_workspace_the_catalogue_is_listed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KEQUN_WORKSPACE", raising=False)
    monkeypatch.chdir(tmp_path)
    code, out, err = kequn_output(capsys, "features", "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert {r["source"] for r in rows} == {"catalogue"}
    assert "orders" in {r["name"] for r in rows}
    # $KEQUN_WORKSPACE chooses the workspace, as for the other commands
    ws = _workspace(capsys, tmp_path)
    monkeypatch.setenv("KEQUN_WORKSPACE", str(ws))
    code, out, err = kequn_output(capsys, "features", "--json")
    assert code == 0, err
    assert "vip_spend" in {r["name"] for r in json.loads(out)}


def test_a_folder_that_is_no_workspace_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for lang, words in (("en", "is not a kequn workspace"), ("zh", "不是 kequn 工作区")):
        code, said = kequn_words(capsys, "features", "-w", tmp_path / "none", "--lang", lang)
        assert code == 1, said
        assert words in said


@pytest.mark.parametrize(
    ("lang", "number", "text"), [("zh", "数值", "文本"), ("en", "number", "text")]
)
def test_the_kinds_are_said_in_the_language(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    lang: str, number: str, text: str,
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)  # no workspace: the catalogue alone
    monkeypatch.delenv("KEQUN_WORKSPACE", raising=False)
    code, out, err = kequn_output(capsys, "--lang", lang, "features")
    assert code == 0, err
    lines = {line.split("│")[1].strip(): line for line in out.splitlines() if line.count("│") > 3}
    assert number in lines["orders"]
    assert any(text in line for line in lines.values())
    if lang == "zh":
        assert "number" not in out
        assert "string" not in out
