"""Users, roles, tokens and the audit log of a workspace.

Tokens are random, shown once, and stored only as SHA-256 hashes (a token is 32 random
bytes, so a fast hash is enough: there is nothing to brute-force). Users live in
``users.json``, dashboard sessions in ``sessions.json`` (a random id per sign-in, stored
hashed, expiring, revoked on sign-out and when the user is removed or their token
rotated) and the audit log in ``audit.jsonl``; all are small, created 0600, and written
with an atomic replace under a lock (users, sessions) or one O_APPEND write (audit), so
the server and the CLI can use them at the same time.
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
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from kequn.core.i18n import t
from kequn.store.workspace import Workspace, WorkspaceError

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


#: Longer credentials are refused without being hashed (ours are 46 characters).
MAX_TOKEN_LENGTH = 256


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


_hash = token_hash


def _private_write(path: Path, text: str) -> None:
    """Replace ``path`` atomically with a file only its owner can read (0600)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def _locked(ws: Workspace) -> Iterator[None]:
    (ws.root / "locks").mkdir(exist_ok=True)
    with (ws.root / "locks" / "access.lock").open("a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        yield


def _users_path(ws: Workspace) -> Path:
    return ws.root / "users.json"


def list_users(ws: Workspace) -> list[User]:
    """The users of ``users.json``; a :class:`WorkspaceError` naming the file when it
    cannot be read (never an empty list: that would sign everyone out unexplained, and a
    ``kequn user add`` would then write over the other users)."""
    path = _users_path(ws)
    if not path.exists():
        return []
    try:
        return [User(**u) for u in json.loads(path.read_text(encoding="utf-8"))]
    except (ValueError, TypeError) as exc:  # not JSON or UTF-8, or not a list of users
        detail = type(exc).__name__
        raise WorkspaceError(t("user.file_unreadable", file=path.name, detail=detail)) from None


def _save_users(ws: Workspace, users: list[User]) -> None:
    _private_write(_users_path(ws), json.dumps([asdict(u) for u in users], indent=2))


#: the longest user name (it is shown in lists, the audit log and the dashboard)
NAME_MOST = 64


def usable_name(name: str) -> bool:
    """A user name kequn accepts: 1 to :data:`NAME_MOST` characters, none of them a
    control or invisible character (a line break split ``kequn user list`` in two rows, a
    zero-width space hides in the dashboard's "signed in as"), and spaces only as single
    plain spaces between other characters: a space at either end, two in a row (the web
    page shows them as one) or another kind of space (U+00A0, U+3000) make a name that
    only looks like another. Quotes, ``<>``, ``[]`` and ``@`` are fine: every place a
    name is shown escapes it (web pages) or prints it as written (CLI, JSON audit log)."""
    return (
        0 < len(name) <= NAME_MOST
        and name == name.strip()
        and "  " not in name
        and not any(unicodedata.category(c)[0] in "CZ" and c != " " for c in name)
    )


def add_user(ws: Workspace, name: str, role: str) -> str:
    """Create (or replace) a user and return the token, which is not stored anywhere.

    Replacing a user's token ends their sessions, as :func:`rotate_token` does."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if not usable_name(name):
        raise WorkspaceError(t("user.bad_name", name=repr(name), most=NAME_MOST))
    token = "kq_" + secrets.token_urlsafe(32)
    with _locked(ws):
        users = [u for u in list_users(ws) if u.name != name]
        users.append(User(name, role, _hash(token), dt.datetime.now().isoformat()))
        _save_users(ws, users)
        _drop_sessions(ws, lambda s: s["user"] == name)
    audit(ws, "system", "user.add", {"user": name, "role": role})
    return token


def remove_user(ws: Workspace, name: str) -> bool:
    """Remove a user: their token stops working and their sessions end. False if unknown."""
    with _locked(ws):
        users = list_users(ws)
        kept = [u for u in users if u.name != name]
        if len(kept) == len(users):
            return False
        _save_users(ws, kept)
        _drop_sessions(ws, lambda s: s["user"] == name)
    audit(ws, "system", "user.remove", {"user": name})
    return True


def rotate_token(ws: Workspace, name: str) -> str | None:
    """A new token for ``name`` (shown once); the old one and their sessions stop working."""
    with _locked(ws):
        users = list_users(ws)
        found = next((u for u in users if u.name == name), None)
        if found is None:
            return None
        token = "kq_" + secrets.token_urlsafe(32)
        found.token_hash = _hash(token)
        _save_users(ws, users)
        _drop_sessions(ws, lambda s: s["user"] == name)
    audit(ws, "system", "user.rotate", {"user": name})
    return token


def authenticate(ws: Workspace, token: str | None) -> User | None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    digest = _hash(token)
    for user in list_users(ws):
        if hmac.compare_digest(user.token_hash, digest):
            return user
    return None


# -- sessions -------------------------------------------------------------------------


def _sessions_path(ws: Workspace) -> Path:
    return ws.root / "sessions.json"


def list_sessions(ws: Workspace) -> list[dict[str, Any]]:
    """Session records: ``{"hash", "user", "created_at", "expires_at"}`` (never the id)."""
    path = _sessions_path(ws)
    if not path.exists():
        return []
    try:
        found: Any = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:  # not JSON, or not UTF-8: no one is signed in until it is rewritten
        return []
    if not isinstance(found, list):
        return []
    return [s for s in found if isinstance(s, dict) and {"hash", "user", "expires_at"} <= s.keys()]


def _drop_sessions(ws: Workspace, doomed: Callable[[dict[str, Any]], bool]) -> None:
    """Remove the sessions ``doomed(record)`` picks, and expired ones (lock held)."""
    now = time.time()
    sessions = list_sessions(ws)
    kept = [s for s in sessions if not doomed(s) and s["expires_at"] > now]
    if len(kept) != len(sessions):
        _private_write(_sessions_path(ws), json.dumps(kept, indent=1))


def create_session(ws: Workspace, user: User, seconds: float) -> str:
    """Start a session for ``user``; returns its random id (for the cookie), kept hashed."""
    session_id = secrets.token_urlsafe(32)
    now = time.time()
    record = {
        "hash": _hash(session_id),
        "user": user.name,
        "created_at": now,
        "expires_at": now + seconds,
    }
    with _locked(ws):
        sessions = [s for s in list_sessions(ws) if s["expires_at"] > now]
        sessions.append(record)
        _private_write(_sessions_path(ws), json.dumps(sessions, indent=1))
    audit(ws, user.name, "session.start", {})
    return session_id


def end_session(ws: Workspace, session_id: str) -> None:
    """Revoke a session (sign-out); unknown or expired ids are ignored."""
    if not session_id or len(session_id) > MAX_TOKEN_LENGTH:
        return
    digest = _hash(session_id)
    with _locked(ws):
        _drop_sessions(ws, lambda s: hmac.compare_digest(s["hash"], digest))


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


def pseudonymise_audit(ws: Workspace, customer_id: str, subject: str) -> int:
    """Replace ``customer_id`` in the audit's entries (a profile read, an unsubscribe)
    by ``subject`` (its pseudonym), for an erased person; the entries that were changed.

    The log is rewritten aside and renamed into place; entries appended meanwhile (by
    O_APPEND writers, which take no lock) are carried over before the rename."""
    path = ws.root / "audit.jsonl"
    if not path.exists():
        return 0
    before = path.read_bytes()
    changed = 0

    def scrub(data: bytes) -> bytes:
        nonlocal changed
        out = []
        for line in data.decode("utf-8").splitlines(keepends=True):
            try:
                entry = json.loads(line)
                details = entry.get("details")
            except (ValueError, AttributeError):
                out.append(line)
                continue
            if not isinstance(details, dict) or customer_id not in _values(details):
                out.append(line)
                continue
            entry["details"] = {
                k: subject
                if v == customer_id
                else [subject if x == customer_id else x for x in v]
                if isinstance(v, list)
                else v
                for k, v in details.items()
            }
            out.append(json.dumps(entry, ensure_ascii=False) + "\n")
            changed += 1
        return "".join(out).encode("utf-8")

    cleaned = scrub(before)
    if not changed:
        return 0
    aside = path.with_name(f"audit.jsonl.{os.getpid()}.tmp")
    aside.write_bytes(cleaned)
    aside.chmod(0o600)
    with aside.open("ab") as fh:
        fh.write(scrub(path.read_bytes()[len(before) :]))
    aside.replace(path)
    return changed


def _values(details: dict[str, Any]) -> list[Any]:
    return [x for v in details.values() for x in (v if isinstance(v, list) else [v])]


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
        return text[:1] + "**"  # as many stars for any name: its length stays hidden
    return "***"


# -- erasures under way ------------------------------------------------------------------
#: ``locks/erasing-<reference>`` marks an erasure begun and not finished: an erasure
#: publishes the data without the person first, then cleans the runs, the feature state,
#: messages and files, and one killed between leaves the person in those. The name holds
#: the audit reference (a keyed hash), never the id.
_ERASING = "erasing-"


def erasure_started(ws: Workspace, subject: str) -> None:
    """Mark an erasure of ``subject`` (its audit reference) as under way."""
    (ws.root / "locks").mkdir(exist_ok=True)
    _private_write(ws.root / "locks" / f"{_ERASING}{subject}", dt.datetime.now().isoformat())


def erasure_finished(ws: Workspace, subject: str) -> None:
    (ws.root / "locks" / f"{_ERASING}{subject}").unlink(missing_ok=True)


def unfinished_erasures(ws: Workspace) -> list[tuple[str, str]]:
    """(audit reference, when it began) of each erasure begun and not finished."""
    found = []
    for path in sorted((ws.root / "locks").glob(f"{_ERASING}*")):
        try:
            when = path.read_text(encoding="utf-8").strip()[:16].replace("T", " ")
        except OSError:
            when = "?"
        found.append((path.name.removeprefix(_ERASING), when))
    return found
