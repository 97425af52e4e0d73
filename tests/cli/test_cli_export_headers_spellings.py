"""``kequn export --headers`` takes a language written as the language options take it
(``ZH``, ``zh-CN``, ``en_US``): they were refused ("--headers takes ids, zh or en, not
ZH") while ``?lang=`` and ``KEQUN_LANG`` took them. ``--lang`` takes them too; ``ids``
stays as it is, and a language kequn does not speak is still a usage error."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cli_helpers import kequn_output
from kequn.demo import demo_workspace
from kequn.pipeline import run as run_taxonomy
from kequn.store.workspace import Workspace


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = demo_workspace(tmp_path_factory.mktemp("shop"), 40, seed=9)
    run_taxonomy(ws)
    return ws


@pytest.mark.parametrize(
    ("given", "first"),
    [("ZH", "客户编号"), ("zh-CN", "客户编号"), ("en_US", "Customer id"), ("ids", "customer_id")],
)
def test_headers_written_as_a_language_is_written(
    shop: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str], given: str, first: str
) -> None:
    out_file = tmp_path / "x.csv"
    code, out, err = kequn_output(
        capsys, "export", "lifecycle=active", "-o", out_file, "-w", shop.root,
        "--headers", given,
    )  # fmt: skip
    assert code == 0, out + err
    with out_file.open(encoding="utf-8-sig", newline="") as fh:
        assert next(csv.reader(fh))[0] == first


def test_a_language_not_spoken_is_still_refused(
    shop: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "x.csv"
    code, _, err = kequn_output(
        capsys, "export", "lifecycle=active", "-o", out_file, "-w", shop.root, "--headers", "fr"
    )
    assert code == 2
    assert "--headers takes ids, zh or en, not fr" in " ".join(err.replace("│", " ").split())
    assert not out_file.exists()


@pytest.mark.parametrize("given", ["ZH", "zh-CN", "zh_CN"])
def test_lang_takes_the_same_spellings(
    shop: Workspace, capsys: pytest.CaptureFixture[str], given: str
) -> None:
    code, out, err = kequn_output(capsys, "--lang", given, "status", "-w", shop.root)
    assert code == 0, out + err
    assert "客户" in out
