"""``kequn user add``: a name that would break the lists it is shown in, or that only looks
like another name, is refused as a usage error (exit 2, like a wrong role; it was exit 1,
and names with two spaces in a row or a no-break space were accepted though the web shows
them like another), and adding a name that exists says the token was replaced (it said
"Created")."""

from __future__ import annotations

import json

import pytest

from cli_helpers import kequn_output, kequn_words
from kequn.store.access import list_users
from kequn.store.workspace import Workspace


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace.init(tmp_path_factory.mktemp("users") / "shop")


BAD_NAMES = [
    "",
    "   ",
    " ana",
    "ana ",
    "x\ny",
    "tab\there",
    "bell\x07",
    "a" * 65,
    "x" * 300,
    "\u200bana",
    "ana  li",  # the web shows two spaces as one: "ana li"
    "ana\u00a0li",  # a no-break space looks like a space
    "陈\u3000大文",  # so does the ideographic space
]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_names_that_would_break_a_list_are_refused(
    ws: Workspace, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    code, said = kequn_words(capsys, "user", "add", name, "-w", ws.root)
    assert code == 2
    assert "cannot be used: 1 to 64 characters" in said
    assert "spaces only as single plain spaces between words" in said
    code, said = kequn_words(capsys, "--lang", "zh", "user", "add", name, "-w", ws.root)
    assert code == 2
    assert "不可用" in said
    assert "单个普通空格" in said
    assert name not in [u.name for u in list_users(ws)]


@pytest.mark.parametrize("name", ["张三", "ops.team-1@shop", 'O\'Brien "ops"', "陈 大文 2"])
def test_names_people_use_are_accepted(
    ws: Workspace, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    code, out, _ = kequn_output(capsys, "user", "add", name, "-w", ws.root, "--json")
    assert code == 0
    assert json.loads(out)["name"] == name
    assert name in [u.name for u in list_users(ws)]


def test_adding_a_name_again_says_the_token_was_replaced(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    code, said = kequn_words(capsys, "user", "add", "陈 大文", "-w", ws.root)
    assert code == 0
    assert "Created user 陈 大文 (viewer)" in said
    code, out, _ = kequn_output(
        capsys, "user", "add", "陈 大文", "--role", "admin", "-w", ws.root, "--json"
    )
    assert json.loads(out)["replaced"] is True
    code, said = kequn_words(capsys, "--lang", "zh", "user", "add", "陈 大文", "-w", ws.root)
    assert "已替换用户 陈 大文（viewer）的令牌" in said
    assert [u.role for u in list_users(ws) if u.name == "陈 大文"] == ["viewer"]
