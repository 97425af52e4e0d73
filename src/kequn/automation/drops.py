"""File drops: a CSV file per journey and run (``<folder>/<journey>-<run>.csv``, see
:func:`kequn.automation.deliver.drop_path`) for an SMS platform or an ad audience upload,
grown one delivery batch at a time.

A batch costs what the batch costs: its rows are appended to the file (the header first
when the file is new), never the whole file written again. What keeps that safe:

* **One writer at a time.** Each drop file has a journal in the workspace
  (``automation/drops/``, not in the drop folder, where a platform might pick it up or
  change it), and a batch is written under an exclusive lock on the journal's lock file;
  two workers sending the same run wait for each other.
* **No row twice.** The journal keeps the message id of every row the file was given
  (``.ids``, one a line) and, in ``.state`` (replaced atomically: its rename is what
  commits a batch), how long the ids and the file were after the last batch that
  finished, and which file (device and inode) that was. A worker killed after writing a
  batch but before the outbox recorded it leaves those messages to be sent again: before
  any row is appended, what a batch left without committing is cut off (the file and the
  ids back to their committed lengths), and the ids are looked up whenever a message of
  the batch is on its second or later attempt (the only messages that can already be in
  the file: a first attempt cannot). The look-up reads the ids (33 bytes a message), and
  only then; the normal batch reads nothing of what was written before. (A dead message
  put back with ``kequn deliver --replay`` starts again at its first attempt and is not
  looked up: a file message dies when its file could not be written, so its row is not
  in it, unless a worker was also killed just after writing it.)
* **Never half a file.** A new file is written under a temporary name and renamed into
  place, so it appears whole; a batch appended to an existing one is one ``write`` of
  whole rows, taken back if it fails, so a file ends with a whole row whenever no batch
  is being written to it. A platform that moves the file away (picks it up) gets a new
  file, with a header, for the next batch, and never the same row twice (the whole file
  was written again on every batch, so a file picked up half-way through a run came
  back with its rows again). What no append can promise: a reader that opens the file
  in the instant a batch is written may see part of that batch, and a worker killed in
  that instant leaves part of it until its messages are sent again (then it is cut off
  first). A platform should take a file once it has not changed for a few seconds, or
  after ``kequn deliver`` has finished.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from kequn.automation import db
from kequn.automation.channels import one_line, single_address
from kequn.automation.journeys import FileChannel, slug
from kequn.snapshots.export_files import safe_text
from kequn.store.workspace import Workspace, exclusive

#: how long a batch waits for another worker writing the same drop file
LOCK_WAIT = 120.0
_MAINLAND = re.compile(r"^1[3-9]\d{9}$")


def normalise_email(value: str | None) -> str | None:
    """Trimmed and lower case: what Google, Meta and the Chinese ad platforms hash."""
    return value.strip().lower() if value and value.strip() else None


def normalise_phone(value: str | None, style: str = "e164", home_code: str = "86") -> str | None:
    """A phone as the audience uploads expect it before hashing: ``e164`` (+8613812345678,
    Google Customer Match), ``digits`` (8613812345678, Meta) or ``national``
    (13812345678, Tencent/Ocean Engine/Alibaba audiences). A mainland mobile without a
    country code gets +86."""
    if not value:
        return None
    digits = re.sub(r"\D", "", value)
    if value.strip().startswith("00"):
        digits = digits[2:]
    if not digits:
        return None
    if _MAINLAND.match(digits):
        digits = home_code + digits
    if style == "national":
        return digits[len(home_code) :] if digits.startswith(home_code) else digits
    return ("+" if style == "e164" else "") + digits


def hashed(value: str | None, algorithm: str) -> str | None:
    if value is None or algorithm == "none":
        return value
    data = value.encode("utf-8")
    if algorithm == "md5":  # the ad platforms ask for it; it is a match key, not a secret
        return hashlib.md5(data, usedforsecurity=False).hexdigest()
    return hashlib.sha256(data).hexdigest()


def text_cell(value: Any) -> Any:
    """A text cell of a drop file: never a formula a spreadsheet would run when the
    platform's file is opened in Excel or WPS (a name such as ``=HYPERLINK(…)``,
    ``+cmd``, ``-…`` or ``@…`` gets a leading ``'``, as segment exports do:
    :func:`~kequn.snapshots.export_files.safe_text`), and on one line (a control character or
    line break a space: a bare CR was written unquoted and split the row in two, and a
    platform reading lines takes a quoted line break for a new row)."""
    value = safe_text(value)
    return one_line(value) if isinstance(value, str) else value


def drop_rows(channel: FileChannel, contacts: Iterable[Mapping[str, Any]]) -> list[list[Any]]:
    """The file's cells for ``contacts``: text as :func:`text_cell` makes it, except a
    phone (digits after at most a ``+``, never a formula: E.164's ``+8613812345678`` is
    what the platforms match) and a hash (hex digits). An e-mail cell that is not exactly
    one address (:func:`~kequn.automation.channels.single_address`) is empty."""
    rows = []
    for contact in contacts:
        row = []
        for column in channel.columns:
            value = contact.get(column)
            if column == "phone":
                value = hashed(normalise_phone(value, channel.phone_format), channel.hash)
            elif column == "email":  # one address or none, as planning counts them
                value = normalise_email(single_address(value))
                value = hashed(value, channel.hash) if channel.hash != "none" else text_cell(value)
            else:
                value = text_cell(value)
            row.append(value)
        rows.append(row)
    return rows


def drop_header(channel: FileChannel) -> list[str]:
    return [
        f"{c}_{channel.hash}" if channel.hash != "none" and c in ("phone", "email") else c
        for c in channel.columns
    ]


def file_contacts(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The drop file's rows for these claimed messages, from what each one's payload
    recorded when it was planned (no query: a batch is written on its own, see
    :mod:`.drops`), by customer."""
    out = []
    for item in sorted(items, key=lambda i: i["customer_id"]):
        customer = json.loads(item["payload"]).get("customer") or {}
        out.append(
            {
                "customer_id": item["customer_id"],
                "lang": item["lang"],
                **customer,
                "message_id": item["message_id"],
            }
        )
    return out


def drop_path(ws: Workspace, channel: FileChannel, journey: str, run_id: str) -> Path:
    """The journey's and run's drop file: every batch of it is appended to it."""
    base = Path(channel.folder).expanduser()
    if not base.is_absolute():
        base = ws.root / base
    return base / f"{slug(journey)}-{slug(run_id)}.csv"


def drop_journal(ws: Workspace, path: Path) -> Path:
    """Where the journal of the drop file ``path`` is kept (the stem of its ``.ids``,
    ``.state`` and ``.lock``): in the workspace, named after the file and a digest of its
    full path (two folders may hold files of the same name)."""
    digest = hashlib.sha256(str(path).encode("utf-8")).hexdigest()[:12]
    return db.folder(ws) / "drops" / f"{slug(path.stem)[:80]}-{digest}"


def write_drop(
    path: Path,
    channel: FileChannel,
    contacts: Sequence[Mapping[str, Any]],
    *,
    journal: Path,
    look_up: bool = True,
) -> int:
    """Append the rows of ``contacts`` (each with its ``message_id``) to the drop file
    ``path`` (see the module's description); with ``look_up``, leave out the messages
    the file already has. How many rows were written. Raises ``OSError`` when the file
    or the journal cannot be written; nothing of the batch is then kept."""
    journal.parent.mkdir(parents=True, exist_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    ids_path, state_path = _side(journal, "ids"), _side(journal, "state")
    with exclusive(_side(journal, "lock"), LOCK_WAIT):
        state = _read_state(state_path)
        _cut(ids_path, state["ids"])  # ids of a batch that did not commit
        done = _written(ids_path, state["ids"]) if look_up else set()
        fresh = [c for c in contacts if c["message_id"] not in done]
        if not fresh:
            return 0
        rows = drop_rows(channel, fresh)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        except FileNotFoundError:
            dev, ino, size = _create(path, _csv(drop_header(channel), rows), state, state_path)
        else:
            try:
                dev, ino, size = _append(fd, channel, rows, state)
            finally:
                os.close(fd)
        with ids_path.open("ab") as fh:
            fh.write("".join(f"{c['message_id']}\n" for c in fresh).encode("ascii"))
            fh.flush()
            os.fsync(fh.fileno())
            ids = fh.tell()
        _write_state(state_path, {"dev": dev, "ino": ino, "size": size, "ids": ids})  # commit
    return len(fresh)


def _side(journal: Path, kind: str) -> Path:
    return journal.with_name(f"{journal.name}.{kind}")


def _read_state(path: Path) -> dict[str, Any]:
    """The last committed batch's lengths and file; nothing written yet when there is
    none (or it cannot be read: it is only ever replaced whole)."""
    empty: dict[str, Any] = {"dev": None, "ino": None, "size": 0, "ids": 0}
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return empty
    if not isinstance(found, dict):
        return empty
    return {**empty, **{k: found[k] for k in empty if isinstance(found.get(k), int)}}


def _write_state(path: Path, state: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(state, fh)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (best effort: it has happened either way)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _cut(path: Path, length: int) -> None:
    """``path`` back to ``length`` bytes if it is longer."""
    with contextlib.suppress(FileNotFoundError):
        if path.stat().st_size > length:
            os.truncate(path, length)


def _written(ids_path: Path, length: int) -> set[str]:
    if not length:
        return set()
    with ids_path.open("rb") as fh:
        return set(fh.read(length).decode("ascii").split())


def _csv(header: list[str] | None, rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _create(
    path: Path, data: bytes, state: dict[str, Any], state_path: Path
) -> tuple[int, int, int]:
    """A new drop file with ``data``, written aside and renamed into place. The journal
    learns the new file (as empty) before it appears, so a crash before the batch commits
    leaves a file the next batch knows to cut back."""
    tmp = path.with_name(path.name + ".part")
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
        found = os.fstat(fh.fileno())
    _write_state(state_path, {**state, "dev": found.st_dev, "ino": found.st_ino, "size": 0})
    tmp.replace(path)
    _sync_folder(path.parent)
    return found.st_dev, found.st_ino, found.st_size


def _append(
    fd: int, channel: FileChannel, rows: list[list[Any]], state: dict[str, Any]
) -> tuple[int, int, int]:
    """Append ``rows`` to the open drop file, after cutting off what a batch that did not
    commit left in it; the header first if the file is empty."""
    found = os.fstat(fd)
    size = found.st_size
    if (found.st_dev, found.st_ino) == (state["dev"], state["ino"]) and size > state["size"]:
        os.ftruncate(fd, state["size"])
        size = state["size"]
    data = _csv(None if size else drop_header(channel), rows)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, size)  # no half batch left behind
        raise
    return found.st_dev, found.st_ino, os.fstat(fd).st_size


def erase(ws: Workspace, customer_id: str) -> int:
    """Take one customer's rows out of the drop files (see :func:`erase_rows`), from
    their file messages in the outbox. Registered with :func:`kequn.privacy.on_erase`
    before the outbox's own eraser, which removes those messages."""
    if not db.exists(ws):
        return 0
    columns = ("channel", "journey_id", "run_id", "message_id", "customer_id", "lang", "payload")
    with db.connect(ws) as con:
        found = con.execute(
            f"SELECT {', '.join(columns)} FROM outbox "
            "WHERE customer_id = ? AND channel_type = 'file'",
            [customer_id],
        ).fetchall()
    return erase_rows(ws, [dict(zip(columns, row, strict=True)) for row in found])


def erase_rows(ws: Workspace, messages: list[dict[str, Any]]) -> int:
    """Take erased customers' rows out of the drop files still in their folders (a file
    a platform already took is out of reach); ``messages``: their outbox rows of file
    channels (``channel``, ``journey_id``, ``run_id``, ``message_id``, ``customer_id``,
    ``lang``, ``payload``). Each file is rewritten under its journal's lock without the
    rows those messages gave it (a rename: a reader sees the file before or after), and
    its journal forgets their ids. How many rows were removed."""
    from kequn.automation.journeys import JourneysError, load_journeys
    from kequn.pipeline import workspace_taxonomy

    if not messages:
        return 0
    try:
        channels = load_journeys(ws, workspace_taxonomy(ws)).channels
    except (JourneysError, ValueError, OSError):
        return 0
    by_file: dict[Path, tuple[FileChannel, list[dict[str, Any]]]] = {}
    for message in messages:
        channel = channels.get(message["channel"])
        if isinstance(channel, FileChannel):
            path = drop_path(ws, channel, message["journey_id"], message["run_id"])
            by_file.setdefault(path, (channel, []))[1].append(message)
    removed = 0
    for path, (channel, found) in by_file.items():
        lines = {_csv(None, [row]) for row in drop_rows(channel, file_contacts(found))}
        removed += _rewrite_without(
            path, drop_journal(ws, path), lines, {m["message_id"] for m in found}
        )
    return removed


def _rewrite_without(path: Path, journal: Path, lines: set[bytes], ids: set[str]) -> int:
    if not path.is_file():
        return 0
    ids_path, state_path = _side(journal, "ids"), _side(journal, "state")
    with exclusive(_side(journal, "lock"), LOCK_WAIT):
        state = _read_state(state_path)
        with path.open("rb") as fh:
            current = fh.readlines()
        kept = current[:1] + [line for line in current[1:] if line not in lines]
        if len(kept) == len(current):
            return 0
        tmp = path.with_name(path.name + ".part")
        with tmp.open("wb") as fh:
            fh.write(b"".join(kept))
            fh.flush()
            os.fsync(fh.fileno())
            found = os.fstat(fh.fileno())
        written = _written(ids_path, state["ids"]) - ids
        data = "".join(f"{mid}\n" for mid in sorted(written)).encode("ascii")
        _side(journal, "ids.tmp").write_bytes(data)
        _side(journal, "ids.tmp").replace(ids_path)
        tmp.replace(path)
        _write_state(
            state_path,
            {"dev": found.st_dev, "ino": found.st_ino, "size": found.st_size, "ids": len(data)},
        )
    return len(current) - len(kept)
