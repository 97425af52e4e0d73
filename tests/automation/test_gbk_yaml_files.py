"""A taxonomy.yaml, journeys.yaml or mapping file saved by a Chinese Windows editor as
"ANSI" (GBK) is read: their Chinese words were refused as not UTF-8. UTF-8 with a
byte-order mark is read too; bytes that are neither still raise the UTF-8 error."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kequn.automation.journeys import journeys_path, load_journeys
from kequn.core.yamlfile import user_text
from kequn.identity.workspace import settings as identity_settings
from kequn.pipeline import workspace_taxonomy
from kequn.snapshots.read import privacy_settings
from kequn.store.workspace import Workspace
from kequn.taxonomy.model import load_taxonomy


def test_user_text_reads_utf8_bom_and_gbk() -> None:
    text = "statuses:\n  待审核: paid\n"
    assert user_text(text.encode("utf-8")) == text
    assert user_text(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert user_text(text.encode("gbk")) == text
    with pytest.raises(UnicodeDecodeError):
        user_text(b"a: \xff\n")


def test_a_gbk_taxonomy_and_journeys_file_are_read(aws: Workspace) -> None:
    utf8 = load_taxonomy()
    aws.taxonomy_path.write_bytes(utf8.source_text.encode("gb18030"))
    gbk = workspace_taxonomy(aws)
    assert gbk.fingerprint == utf8.fingerprint
    assert gbk.dimension("lifecycle").zh == utf8.dimension("lifecycle").zh

    journeys = {
        "channels": {"crm": {"type": "webhook", "url": "http://127.0.0.1:9/hook"}},
        "journeys": [
            {
                "id": "welcome",
                "trigger": {"rule": "orders >= 1"},
                "channel": "crm",
                "purpose": "service",
                "templates": {"zh": {"subject": "欢迎", "body": "您好，{{ customer.name }}"}},
            }
        ],
    }
    text = yaml.safe_dump(journeys, allow_unicode=True)
    journeys_path(aws).write_bytes(text.encode("gbk"))
    loaded = load_journeys(aws, gbk)
    assert [j.id for j in loaded.journeys] == ["welcome"]
    assert loaded.journeys[0].templates["zh"].subject == "欢迎"


def test_a_gbk_kequn_toml_is_read(tmp_path: Path) -> None:
    """kequn.toml saved as "ANSI" by Notepad with a Chinese home city: Workspace.open
    refused it as not UTF-8, while every other reader of the file would have crashed;
    now every reader takes it, and saving the settings writes UTF-8 back."""
    Workspace.init(tmp_path / "ws")
    config = tmp_path / "ws" / "kequn.toml"
    text = config.read_text(encoding="utf-8")
    text = text.replace('home_city = "上海"', 'home_city = "杭州"')
    text += "\n[privacy]\nquarantine_days = 30\n\n[identity]\nenabled = false\n"
    assert '"杭州"' in text
    config.write_bytes(text.encode("gbk"))
    ws = Workspace.open(tmp_path / "ws")
    assert ws.settings.home_city == "杭州"
    assert privacy_settings(ws).quarantine_days == 30
    assert identity_settings(ws).enabled is False
    ws.save_settings()
    saved = config.read_text(encoding="utf-8")  # UTF-8 now, the [privacy] section kept
    assert 'home_city = "杭州"' in saved
    assert "quarantine_days = 30" in saved
