"""``kequn demo --customers 99999999999999999999`` made a workspace and generated chunk
after chunk for ever, filling the disk. The count is bounded (the ids' eight digits) and
refused as a usage error, in the chosen language, before any folder is touched."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import kequn_output


@pytest.mark.parametrize(("lang", "words"), [("en", "less than or equal to 99999999"),
                                             ("zh", "应小于或等于 99999999")])  # fmt: skip
def test_an_absurd_demo_size_is_refused_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    # a shop's own workspace: were the size accepted, the demo would refuse it (exit 1)
    shop = tmp_path / "shop"
    assert kequn_output(capsys, "init", shop)[0] == 0
    code, out, err = kequn_output(
        capsys, "--lang", lang, "demo", "-w", shop, "--customers", "99999999999999999999"
    )
    said = " ".join((out + err).replace("│", " ").split())
    assert code == 2, said
    assert "--customers" in said, said
    assert words in said, said
    fresh = tmp_path / "fresh"
    code, _, _ = kequn_output(capsys, "demo", "-w", fresh, "--customers", "100000000")
    assert code == 2
    assert not fresh.exists()
