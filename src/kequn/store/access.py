"""Users, roles, tokens and the audit log of a workspace.

Tokens are random, shown once, and stored only as SHA-256 hashes (a token is 32 random
bytes, so a fast hash is enough: there is nothing to brute-force). Users live in
``users.json`` and the audit log in ``audit.jsonl``; both are small, change rarely, and
are written with an atomic replace under a lock (users) or one O_APPEND write (audit), so the
server and the CLI can use them at the same time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from kequn.store.workspace import Workspace, _atomic_write

Role = Literal["admin", "analyst", "viewer"]
ROLES: tuple[Role, ...] = ("admin", "analyst", "viewer")

#: What each role may do. Viewers read, with personal data masked.
PERMISSIONS: dict[str, set[str]] = {
    "admin": {"read", "personal", "run", "import", "taxonomy", "export", "users"},
    "analyst": {"read", "personal", "run", "taxonomy", "export"},
    "viewer": {"read"},
}


@dataclass
class User:
    name: str
    role: Role
    token_hash: str
    created_at: str

    def can(self, permission: str) -> bool:
        return permission in PERMISSIONS[self.role]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@contextlib.contextmanager
def _locked(ws: Workspace) -> Iterator[None]:
    (ws.root / "locks").mkdir(exist_ok=True)
    with (ws.root / "locks" / "access.lock").open("a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        yield


def _users_path(ws: Workspace) -> Path:
    return ws.root / "users.json"


def list_users(ws: Workspace) -> list[User]:
    path = _users_path(ws)
    if not path.exists():
        return []
    return [User(**u) for u in json.loads(path.read_text(encoding="utf-8"))]


def add_user(ws: Workspace, name: str, role: str) -> str:
    """Create (or replace) a user and return the token, which is not stored anywhere."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    token = "kq_" + secrets.token_urlsafe(32)
    with _locked(ws):
        users = [u for u in list_users(ws) if u.name != name]
        users.append(User(name, role, _hash(token), dt.datetime.now().isoformat()))
        _atomic_write(_users_path(ws), json.dumps([asdict(u) for u in users], indent=2))
    audit(ws, "system", "user.add", {"user": name, "role": role})
    return token


def authenticate(ws: Workspace, token: str | None) -> User | None:
    if not token:
        return None
    digest = _hash(token)
    for user in list_users(ws):
        if hmac.compare_digest(user.token_hash, digest):
            return user
    return None


def audit(ws: Workspace, who: str, action: str, details: dict[str, Any] | None = None) -> None:
    """Append who did what. Details name objects (ids, files), never personal values."""
    entry = {
        "at": dt.datetime.now().isoformat(timespec="seconds"),
        "who": who,
        "action": action,
        "details": details or {},
    }
    line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
    # one write() to a file opened with O_APPEND: the kernel appends it whole, so
    # concurrent writers (server threads, workers, the CLI) need no lock; a lock here
    # made every page view of an analyst queue behind every other
    fd = os.open(ws.root / "audit.jsonl", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def read_audit(ws: Workspace, limit: int = 200) -> list[dict[str, Any]]:
    path = ws.root / "audit.jsonl"
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()[-limit:]
    return [json.loads(line) for line in reversed(lines)]


def mask(value: Any, field: str) -> Any:
    """Hide personal data from viewers while keeping it recognisable."""
    if value is None or value == "":
        return value
    text = str(value)
    if field == "email" and "@" in text:
        local, domain = text.split("@", 1)
        return (local[:1] + "***@" + domain) if local else "***@" + domain
    if field == "phone":
        return text[:3] + "****" + text[-2:] if len(text) > 5 else "****"
    if field == "name":
        return text[:1] + "*" * max(1, len(text) - 1)
    return "***"
