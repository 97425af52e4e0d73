"""The README's architecture section names the modules as they are: each top-level entry
exists under src/kequn, and each ``name.py`` it mentions is a file of that entry
(``privacy.py`` had become the ``privacy/`` package; ``columns.py`` was placed inside
``formats/``)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent.parent
SRC = ROOT / "src" / "kequn"


def _tree() -> dict[str, str]:
    """Each top-level entry of the ``src/kequn/`` block with the text describing it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```\nsrc/kequn/\n", 1)[1].split("```", 1)[0]
    entries: dict[str, str] = {}
    name = ""
    for line in block.splitlines():
        top = re.match(r"  (\S+)\s", line)
        if top:
            name = top.group(1)
            entries[name] = ""
        entries[name] += line + "\n"
    return entries


def test_every_top_level_entry_exists() -> None:
    entries = _tree()
    assert len(entries) > 12
    for name in entries:
        path = SRC / name.rstrip("/")
        assert path.is_dir() if name.endswith("/") else path.is_file(), name


def test_every_file_named_is_in_its_entry() -> None:
    for name, text in _tree().items():
        if not name.endswith("/"):
            continue
        folder = SRC / name.rstrip("/")
        for file in re.findall(r"\b([a-z0-9_]+\.py)\b", text):
            assert list(folder.rglob(file)), f"{name}: {file}"
        for sub in re.findall(r"(?<![\w/])([a-z_]+)/(?=[\s,:;)])", text.replace(name, "", 1)):
            assert (folder / sub).is_dir(), f"{name}: {sub}/"
