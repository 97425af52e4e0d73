"""A workspace made by an earlier kequn keeps its copy of the default taxonomy: an
unedited copy is recognised (its runs say a newer default exists) and ``kequn taxonomy
upgrade`` replaces it, keeping the old file; an edited one is replaced only with --force."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from cli_helpers import kequn_words
from kequn import pipeline
from kequn.demo import demo_workspace
from kequn.snapshots.reports import run_notes
from kequn.taxonomy.model import default_text
from kequn.taxonomy.upgrade import standing

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = "src/kequn/taxonomy/default.yaml"


def _earlier_default() -> str:
    """The default as an earlier kequn shipped it: the current one with a rule kequn
    has since changed (listed as an earlier default by the test's own hash)."""
    return default_text().replace(
        "when: days_since_last_order > 2 * purchase_cycle_days",
        "when: days_since_last_order > 3 * purchase_cycle_days",
    )


@pytest.fixture
def past(monkeypatch: pytest.MonkeyPatch) -> str:
    """An earlier default, known as one."""
    from kequn.taxonomy import upgrade

    text = _earlier_default()
    known = upgrade._past_defaults() | {hashlib.sha256(text.encode()).hexdigest()}
    monkeypatch.setattr(upgrade, "_past_defaults", lambda: known)
    return text


def test_every_earlier_default_in_the_history_is_listed() -> None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("no git history here (an installed copy)")
    commits = subprocess.run(
        ["git", "-C", str(ROOT), "log", "--format=%H", "--", DEFAULT],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    listed = (ROOT / "src/kequn/taxonomy/past_defaults.txt").read_text(encoding="utf-8")
    current = hashlib.sha256((ROOT / DEFAULT).read_bytes()).hexdigest()
    assert current not in listed
    for commit in commits:
        shown = subprocess.run(["git", "-C", str(ROOT), "show", f"{commit}:{DEFAULT}"],
                               capture_output=True, check=True).stdout  # fmt: skip
        digest = hashlib.sha256(shown).hexdigest()
        assert digest == current or digest in listed, (
            f"default.yaml of {commit[:8]} is not in past_defaults.txt: "
            "run python scripts/past_defaults.py"
        )


def test_an_unedited_earlier_default_is_told_and_upgraded(
    tmp_path: Path, past: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = demo_workspace(tmp_path, 120)
    assert standing(ws.taxonomy_path).state == "current"
    ws.taxonomy_path.write_text(past, encoding="utf-8")
    found = standing(ws.taxonomy_path)
    assert found.state == "outdated"
    assert "lifecycle" in found.changed
    assert "geography" not in found.changed

    run = pipeline.run(ws, with_models=False)
    en = " ".join(run_notes(run, "en"))
    assert "earlier kequn's default" in en
    assert "lifecycle" in en
    assert "旧版" in " ".join(run_notes(run, "zh"))

    code, said = kequn_words(capsys, "--lang", "en", "taxonomy", "upgrade", "-w", ws.root)
    assert code == 0
    assert "lifecycle" in said
    assert ws.taxonomy_path.read_text(encoding="utf-8") == default_text()
    backups = list(ws.root.glob("taxonomy.yaml.*.bak"))
    assert [b.read_text(encoding="utf-8") for b in backups] == [past]
    later = pipeline.run(ws, with_models=False)
    assert not any("earlier kequn" in line for line in run_notes(later, "en"))

    code, said = kequn_words(capsys, "--lang", "zh", "taxonomy", "upgrade", "-w", ws.root)
    assert code == 0
    assert "已是当前版本" in said


def test_an_edited_taxonomy_is_replaced_only_when_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = demo_workspace(tmp_path, 120)
    mine = _earlier_default().replace("version: ", "# my shop's rules\nversion: ", 1)
    ws.taxonomy_path.write_text(mine, encoding="utf-8")
    assert standing(ws.taxonomy_path).state == "edited"
    run = pipeline.run(ws, with_models=False)
    assert not any("earlier kequn" in line for line in run_notes(run, "en"))

    code, said = kequn_words(capsys, "--lang", "en", "taxonomy", "upgrade", "-w", ws.root)
    assert code == 1
    assert "--force" in said
    assert "lifecycle" in said
    assert ws.taxonomy_path.read_text(encoding="utf-8") == mine
    assert not list(ws.root.glob("taxonomy.yaml.*.bak"))

    code, _ = kequn_words(capsys, "taxonomy", "upgrade", "-w", ws.root, "--force")
    assert code == 0
    assert ws.taxonomy_path.read_text(encoding="utf-8") == default_text()
    kept = list(ws.root.glob("taxonomy.yaml.*.bak"))
    assert [k.read_text(encoding="utf-8") for k in kept] == [mine]


def test_an_earlier_default_differing_in_wording_only_is_told_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An earlier default whose rules all stand (a reason reworded) labels nobody
    differently: its note says so instead of listing no dimension (it read
    "labels these dimensions differently: ." on the benchmark's workspace)."""
    from kequn.core.i18n import t
    from kequn.taxonomy import upgrade

    text = default_text().replace("no paid order, and no interaction at all", "no order at all")
    assert text != default_text()
    known = upgrade._past_defaults() | {hashlib.sha256(text.encode()).hexdigest()}
    monkeypatch.setattr(upgrade, "_past_defaults", lambda: known)
    path = tmp_path / "taxonomy.yaml"
    path.write_text(text, encoding="utf-8")
    assert standing(path) == upgrade.Standing("outdated", ())
    note = upgrade.outdated_note(path)
    assert note is not None
    for lang in ("zh", "en"):
        said = t(note["key"], lang, **note["params"])
        assert "taxonomy upgrade" in said
        assert "：。" not in said
        assert ": ." not in said
    assert "no dimension labels customers differently" in t(note["key"], "en", **note["params"])
