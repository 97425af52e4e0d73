"""Users and tokens: tokens shown once and stored hashed, roles, masking, audit."""

from __future__ import annotations

import json

import pytest

from kequn.store.access import add_user, audit, authenticate, list_users, mask, read_audit
from kequn.store.workspace import Workspace


def test_tokens_are_stored_hashed_and_authenticate(ws: Workspace) -> None:
    token = add_user(ws, "ana", "analyst")
    stored = (ws.root / "users.json").read_text()
    assert token not in stored
    user = authenticate(ws, token)
    assert user is not None
    assert (user.name, user.role) == ("ana", "analyst")
    assert authenticate(ws, token + "x") is None
    assert authenticate(ws, None) is None


def test_roles_and_replacing_a_user(ws: Workspace) -> None:
    add_user(ws, "vic", "viewer")
    new_token = add_user(ws, "vic", "admin")
    assert [u.role for u in list_users(ws)] == ["admin"]
    admin = authenticate(ws, new_token)
    assert admin is not None
    assert admin.can("users")
    viewer = authenticate(ws, add_user(ws, "v2", "viewer"))
    assert viewer is not None
    assert viewer.can("read")
    assert not viewer.can("personal")
    assert not viewer.can("export")
    with pytest.raises(ValueError, match="role"):
        add_user(ws, "x", "root")


@pytest.mark.parametrize(
    ("value", "field", "expected"),
    [
        ("ann@example.com", "email", "a***@example.com"),
        ("13812345678", "phone", "138****78"),
        ("张伟", "name", "张**"),
        ("Alexandra Smith", "name", "A**"),  # the length is not told either
        ("上海市人民路1号", "address", "***"),
        (None, "phone", None),
    ],
)
def test_masking(value: str | None, field: str, expected: str | None) -> None:
    assert mask(value, field) == expected


def test_audit_log_names_actions_not_personal_values(ws: Workspace) -> None:
    add_user(ws, "ana", "analyst")
    audit(ws, "ana", "export", {"segment": "lifecycle=dormant", "rows": 12})
    entries = read_audit(ws)
    assert entries[0]["action"] == "export"
    assert entries[1]["action"] == "user.add"
    assert all(json.dumps(e) for e in entries)


def test_saving_settings_keeps_the_sections_others_read(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from kequn.store.workspace import Workspace

    ws = Workspace.init(tmp_path / "ws")
    config = ws.root / "kequn.toml"
    config.write_text(config.read_text() + "\n[privacy]\nquarantine_days = 30\n", encoding="utf-8")
    ws.settings.keep_lookups = 5
    ws.save_settings()
    text = config.read_text(encoding="utf-8")
    assert "quarantine_days = 30" in text
    assert "keep_lookups = 5" in text
