"""An unknown ``--table`` (``kequn quarantine``, ``kequn quarantine retry``) or
``--source`` (``kequn segments``) is a usage error, exit 2, told as an unknown
``--team`` is ("Invalid value for --team: ..."): they exited 1, as if the workspace
were at fault, and a script could not tell a typo from a failure."""

from __future__ import annotations

import pytest

from cli_helpers import kequn_words
from kequn.demo import demo_workspace
from kequn.pipeline import run as run_taxonomy
from kequn.store.workspace import Workspace


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = demo_workspace(tmp_path_factory.mktemp("shop"), 40, seed=5)
    run_taxonomy(ws)
    return ws


@pytest.mark.parametrize(
    ("args", "en", "zh"),
    [
        (
            ["worklist", "--team", "nope"],
            "Invalid value for --team: There is no nope: use one of",
            "--team 的值无效：没有 nope",
        ),
        (
            ["quarantine", "--table", "nope"],
            "Invalid value for --table: There is no table nope: use one of customers, orders",
            "--table 的值无效：没有表 nope",
        ),
        (
            ["quarantine", "retry", "--table", "nope"],
            "Invalid value for --table: There is no table nope: use one of customers, orders",
            "--table 的值无效：没有表 nope",
        ),
        (
            ["segments", "--source", "nope"],
            "Invalid value for --source: There is no source nope",
            "--source 的值无效：没有数据源 nope",
        ),
    ],
)
def test_an_unknown_option_value_is_a_usage_error(
    shop: Workspace, capsys: pytest.CaptureFixture[str], args: list[str], en: str, zh: str
) -> None:
    for lang, words in (("en", en), ("zh", zh)):
        code, said = kequn_words(capsys, "--lang", lang, *args, "-w", shop.root)
        assert code == 2, said
        assert words in said
        assert "Traceback" not in said
