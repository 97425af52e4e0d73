"""An import whose customer ids come from a phone or e-mail column says they are keyed
pseudonyms: "客户手机号 → customer_id" alone read as if the phone were stored as the id.
An id column of the file's own needs no such word."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import kequn_output


@pytest.mark.parametrize(("lang", "words"), [("zh", "匿名编号（p-…）"), ("en", "pseudonyms keyed")])
def test_ids_from_a_phone_are_said_to_be_keyed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    ws = tmp_path / "ws"
    assert kequn_output(capsys, "init", "-w", ws)[0] == 0
    by_phone = tmp_path / "客户导出.csv"
    by_phone.write_text("客户姓名,客户手机号\n张三,13800001111\n", encoding="utf-8")
    by_id = tmp_path / "customers.csv"
    by_id.write_text("客户编号,客户姓名\nC1,李四\n", encoding="utf-8")
    code, out, err = kequn_output(capsys, "--lang", lang, "import", "customers", by_phone, "-w", ws)
    assert code == 0, out + err
    assert "".join(words.split()) in "".join(out.split())
    code, out, err = kequn_output(capsys, "--lang", lang, "import", "customers", by_id, "-w", ws)
    assert code == 0, out + err
    assert "".join(words.split()) not in "".join(out.split())
