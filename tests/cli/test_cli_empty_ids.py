"""``kequn show ""`` said "Customer  is not in this run", naming no id (and ``privacy
export ""`` "holds nothing about customer ."). An empty id, or one of spaces only, is a
usage error saying the id is empty, exit 2, in each command taking one, in both
languages. So is an id of characters that print as nothing (zero-width spaces, a byte
order mark, which ``kequn show`` looked up as an id), and an empty run id: ``--run ""``
was a prefix of every run ("2 runs have ids starting with : …"), or named the only one."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import kequn_output

COMMANDS = [
    ("show", ""),
    ("show", "  "),
    ("privacy", "export", ""),
    ("privacy", "erase", "", "--yes"),
    ("identity", "confirm", "", "tmall:C001"),
    ("identity", "reject", "tmall:C001", " "),
    ("identity", "split", ""),
    ("events", "--customer", ""),
    ("show", "\u200b"),
    ("show", " \ufeff\u200c\u200d "),
    ("privacy", "erase", "\u200b", "--yes"),
    ("show", "--run", "", "C00001"),
    ("segments", "--run", " "),
    ("worklist", "--run", ""),
    ("export", "--run", ""),
    ("events", "--run", ""),
    ("digest", "show", "--run", ""),
    ("journeys", "process", "--run", "\u200b"),
    ("history", "--before", ""),
    ("history", "--after", " "),
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: "-".join(w or "empty" for w in a[:2]))
@pytest.mark.parametrize(("lang", "words"), [("en", "the id is empty: give"),
                                             ("zh", "编号为空：请给出")])  # fmt: skip
def test_an_empty_id_is_said_to_be_empty(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    lang: str,
    words: str,
) -> None:
    # (refused before any workspace is opened: none is needed)
    code, out, err = kequn_output(capsys, "--lang", lang, *args, "-w", tmp_path)
    said = " ".join((out + err).replace("│", " ").split())
    assert code == 2, said
    assert words in said, said
    assert "Traceback" not in said, said
